"""The dataset and its analysis: loading and validation, periods, scoring, finance, disclosure.

Runs for every report. Imports nothing from ``report``, ``batch`` or ``ingest``.
"""
