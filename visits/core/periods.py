"""Calendar periods: ISO week (Mon-Sun), month, quarter, half-year, year.

Pure date arithmetic.  A period is identified by its first day; its label is
stable text used inside obligation keys.

>>> bounds(Period.WEEK, dt.date(2026, 12, 31))  # 2026 has an ISO week 53
(datetime.date(2026, 12, 28), datetime.date(2027, 1, 3))
>>> label(Period.WEEK, dt.date(2026, 12, 28))
'2026-W53'
>>> label(Period.WEEK, dt.date(2024, 12, 30))  # belongs to ISO year 2025
'2025-W01'
>>> bounds(Period.HALF, dt.date(2028, 2, 29))
(datetime.date(2028, 1, 1), datetime.date(2028, 6, 30))
"""

from __future__ import annotations

import datetime as dt
import enum

__all__ = ["ONE_DAY", "Period", "bounds", "label", "months_in", "next_start", "overlapping", "start_of"]

#: One day: the step between consecutive dates, used wherever windows and periods meet.
ONE_DAY = dt.timedelta(days=1)


class Period(enum.StrEnum):
    """A kind of calendar period."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF: 6, Period.YEAR: 12}


def months_in(period: Period) -> int:
    """How many months a period spans (0 for a week, which is not month-based)."""
    return _MONTHS.get(period, 0)


def start_of(period: Period, day: dt.date) -> dt.date:
    """The first day of the period containing ``day``."""
    if period is Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    size = _MONTHS[period]
    return dt.date(day.year, (day.month - 1) // size * size + 1, 1)


def next_start(period: Period, start: dt.date) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if period is Period.WEEK:
        return start + dt.timedelta(days=7)
    month0 = start.month - 1 + _MONTHS[period]
    return dt.date(start.year + month0 // 12, month0 % 12 + 1, 1)


def bounds(period: Period, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the period containing ``day``."""
    first = start_of(period, day)
    return first, next_start(period, first) - ONE_DAY


def label(period: Period, start: dt.date) -> str:
    """A stable label for the period starting on ``start``.

    >>> [label(p, dt.date(2026, 7, 1)) for p in (Period.MONTH, Period.QUARTER, Period.HALF, Period.YEAR)]
    ['2026-07', '2026-Q3', '2026-H2', '2026']
    """
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period is Period.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if period is Period.QUARTER:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if period is Period.HALF:
        return f"{start.year:04d}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year:04d}"


def overlapping(period: Period, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every period that shares a day with ``first..last``, in order, as (start, end).

    >>> for first, last in overlapping(Period.QUARTER, dt.date(2026, 3, 31), dt.date(2026, 4, 1)):
    ...     print(first, last)
    2026-01-01 2026-03-31
    2026-04-01 2026-06-30
    """
    out = []
    start = start_of(period, first)
    while start <= last:
        following = next_start(period, start)
        out.append((start, following - ONE_DAY))
        start = following
    return out
