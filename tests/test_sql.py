"""A database as the source (``dataset.sql``): SQLite and a real PostgreSQL server."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import postgres  # tests/postgres.py (rootdir-relative: tests/ is on sys.path)
import pytest

from pprr_utils.batch import cli, run
from pprr_utils.dataset.errors import DataError
from pprr_utils.dataset.load import load_dataset
from pprr_utils.dataset.sql import is_url, safe_url, write_sql
from pprr_utils.dataset.synth import write_portfolios

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _same_tables(a, b) -> None:
    assert set(a.tables) == set(b.tables)
    for name in b.tables:
        assert a.tables[name].equals(b.tables[name]), name


def test_urls_are_told_from_paths() -> None:
    assert is_url("sqlite:///x.db") and is_url("postgresql+psycopg://u@h/db")
    assert not is_url("data") and not is_url("C:/data") and not is_url(None)
    assert safe_url("postgresql://me:secret@host/db") == "postgresql://me:***@host/db"


@pytest.mark.slow
def test_sqlite_loads_identically_to_the_csv_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pprr.db'}"
    assert cli.main(["to-sql", str(DATA), url]) == 0
    _same_tables(load_dataset(url), load_dataset(DATA))


def test_a_bad_cell_is_named_by_table_row_and_column(tmp_path: Path) -> None:
    src = write_portfolios(tmp_path / "p", portfolios=1, periods=1) / "illustrative-01"
    db = tmp_path / "bad.db"
    url = f"sqlite:///{db}"
    write_sql(src, url)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE \"values\" SET value = 'lots' WHERE pprr_row = 4")
    with pytest.raises(DataError) as err:
        load_dataset(url)
    text = str(err.value)
    assert f"{url}[values]:4:value" in text and "'lots'" in text
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE targets")
    with pytest.raises(DataError, match="no table named 'targets'"):
        load_dataset(url)


def test_an_unusable_url_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["run", "--data", "nosuchdriver://me:pw@x/y", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "nosuchdriver://me:***@x/y" in err and "pw" not in err


def _pages_equal(a: Path, b: Path) -> None:
    sys_path = str(ROOT / "scripts")
    import sys

    sys.path.insert(0, sys_path)
    try:
        import same_pages
    finally:
        sys.path.remove(sys_path)
    assert same_pages.compare(a, b) == []
    assert len(same_pages.pages(a)) >= 7


@pytest.mark.kernel
@pytest.mark.slow
def test_sqlite_builds_the_same_pages_as_the_csv_folder(tmp_path: Path) -> None:
    src = write_portfolios(tmp_path / "p", portfolios=1, periods=1) / "illustrative-01"
    url = f"sqlite:///{tmp_path / 'illustrative-01.db'}"
    write_sql(src, url)
    a = run.run_batch(data=src, out_dir=tmp_path / "csv", jobs=2, progress=False)
    b = run.run_batch(data=url, out_dir=tmp_path / "sql", jobs=2, progress=False)
    assert a.ok and b.ok, (a.summary(), b.summary())
    _pages_equal(tmp_path / "csv", tmp_path / "sql")
    again = run.run_batch(data=url, out_dir=tmp_path / "sql", progress=False)
    assert [p.status for p in again.periods] == ["cached"]


@pytest.fixture(scope="module")
def pg_url() -> str:
    if postgres.binaries() is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL is not installed (make postgres-deps)")
    with postgres.server() as url:
        yield url


@pytest.mark.slow
def test_postgresql_loads_identically_to_the_csv_folder(pg_url: str) -> None:
    write_sql(DATA, pg_url)
    _same_tables(load_dataset(pg_url), load_dataset(DATA))


@pytest.mark.kernel
@pytest.mark.slow
def test_postgresql_builds_the_same_pages_as_the_csv_folder(pg_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    src = write_portfolios(tmp_path / "p", portfolios=1, periods=1) / "illustrative-01"
    # today a page says "illustrative" when the data's location does: name the database so
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS illustrative_01"))
        conn.execute(text("CREATE DATABASE illustrative_01"))
    engine.dispose()
    url = pg_url.rsplit("/", 1)[0] + "/illustrative_01"
    assert cli.main(["to-sql", str(src), url]) == 0
    a = run.run_batch(data=src, out_dir=tmp_path / "csv", jobs=2, progress=False)
    b = run.run_batch(data=url, out_dir=tmp_path / "pg", jobs=2, progress=False)
    assert a.ok and b.ok, (a.summary(), b.summary())
    _pages_equal(tmp_path / "csv", tmp_path / "pg")
