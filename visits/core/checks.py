"""Checks shared by every value that validates itself: dates in range, date ranges, ids, one-line text.

Each returns ``(field, message)`` pairs for :func:`visits.core.errors.raise_if`;
an empty list means the value is fine.
"""

from __future__ import annotations

import datetime as dt

from visits.core.text import text_problem

__all__ = ["MAX_DATE", "MIN_DATE", "date_problems", "id_problems", "line_problems", "range_problems"]

#: Dates outside this range are rejected: they are typing mistakes, not records.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)


def date_problems(field: str, value: dt.date) -> list[tuple[str, str]]:
    if not MIN_DATE <= value <= MAX_DATE:
        return [(field, f"out of range ({value.isoformat()} not in {MIN_DATE}..{MAX_DATE})")]
    return []


def range_problems(start: dt.date, end: dt.date | None) -> list[tuple[str, str]]:
    """Both dates in range, and ``end`` (if any) not before ``start``."""
    problems = date_problems("start", start)
    if end is not None:
        problems += date_problems("end", end)
        if end < start:
            problems.append(("end", f"before start ({end} < {start})"))
    return problems


def id_problems(field: str, value: str) -> list[tuple[str, str]]:
    if not value or value != value.strip():
        return [(field, f"must be a non-empty id without surrounding spaces, got {value!r}")]
    return line_problems((field, value))


def line_problems(*fields: tuple[str, str]) -> list[tuple[str, str]]:
    """One-line text fields (names, addresses, titles): no control characters, no line breaks."""
    out = []
    for field, value in fields:
        problem = text_problem(value)
        if problem is not None:
            out.append((field, problem))
    return out
