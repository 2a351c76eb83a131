"""The pure core: values, rules, planning, assignment, matching and rosters; no I/O, no clock.

Private: import from :mod:`visits` (docs/architecture.md).
"""
