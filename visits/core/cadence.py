"""Cadences: when a rule's obligations fall, as data.

A cadence says nothing about who or what; it only turns an anchor (a
circumstance or an event) into windows.  Five shapes cover the 三必到/五必访
text and the variants other communities use:

- :class:`Calendar`: one window per calendar period (week, month, quarter,
  half-year, year), optionally only some months of it ("December of each year");
- :class:`Interval`: every N days/weeks/months counted from the circumstance
  start, each boundary computed from the anchor (never cumulatively);
- :class:`Once`: a single window at day offsets from the anchor, before, on or
  after it;
- :class:`Span`: the whole circumstance (a hospital stay);
- :class:`Response`: a reply to an event, the same day or within N days
  (calendar days, or working days with ``working_days``);
- :class:`Festival`: a window around each occurrence of a festival (春节,
  中秋节, 重阳节, ...), such as "the 20 days before Spring Festival".

:mod:`visits.core.windows` turns a cadence into the windows of a horizon.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
from typing import ClassVar

import attrs
from dateutil.relativedelta import relativedelta

from visits.core import festivals
from visits.core.errors import raise_if
from visits.core.periods import Period, months_in

__all__ = [
    "Cadence",
    "Calendar",
    "Festival",
    "Interval",
    "IntervalUnit",
    "Once",
    "Response",
    "Span",
    "add_months",
]

#: Offsets and intervals are bounded so that no date arithmetic can overflow.
MAX_OFFSET_DAYS = 3660
MAX_EVERY = 1200
#: A festival window spans at most this many days, so that the windows of two
#: consecutive years never overlap (lunar years have at least 353 days).
MAX_FESTIVAL_SPAN = 300
MAX_FESTIVAL_OFFSET = 366


class IntervalUnit(enum.StrEnum):
    """The unit of an :class:`Interval`."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus a number of months, clipped to the month's last day.

    >>> add_months(dt.date(2026, 8, 31), 6)
    datetime.date(2027, 2, 28)
    >>> add_months(dt.date(2026, 8, 31), 12)  # from the anchor, so no drift
    datetime.date(2027, 8, 31)
    >>> add_months(dt.date(2027, 8, 29), 6)
    datetime.date(2028, 2, 29)
    """
    result: dt.date = day + relativedelta(months=months)
    return result


def _int_problems(field: str, value: int, low: int, high: int, what: str) -> list[tuple[str, str]]:
    if not low <= value <= high:
        return [(field, f"must be {what} ({low}..{high}), got {value}")]
    return []


@attrs.frozen(kw_only=True)
class Calendar:
    """One window per calendar period; ``within`` picks months of the period.

    ``within=(12, 12)`` with ``period=year`` is "December of each year";
    ``within=(1, 1)`` with ``period=quarter`` is "the first month of each quarter".
    """

    kind: ClassVar[str] = "calendar"
    period: Period
    within: tuple[int, int] | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if self.within is not None:
            size = months_in(self.period)
            first, last = self.within
            if size == 0:
                problems.append(("within", "is only allowed for month-based periods, not weeks"))
            elif not 1 <= first <= last <= size:
                problems.append(
                    (
                        "within",
                        f"must be [first, last] months of the {self.period.value} "
                        f"with 1 <= first <= last <= {size}, got [{first}, {last}]",
                    )
                )
        raise_if(problems)


@attrs.frozen(kw_only=True)
class Interval:
    """Every ``every`` units from the anchor: windows [a + k*n, a + (k+1)*n - 1 day].

    The k-th boundary is always ``anchor + k*every``, so a 31 August anchor
    gives 28 February and then 31 August again.
    """

    kind: ClassVar[str] = "interval"
    every: int
    unit: IntervalUnit = IntervalUnit.MONTHS

    def __attrs_post_init__(self) -> None:
        raise_if(_int_problems("every", self.every, 1, MAX_EVERY, "a positive integer"))

    def boundary(self, anchor: dt.date, k: int) -> dt.date:
        """The first day of window ``k`` (0-based)."""
        if self.unit is IntervalUnit.MONTHS:
            return add_months(anchor, k * self.every)
        days = self.every * (7 if self.unit is IntervalUnit.WEEKS else 1)
        return anchor + dt.timedelta(days=k * days)


@attrs.frozen(kw_only=True)
class Once:
    """One window from ``first_day`` to ``last_day`` days after the anchor (negative: before)."""

    kind: ClassVar[str] = "once"
    first_day: int
    last_day: int

    def __attrs_post_init__(self) -> None:
        problems = _int_problems(
            "first_day", self.first_day, -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS, "a day offset"
        ) + _int_problems("last_day", self.last_day, -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS, "a day offset")
        if not problems and self.last_day < self.first_day:
            problems.append(("last_day", f"before first_day ({self.last_day} < {self.first_day})"))
        raise_if(problems)


@attrs.frozen(kw_only=True)
class Span:
    """The whole circumstance; while it has no end, the first ``open_days`` days of it."""

    kind: ClassVar[str] = "span"
    open_days: int = 30

    def __attrs_post_init__(self) -> None:
        raise_if(_int_problems("open_days", self.open_days, 1, MAX_OFFSET_DAYS, "a number of days"))


@attrs.frozen(kw_only=True)
class Response:
    """Answer an event from its day to ``within_days`` later (0: the same day).

    With ``working_days`` the days are counted on the planner's working-day
    calendar: 1 is the next working day after the event.
    """

    kind: ClassVar[str] = "response"
    within_days: int = 0
    working_days: bool = False

    def __attrs_post_init__(self) -> None:
        raise_if(_int_problems("within_days", self.within_days, 0, MAX_OFFSET_DAYS, "a number of days"))


def _festival_names(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(festivals.canonical(name) or name for name in value)


@attrs.frozen(kw_only=True)
class Festival:
    """A window from ``first_day`` to ``last_day`` days after each occurrence of a festival.

    ``Festival(festivals=("春节",), first_day=-20, last_day=-1)`` is "the 20
    days before Spring Festival"; with several festivals, each occurrence of
    each gives a window.  Names are those of :mod:`visits.core.festivals` (short
    forms such as 中秋 are accepted and stored in full).
    """

    kind: ClassVar[str] = "festival"
    festivals: tuple[str, ...] = attrs.field(converter=_festival_names)
    first_day: int
    last_day: int

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if not self.festivals:
            problems.append(("festivals", "must name at least one festival"))
        for i, name in enumerate(self.festivals):
            if festivals.canonical(name) is None:
                problems.append((f"festivals[{i}]", festivals.unknown(name)))
        if len(set(self.festivals)) != len(self.festivals):
            problems.append(("festivals", "names a festival twice"))
        limit = MAX_FESTIVAL_OFFSET
        offsets = _int_problems("first_day", self.first_day, -limit, limit, "a day offset")
        offsets += _int_problems("last_day", self.last_day, -limit, limit, "a day offset")
        problems += offsets
        if not offsets and self.last_day < self.first_day:
            problems.append(("last_day", f"before first_day ({self.last_day} < {self.first_day})"))
        elif not offsets and self.last_day - self.first_day + 1 > MAX_FESTIVAL_SPAN:
            span = self.last_day - self.first_day + 1
            problems.append(("last_day", f"a festival window spans at most {MAX_FESTIVAL_SPAN} days, got {span}"))
        elif not problems and len(self.festivals) > 1:
            clash = _collision(tuple(sorted(self.festivals)), self.last_day - self.first_day)
            if clash is not None:
                problems.append(("festivals", clash))
        raise_if(problems)


@functools.cache
def _collision(names: tuple[str, ...], length: int) -> str | None:
    """Why windows ``length + 1`` days long around these festivals would overlap in some year, or None."""
    days = sorted(
        (day, name)
        for name in names
        for year in range(festivals.FIRST_YEAR, festivals.LAST_YEAR + 1)
        for day in festivals.dates(name, year)
    )
    for (a, first), (b, second) in itertools.pairwise(days):
        if (b - a).days <= length:
            return f"windows around {first} ({a}) and {second} ({b}) would overlap; use one rule per festival"
    return None


Cadence = Calendar | Interval | Once | Span | Response | Festival
CADENCES: dict[str, type[Cadence]] = {c.kind: c for c in (Calendar, Interval, Once, Span, Response, Festival)}
