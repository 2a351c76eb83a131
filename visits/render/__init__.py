"""Rosters laid out as HTML, XLSX, CSV, ICS and PDF.

Private: import from :mod:`visits` (docs/architecture.md).
"""
