"""Plain data and files: converting to and from objects, loading, atomic writes, JSON and CSV rows, workbooks.

Private: import from :mod:`visits` (docs/architecture.md).
"""
