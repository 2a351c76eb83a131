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

:func:`expander` compiles a cadence for one horizon into a function from a
circumstance interval to its windows; the planner calls it once per rule.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import itertools
from collections.abc import Callable
from typing import ClassVar

import attrs
from dateutil.relativedelta import relativedelta

from visits.core import festivals
from visits.core.checks import MAX_DATE
from visits.core.community import Horizon
from visits.core.errors import Problem, VisitsError, raise_if
from visits.core.periods import ONE_DAY, Period, label, months_in, overlapping

__all__ = [
    "Cadence",
    "Calendar",
    "Expander",
    "Festival",
    "Interval",
    "IntervalUnit",
    "Once",
    "Response",
    "Span",
    "Window",
    "add_months",
    "describe",
    "expander",
    "festival_windows",
]

#: (first day, last day, label) of one window; the label is unique per anchor.
Window = tuple[dt.date, dt.date, str]
#: Maps a circumstance (start, end or None, and the day after the previous
#: circumstance of its category ended, or None) to its windows in a horizon.
Expander = Callable[[dt.date, "dt.date | None", "dt.date | None"], list[Window]]

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


def expander(cadence: Cadence, horizon: Horizon) -> Expander:
    """Compile ``cadence`` for ``horizon``.

    The result maps a circumstance ``(start, end, floor)`` (``end`` None: open)
    to the windows that overlap the horizon, each cut only by the circumstance.
    ``floor`` is the first day after the previous circumstance of the same
    category: a :class:`Once` window before the anchor starts no earlier, so
    that one household's windows of a rule never overlap.  For a
    :class:`Response` the "circumstance" is the event day.
    """
    if isinstance(cadence, Calendar):
        return _calendar_expander(cadence, horizon)
    if isinstance(cadence, Interval):
        return _interval_expander(cadence, horizon)
    if isinstance(cadence, Once):
        return _once_expander(cadence, horizon)
    if isinstance(cadence, Span):
        return _span_expander(cadence, horizon)
    if isinstance(cadence, Festival):
        return _festival_expander(cadence, horizon)
    return _response_expander(cadence, horizon)


def _calendar_expander(cadence: Calendar, horizon: Horizon) -> Expander:
    # The periods (or their ``within`` part) that overlap the horizon are the
    # same for every household: compute them once, then cut per circumstance.
    table: list[Window] = []
    for start, end in overlapping(cadence.period, horizon.start, horizon.end):
        if cadence.within is not None:
            first, last = cadence.within
            start, end = add_months(start, first - 1), add_months(start, last) - ONE_DAY
            if not horizon.overlaps(start, end):
                continue
        table.append((start, end, label(cadence.period, start)))
    starts = [w[0] for w in table]
    ends = [w[1] for w in table]
    h_start, h_end = horizon.start, horizon.end

    def expand(c_start: dt.date, c_end: dt.date | None, _floor: dt.date | None) -> list[Window]:
        last = MAX_DATE if c_end is None else c_end
        out = []
        for i in range(bisect.bisect_left(ends, c_start), bisect.bisect_right(starts, last)):
            window = table[i]
            start, end = window[0], window[1]
            if start >= c_start and end <= last:
                out.append(window)
                continue
            start, end = max(start, c_start), min(end, last)
            if start <= h_end and h_start <= end:
                out.append((start, end, window[2]))
        return out

    return expand


def _interval_expander(cadence: Interval, horizon: Horizon) -> Expander:
    per_month = cadence.unit is IntervalUnit.MONTHS
    step_days = cadence.every * (7 if cadence.unit is IntervalUnit.WEEKS else 1)

    def expand(c_start: dt.date, c_end: dt.date | None, _floor: dt.date | None) -> list[Window]:
        last = MAX_DATE if c_end is None else c_end
        lo, hi = max(c_start, horizon.start), min(last, horizon.end)
        if lo > hi:
            return []
        if per_month:
            elapsed = (lo.year - c_start.year) * 12 + lo.month - c_start.month
            k = max(0, elapsed // cadence.every - 1)
        else:
            k = (lo - c_start).days // step_days
        out = []
        start = cadence.boundary(c_start, k)
        while start <= hi:
            following = cadence.boundary(c_start, k + 1)
            end = min(following - ONE_DAY, last)
            if end >= lo:
                out.append((start, end, f"n{k + 1}"))
            k, start = k + 1, following
        return out

    return expand


def _once_expander(cadence: Once, horizon: Horizon) -> Expander:
    first = dt.timedelta(days=cadence.first_day)
    last_offset = dt.timedelta(days=cadence.last_day)

    def expand(c_start: dt.date, c_end: dt.date | None, floor: dt.date | None) -> list[Window]:
        # Not cut by the circumstance start (a "before" window precedes it),
        # only by the end of the previous circumstance of the category.
        start, end = c_start + first, c_start + last_offset
        if floor is not None and start < floor:
            if end < floor:
                return []
            start = floor
        if c_end is not None:
            if c_end < start:
                return []
            end = min(end, c_end)
        return [(start, end, "once")] if horizon.overlaps(start, end) else []

    return expand


def _span_expander(cadence: Span, horizon: Horizon) -> Expander:
    open_length = dt.timedelta(days=cadence.open_days - 1)

    def expand(c_start: dt.date, c_end: dt.date | None, _floor: dt.date | None) -> list[Window]:
        end = c_start + open_length if c_end is None else c_end
        return [(c_start, end, "span")] if horizon.overlaps(c_start, end) else []

    return expand


def festival_windows(cadence: Festival, horizon: Horizon) -> list[Window]:
    """Every window of ``cadence`` that overlaps ``horizon``, by start; labelled with the festival's date.

    Raises :class:`~visits.core.errors.VisitsError` if the horizon needs festival
    dates outside the years the lunar tables cover.
    """
    first = dt.timedelta(days=cadence.first_day)
    last = dt.timedelta(days=cadence.last_day)
    # A festival on day d has its window at d+first..d+last, so the festivals
    # that matter fall between these two days.
    low, high = horizon.start - last, horizon.end - first
    if low.year < festivals.FIRST_YEAR or high.year > festivals.LAST_YEAR:
        message = (
            f"festival dates are known for {festivals.FIRST_YEAR}..{festivals.LAST_YEAR} only; "
            f"{', '.join(cadence.festivals)} windows for {horizon.start}..{horizon.end} need {low.year}..{high.year}"
        )
        raise VisitsError([Problem(path="horizon", message=message)])
    table = [
        (day + first, day + last, day.isoformat())
        for name in cadence.festivals
        for year in range(low.year, high.year + 1)
        for day in festivals.dates(name, year)
        if low <= day <= high
    ]
    return sorted(table)


def _festival_expander(cadence: Festival, horizon: Horizon) -> Expander:
    table = festival_windows(cadence, horizon)
    h_start, h_end = horizon.start, horizon.end

    def expand(c_start: dt.date, c_end: dt.date | None, _floor: dt.date | None) -> list[Window]:
        last = MAX_DATE if c_end is None else c_end
        out = []
        for start, end, label_ in table:
            if end < c_start or start > last:
                continue
            start, end = max(start, c_start), min(end, last)
            if start <= h_end and h_start <= end:
                out.append((start, end, label_))
        return out

    return expand


def _response_expander(cadence: Response, horizon: Horizon) -> Expander:
    delay = dt.timedelta(days=cadence.within_days)

    def expand(day: dt.date, _end: dt.date | None, _floor: dt.date | None) -> list[Window]:
        end = day + delay
        return [(day, end, "event")] if horizon.overlaps(day, end) else []

    return expand


def describe(cadence: Cadence) -> str:
    """A short English description of a cadence.

    >>> describe(Calendar(period=Period.YEAR, within=(12, 12)))
    'yearly, month 12 of the year'
    >>> describe(Once(first_day=-30, last_day=-1))
    'once, days -30..-1 from start'
    """
    if isinstance(cadence, Calendar):
        text = {"week": "weekly (ISO week)", "half": "half-yearly"}.get(
            cadence.period.value, cadence.period.value + "ly"
        )
        if cadence.within is not None:
            first, last = cadence.within
            months = f"month {first}" if first == last else f"months {first}-{last}"
            text += f", {months} of the {cadence.period.value}"
        return text
    if isinstance(cadence, Interval):
        return f"every {cadence.every} {cadence.unit.value} from start"
    if isinstance(cadence, Once):
        if cadence.first_day == cadence.last_day:
            return f"once, day {cadence.first_day} from start"
        return f"once, days {cadence.first_day}..{cadence.last_day} from start"
    if isinstance(cadence, Span):
        return f"whole span (first {cadence.open_days} days while open)"
    if isinstance(cadence, Festival):
        names = " and ".join(cadence.festivals)
        first, last = cadence.first_day, cadence.last_day
        if last == -1 and first < 0:
            return f"the {-first} days before {names}"
        if first == last:
            return f"day {first} from {names}"
        return f"days {first}..{last} from {names}"
    if cadence.within_days == 0:
        return "same day"
    unit = "working day" if cadence.working_days else "day"
    return f"within {cadence.within_days} {unit}{'s' if cadence.within_days > 1 else ''}"
