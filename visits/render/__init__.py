"""What people read: rosters laid out as HTML, XLSX, CSV, ICS and PDF, and the words made from the core's codes.

Private: import from :mod:`visits` (docs/architecture.md).
"""
