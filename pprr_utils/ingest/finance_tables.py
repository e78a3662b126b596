"""The finance and plans tables as frames and as CSV files: rows (dicts) to a frame with the
schema's columns and types, and each frame written as ``data/<name>.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def frame(rows: list[dict], table: str) -> pd.DataFrame:
    """The rows as a frame with ``table``'s columns in order; float columns as float64."""
    from ..dataset.schema import table as spec

    cols = spec(table).column_names
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for c in spec(table).columns:
        if c.kind == "float":
            df[c.name] = pd.to_numeric(df[c.name], errors="raise").astype("float64")
    return df


def write_tables(tables: dict[str, pd.DataFrame], data_dir: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8, no index, floats without spurious digits)."""
    from ..dataset.schema import table as spec

    out = []
    for name, df in tables.items():
        df = df.copy()
        for c in spec(name).columns:
            if c.kind == "float":
                df[c.name] = df[c.name].map(lambda v: "" if pd.isna(v) else f"{v:.12g}")
            elif c.kind == "bool":
                df[c.name] = df[c.name].map(lambda v: "true" if v else "false")
        path = Path(data_dir) / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        out.append(path)
    return out
