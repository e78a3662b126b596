"""Build time only: reading the tables as published (``data/raw/``) into the dataset's CSVs.

Nothing that runs for a quarterly report imports this package; ``pprr build-data`` does.
"""
