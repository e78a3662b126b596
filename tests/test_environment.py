"""pyproject.toml and environment.yml list the same dependencies with the same minimum versions."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        reqs += extra
    out = {}
    for r in reqs:
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*>=\s*([\w.]+)$", r)
        assert m, f"pyproject requirement {r!r} should be 'name>=version'"
        out[_norm(m[1])] = m[2]
    return out


def _environment() -> dict[str, str]:
    out = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+)\s*>=\s*([\w.]+)\s*$", line)
        if m and m[1] != "python":
            out[_norm(m[1])] = m[2]
    return out


def test_same_dependencies_and_minimums():
    assert _pyproject() == _environment()


def test_python_minimum_matches():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["requires-python"] == ">=3.11"
    assert "python>=3.11" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_nbconvert_has_the_2026_security_fixes():
    """nbconvert 7.17.1 fixes CVE-2026-39377 and CVE-2026-39378 (and 7.17.0 CVE-2025-53000)."""
    from importlib.metadata import version

    assert _pyproject()["nbconvert"] == "7.17.1"
    assert _version(version("nbconvert")) >= (7, 17, 1)
