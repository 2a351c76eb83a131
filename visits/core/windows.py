"""Windows: a cadence expanded over a horizon, for each circumstance or event.

:func:`expander` compiles a cadence for one horizon into a function from a
circumstance interval to its windows; the planner calls it once per rule.
Pure date arithmetic over :mod:`visits.core.cadence`'s shapes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable

from visits.core import festivals
from visits.core.cadence import Cadence, Calendar, Festival, Interval, IntervalUnit, Once, Response, Span, add_months
from visits.core.checks import MAX_DATE
from visits.core.community import Horizon
from visits.core.errors import Problem, VisitsError
from visits.core.periods import ONE_DAY, label, overlapping

__all__ = ["Expander", "Window", "expander", "festival_windows"]

#: (first day, last day, label) of one window; the label is unique per anchor.
Window = tuple[dt.date, dt.date, str]
#: Maps a circumstance (start, end or None, and the day after the previous
#: circumstance of its category ended, or None) to its windows in a horizon.
Expander = Callable[[dt.date, "dt.date | None", "dt.date | None"], list[Window]]


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
