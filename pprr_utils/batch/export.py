"""Executed notebook -> one self-contained, deterministic HTML page with the code hidden.

nbconvert's ``HTMLExporter`` renders the outputs (inputs and prompts excluded) through the
small template in ``pprr_utils/batch/templates`` (based on nbconvert's ``classic``): no scripts,
no web fonts, no MathJax or require.js from a CDN, images as data URIs, ``lang="en"``, a
viewport for phones and a ``<title>``. Nothing varies between runs: no dates, no random ids,
no paths. :func:`page_problems` checks a page for remote loads, scripts and machine paths.
"""

from __future__ import annotations

import base64
import copy
import functools
import html
import mimetypes
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

if TYPE_CHECKING:  # nbformat and the kernel machinery load only when a page is exported
    from nbformat import NotebookNode

from ..dataset.writing import atomic_write
from .plan import REPO_ROOT

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"

_local = threading.local()

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(
    r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\"')\s;]*)", re.IGNORECASE
)
# attributes that make the browser fetch something (a[href] is a link, not a load)
_RESOURCE_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "action"})
_RESOURCE_HREF_TAGS = frozenset({"link", "use", "image", "base", "feimage"})
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_DATA_URI = re.compile(r"data:[a-z+./-]+;base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_H1_HTML = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_CELL_ANCHOR = re.compile(r'\s+id="cell-id=pprr-cell-\d+"')


@dataclass(frozen=True)
class RemoteLoad:
    """A resource a page would load from the internet, and the element that loads it."""

    url: str
    tag: str
    attrs: tuple[tuple[str, str | None], ...]  # the element's attributes, as parsed
    line: int
    attribute: str | None  # the attribute holding the address; None: a <style> element's CSS

    @property
    def css(self) -> bool:
        """Whether the address is in CSS (``url()``/``@import``) rather than an attribute."""
        return self.attribute in (None, "style")


class _PageScan(HTMLParser):
    """One pass over a page: remote loads and event-handler attributes on real elements.

    Escaped text is not markup, and only what a browser would fetch counts as a load:
    ``src``-like attributes, ``href`` on ``link``/``use``/``image``/``base``/``feImage``,
    CSS in ``style`` attributes and ``<style>`` elements, and ``<meta>`` refresh targets.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: set[str] = set()
        self.remote: list[RemoteLoad] = []
        self._style: tuple[tuple[str, str | None], ...] | None = None  # open <style>'s attrs

    def _load(self, url: str, tag: str, attrs: tuple, attribute: str | None) -> None:
        self.remote.append(RemoteLoad(url, tag, attrs, self.getpos()[0], attribute))

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = tuple(attr_list)
        self.handlers.update(
            f"<{tag} {name}>" for name, _ in attrs if name.lower().startswith("on")
        )
        for name, value in attrs:
            if not value:
                continue
            if name in _RESOURCE_ATTRS or (
                name in ("href", "xlink:href") and tag in _RESOURCE_HREF_TAGS
            ):
                urls = (
                    [u.strip().split(" ")[0] for u in value.split(",")]
                    if name == "srcset"
                    else [value]
                )
                for url in urls:
                    if _REMOTE.match(url):
                        self._load(url, tag, attrs, name)
            elif name == "style":
                for m in _CSS_URL.finditer(value):
                    self._load(m.group(1), tag, attrs, name)
            elif name == "content" and tag == "meta" and "url=" in value.lower():
                url = value.lower().split("url=", 1)[1].strip(" '\"")
                if _REMOTE.match(url):
                    self._load(url, tag, attrs, name)
        if tag == "style":
            self._style = attrs

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attr_list)
        if tag == "style":
            self._style = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = None

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            for m in _CSS_URL.finditer(data):
                self._load(m.group(1), "style", self._style, None)


def _scan(page: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    return scan


def remote_loads(page: str) -> list[RemoteLoad]:
    """Everything ``page`` would load from the internet (``http(s)://`` or ``//``), in order."""
    return _scan(page).remote


class ExportError(ValueError):
    """A page that cannot be shared as it stands (e.g. it would load from the internet)."""


def stylesheet() -> str:
    """The page CSS: ``templates/pprr.css`` (layout for any page, phone-friendly)."""
    return (TEMPLATE_DIR / "pprr.css").read_text(encoding="utf-8").strip()


def _exporter():
    """One HTMLExporter per thread (building one loads the templates)."""
    exp = getattr(_local, "exporter", None)
    if exp is None:
        from nbconvert import HTMLExporter

        exp = HTMLExporter(
            template_name=TEMPLATE_DIR.name,
            extra_template_basedirs=[str(PACKAGE_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=False,
            sanitize_html=False,
        )
        _local.exporter = exp
    return exp


def _image_uri(path: Path) -> str | None:
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"):
        return None
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def embed_markdown_images(
    nb: NotebookNode, *, source_dir: Path | None = None, root: Path = REPO_ROOT
) -> NotebookNode:
    """Make markdown images self-contained (in place).

    Attachments and project files become data URIs; a path outside ``root`` (the project),
    a missing file or an internet address is not loaded: it becomes its alt text.
    """
    base = Path(source_dir) if source_dir is not None else root

    def sub(cell: NotebookNode, m: re.Match) -> str:
        alt, src = m["alt"], m["src"]
        if src.startswith("data:"):
            return m.group(0)
        uri = None
        if src.startswith("attachment:"):
            bundle = cell.get("attachments", {}).get(src.split(":", 1)[1], {})
            for kind, data in sorted(bundle.items()):
                if kind.startswith("image/"):
                    uri = f"data:{kind};base64,{''.join(data) if isinstance(data, list) else data}"
                    break
        elif not re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE):
            path = (base / src).resolve()
            if _inside(path, root) and path.is_file():
                uri = _image_uri(path)
        if uri is None:
            return f"[image: {alt or 'not shown'}]"
        return f"![{alt}]({uri})"

    for cell in nb.cells:
        if cell.cell_type == "markdown" and "![" in cell.source:
            cell.source = _MD_IMAGE.sub(lambda m, c=cell: sub(c, m), cell.source)
    return nb


def page_title(nb: NotebookNode, default: str = "Report") -> str:
    """The first level-1 heading in the notebook (markdown or HTML output), else ``default``."""
    found = _first_h1(nb)
    return default if found is None else found


def _first_h1(nb: NotebookNode) -> str | None:
    """The text of the notebook's first level-1 heading, None when it has none."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html")
            if isinstance(text, list):
                text = "".join(text)
            if text:
                m = _H1_HTML.search(text)
                if m:
                    return html.unescape(_TAG.sub("", m.group(1))).strip()
    return None


def page_problems(page: str, *, forbidden_paths: Iterable[str] = ()) -> list[str]:
    """What makes a page unshareable: remote loads, scripts, event handlers, machine paths."""
    scan = _scan(page)
    problems = [
        f"loads {r.url} from the internet" + (" (CSS)" if r.css else "") for r in scan.remote
    ]
    if _SCRIPT.search(page):
        problems.append("contains a <script> element")
    handlers = scan.handlers
    if handlers:
        problems.append("contains an inline event handler (" + ", ".join(sorted(handlers)) + ")")
    text = _DATA_URI.sub("data:", page)
    for p in forbidden_paths:
        if p and p in text:
            problems.append(f"contains the machine path {p}")
    return problems


def default_forbidden_paths() -> list[str]:
    """Machine paths a shared page must not contain."""
    return [str(REPO_ROOT), str(Path.home()) if str(Path.home()) != "/" else "", "/tmp/"]


def export_html(
    nb: NotebookNode,
    *,
    title: str | None = None,
    nav_html: str | None = None,
    footer: str | None = None,
    edition: str | None = None,
    source_dir: str | Path | None = None,
    lang: str = "en",
    check: bool = True,
) -> str:
    """Render an executed notebook as one self-contained HTML page with the code hidden.

    ``title`` defaults to the notebook's first ``h1``. ``nav_html`` (trusted markup built
    by the caller) goes above the content, ``footer`` (text) below. A notebook with an error
    output gets a banner naming the failed cell, under the title as the page's ``h1`` when the
    notebook failed before printing one. With ``check`` a page that would load
    anything from the internet or run a script raises ExportError.
    """
    nb = copy.deepcopy(nb)
    embed_markdown_images(nb, source_dir=Path(source_dir) if source_dir else None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"pprr-cell-{i}"  # nbconvert would invent random ids; removed below
        cell.pop("attachments", None)
    from .execute import first_error

    err = first_error(nb, "")
    errors = [f"cell {err.cell} raised {err.ename}: {err.evalue}"] if err else []
    title = title or page_title(nb)
    resources = {
        "pprr": {
            "title": title,
            # a step failed before the page printed its h1: the title stands in for it
            "heading": title if errors and _first_h1(nb) is None else "",
            "lang": lang,
            "css": stylesheet(),
            "nav": nav_html or "",
            "footer": footer or "",
            "edition": edition or "",
            "errors": errors,
        },
        "metadata": {"name": "page"},
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = _CELL_ANCHOR.sub("", body)
    body = "\n".join(line.rstrip() for line in body.splitlines()) + "\n"
    if check:
        problems = page_problems(body)
        if problems:
            raise ExportError("the page is not shareable: " + "; ".join(problems))
    return body


def write_html(nb: NotebookNode, path: str | Path, **kwargs: object) -> Path:
    """``export_html`` to a file (UTF-8, ``\\n`` line ends)."""
    path = Path(path)
    data = export_html(nb, **kwargs).encode("utf-8")  # type: ignore[arg-type]
    return atomic_write(path, lambda fh: fh.write(data), binary=True)


def _escape(value: object) -> object:
    """Text escaped as ``html.escape`` does (as the nbconvert template's ``escape_html``)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(html.escape(value))
    return value


@functools.cache
def _templates() -> jinja2.Environment:
    """The index pages' templates (``templates/*.html.j2``), autoescaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        finalize=_escape,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_template(name: str, **context: object) -> str:
    """Render ``templates/<name>`` (a page extending ``page.html.j2``) with the page CSS.

    Every value is escaped unless it is ``markupsafe.Markup`` (trusted markup).
    """
    context.setdefault("lang", "en")
    context.setdefault("nav", "")
    context.setdefault("footer", "")
    context.setdefault("body", "")
    return _templates().get_template(name).render(css=Markup(stylesheet()), **context)


def render_page(
    title: str,
    body_html: str,
    *,
    nav_html: str | None = None,
    footer: str | None = None,
    lang: str = "en",
) -> str:
    """A plain page in the same shell and style (index pages); ``body_html`` is trusted."""
    return render_template(
        "page.html.j2",
        title=title,
        body=Markup(body_html.strip()),
        nav=Markup(nav_html or ""),
        footer=footer or "",
        lang=lang,
    )
