"""The report pages: the ``Report`` a notebook opens, page sections, charts, HTML helpers.

Built on ``dataset``; imports nothing from ``batch`` or ``ingest``.
"""
