"""The columnar planner: a batch of households planned into numpy columns.

:func:`plan_columns` makes the same obligations as :func:`visits.core.planner.plan`,
field for field and in the same order, but as arrays: one row per
obligation, dates as ``datetime64[D]``, rules, subjects, period labels,
events and adjustments as small integers indexing tuples.  Nothing is built
per obligation: a rule's windows are cut for every circumstance of its
category at once (binary search into the calendar's periods, arithmetic for
intervals), and working-day due dates are looked up once per distinct window.

The object planner stays the reference; :meth:`PlanColumns.obligations` is a
view of the columns as :class:`~visits.core.planner.Obligation` objects, and
the property tests hold the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from visits.core.cadence import Calendar, Festival, Interval, IntervalUnit, Once, Response, Span
from visits.core.checks import MAX_DATE
from visits.core.community import Event, Horizon, Household
from visits.core.organisation import Unit
from visits.core.planner import Compiled as _Compiled
from visits.core.planner import Obligation, check_unique, compile_rules, key_part, needs_calendar
from visits.core.rules import EventTrigger, Rulebook, UnitTrigger
from visits.core.workdays import Adjustment, DueReason, WorkCalendar

__all__ = ["EPOCH", "OPEN_END", "HouseholdTable", "PlanColumns", "plan_columns"]

Ints = npt.NDArray[np.int64]
#: The ordinal of 1970-01-01: the columns count days from it.
EPOCH = dt.date(1970, 1, 1).toordinal()
#: The day the table puts as an open circumstance's end, where its windows stop.
OPEN_END = MAX_DATE.toordinal() - EPOCH
_STATUS = (None, "official", "provisional")
#: How far back a working-day due date is first searched for (a longer holiday is looked up window by window).
_SEARCH = dt.timedelta(days=62)
_FAR = -(1 << 40)


def _day(date: dt.date) -> int:
    return date.toordinal() - EPOCH


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(day + EPOCH)


def _ints(values: Sequence[int] | Iterable[int]) -> Ints:
    return np.fromiter(values, dtype=np.int64)


@attrs.frozen(eq=False)
class HouseholdTable:
    """Households, their circumstances and events as columns.

    ``ids`` are the household ids in increasing order (each once, including a
    household that only appears in an event).  Circumstance ``i`` belongs to
    household ``c_household[i]``, is of category ``categories[c_category[i]]``
    and runs from day ``c_start[i]`` to ``c_end[i]`` (days since 1970-01-01;
    an open one, ``c_open[i]``, has the last allowed date), sorted by
    household, category and start.  Events likewise, sorted by household,
    date and id; event ``i`` is of the kind and severity
    ``event_kinds[e_kind[i]]``.
    """

    ids: tuple[str, ...]
    categories: tuple[str, ...]
    c_household: Ints
    c_category: Ints
    c_start: Ints
    c_end: Ints
    c_open: npt.NDArray[np.bool_]
    events: tuple[Event, ...]
    e_household: Ints
    e_date: Ints
    event_kinds: tuple[tuple[str, str | None], ...]
    e_kind: Ints

    @classmethod
    def from_households(cls, households: Iterable[Household], events: Iterable[Event] = ()) -> HouseholdTable:
        """Columns from household and event objects (the ids must not repeat)."""
        homes = sorted(households, key=lambda h: h.id)
        event_list = list(events)
        check_unique(homes, event_list)
        ids = sorted({h.id for h in homes} | {e.household for e in event_list})
        position = {ident: i for i, ident in enumerate(ids)}
        categories: dict[str, int] = {}
        rows = [
            (position[h.id], categories.setdefault(c.category, len(categories)), _day(c.start), order, c.end)
            for h in homes
            for order, c in enumerate(h.circumstances)
        ]
        rows.sort(key=lambda row: row[:4])
        ordered = sorted(event_list, key=lambda e: (position[e.household], e.date, e.id))
        kinds: dict[tuple[str, str | None], int] = {}
        return cls(
            ids=tuple(ids),
            categories=tuple(categories),
            c_household=_ints(r[0] for r in rows),
            c_category=_ints(r[1] for r in rows),
            c_start=_ints(r[2] for r in rows),
            c_end=_ints(OPEN_END if r[4] is None else _day(r[4]) for r in rows),
            c_open=np.fromiter((r[4] is None for r in rows), dtype=np.bool_, count=len(rows)),
            events=tuple(ordered),
            e_household=_ints(position[e.household] for e in ordered),
            e_date=_ints(_day(e.date) for e in ordered),
            e_kind=_ints(kinds.setdefault((e.kind, e.severity), len(kinds)) for e in ordered),
            event_kinds=tuple(kinds),
        )


@attrs.frozen(eq=False)
class PlanColumns:
    """Obligations as columns, one row each, in the planner's order.

    Row ``i`` is owed by ``subjects[subject[i]]``: a unit when
    ``subject[i] < unit_count``, else a household.  ``period[i]`` indexes
    ``labels`` (``-1`` for an event's obligation), ``event[i]`` the events of
    the household table (``-1``: none), ``adjustment[i]`` ``adjustments``
    (``-1``: none); ``calendar[i]`` is 0 (no calendar), 1 (official) or 2
    (provisional).
    """

    rulebook: Rulebook
    subjects: tuple[str, ...]
    unit_count: int
    labels: tuple[str, ...]
    events: tuple[Event, ...]
    adjustments: tuple[Adjustment, ...]
    subject: Ints
    rule: Ints
    start: npt.NDArray[np.datetime64]
    end: npt.NDArray[np.datetime64]
    due: npt.NDArray[np.datetime64]
    anchor: npt.NDArray[np.datetime64]
    period: Ints
    event: Ints
    calendar: npt.NDArray[np.int8]
    adjustment: Ints

    def __len__(self) -> int:
        return len(self.rule)

    def keys(self) -> list[str]:
        """Each row's obligation key (as :class:`~visits.core.planner.Obligation` defines it)."""
        parts = [key_part(s) + "/" for s in self.subjects]
        rules = [r.id + "/" for r in self.rulebook.rules]
        events = [key_part(e.id) for e in self.events]
        labels, units = self.labels, self.unit_count
        out = []
        for s, r, a, p, e in zip(
            self.subject.tolist(),
            self.rule.tolist(),
            self.anchor.tolist(),
            self.period.tolist(),
            self.event.tolist(),
            strict=True,
        ):
            if e >= 0:
                out.append(parts[s] + rules[r] + events[e])
            elif s < units:
                out.append(parts[s] + rules[r] + labels[p])
            else:
                out.append(parts[s] + rules[r] + a.isoformat() + "/" + labels[p])
        return out

    def obligations(self) -> Iterator[Obligation]:
        """The rows as obligation objects, equal to what :func:`~visits.core.planner.plan` yields."""
        rules, subjects, units = self.rulebook.rules, self.subjects, self.unit_count
        adjustments, events = self.adjustments, self.events
        columns = zip(
            self.keys(),
            self.subject.tolist(),
            self.rule.tolist(),
            self.start.tolist(),
            self.end.tolist(),
            self.due.tolist(),
            self.anchor.tolist(),
            self.event.tolist(),
            self.calendar.tolist(),
            self.adjustment.tolist(),
            strict=True,
        )
        for key, s, r, start, end, due, anchor, e, status, adjustment in columns:
            is_unit = s < units
            yield Obligation(
                key=key,
                household=None if is_unit else subjects[s],
                unit=subjects[s] if is_unit else None,
                rule=rules[r],
                start=start,
                end=end,
                due=due,
                anchor=anchor,
                event=events[e].id if e >= 0 else None,
                calendar=_STATUS[status],  # type: ignore[arg-type]
                adjustment=adjustments[adjustment] if adjustment >= 0 else None,
            )


@attrs.define
class _Rows:
    """The rows one rule makes, before they are put in the planner's order."""

    group: Ints  # the unit's position, or unit count + the household's position
    start: Ints
    end: Ints
    anchor: Ints
    period: Ints
    event: Ints
    provisional: Ints


class _Labels:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def of(self, texts: Sequence[str]) -> Ints:
        ids = self.ids
        return _ints(ids.setdefault(t, len(ids)) for t in texts)


def plan_columns(
    rulebook: Rulebook,
    households: HouseholdTable,
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None,
    units: Sequence[Unit] = (),
) -> PlanColumns:
    """Plan a household table over ``horizon``: :func:`~visits.core.planner.plan`'s obligations, as columns."""
    calendar = needs_calendar(rulebook, calendar)
    by_category, on_events, duties = compile_rules(rulebook, horizon, calendar)
    labels = _Labels()
    h_start, h_end = _day(horizon.start), _day(horizon.end)
    offset = len(units)
    pieces: list[tuple[_Compiled, _Rows]] = []
    for compiled in [c for cs in duties.values() for c in cs]:
        trigger = compiled.rule.trigger
        assert isinstance(trigger, UnitTrigger)
        positions = [i for i, unit in enumerate(units) if unit.level == trigger.level]
        pieces.append((compiled, _duty_rows(compiled, positions, labels)))
    floors = _floors(households)
    for category, compiled_rules in by_category.items():
        if category not in households.categories:
            continue
        chosen = np.flatnonzero(households.c_category == households.categories.index(category))
        for compiled in compiled_rules:
            rows = _circumstance_rows(compiled, households, chosen, floors, (h_start, h_end), labels)
            rows.group += offset
            pieces.append((compiled, rows))
    for compiled in on_events:
        rows = _event_rows(compiled, households, (h_start, h_end), calendar)
        rows.group += offset
        pieces.append((compiled, rows))
    return _assemble(rulebook, households, units, pieces, labels)


def _duty_rows(compiled: _Compiled, positions: Sequence[int], labels: _Labels) -> _Rows:
    windows = compiled.expand(dt.date.min, None, None)
    count = len(windows)
    starts = np.tile(_ints(_day(w[0]) for w in windows), len(positions))
    return _Rows(
        group=np.repeat(_ints(positions), count),
        start=starts,
        end=np.tile(_ints(_day(w[1]) for w in windows), len(positions)),
        anchor=starts,
        period=np.tile(labels.of([w[2] for w in windows]), len(positions)),
        event=np.full(count * len(positions), -1, dtype=np.int64),
        provisional=np.zeros(count * len(positions), dtype=np.int64),
    )


def _floors(table: HouseholdTable) -> Ints:
    """Each circumstance's floor: the day after the previous one of its household and category ended (else -1).

    Circumstances of one category never overlap, so only the last of a
    household's category can be open and the previous one is always closed.
    """
    floors = np.full(len(table.c_start), -1, dtype=np.int64)
    if len(floors) > 1:
        same = (table.c_household[1:] == table.c_household[:-1]) & (table.c_category[1:] == table.c_category[:-1])
        floors[1:] = np.where(same, table.c_end[:-1] + 1, -1)
    return floors


def _circumstance_rows(
    compiled: _Compiled,
    table: HouseholdTable,
    chosen: Ints,
    floors: Ints,
    horizon: tuple[int, int],
    labels: _Labels,
) -> _Rows:
    """The windows of one category rule for the circumstances ``chosen`` (in household, start order)."""
    c_start, c_end, c_open = table.c_start[chosen], table.c_end[chosen], table.c_open[chosen]
    cadence = compiled.rule.cadence
    if isinstance(cadence, Calendar | Festival):
        src, start, end, period = _cut(compiled, c_start, c_end, horizon, labels)
    elif isinstance(cadence, Interval):
        src, start, end, period = _intervals(cadence, c_start, c_end, horizon, labels)
    else:
        src = np.arange(len(chosen), dtype=np.int64)
        if isinstance(cadence, Once):
            start, end, keep = _once(cadence, c_start, c_end, c_open, floors[chosen])
            text = "once"
        else:
            assert isinstance(cadence, Span)
            end = np.where(c_open, c_start + cadence.open_days - 1, c_end)
            start, keep = c_start, np.ones(len(chosen), dtype=bool)
            text = "span"
        keep &= (start <= horizon[1]) & (horizon[0] <= end)
        src, start, end = src[keep], start[keep], end[keep]
        period = np.full(len(src), labels.of([text])[0], dtype=np.int64)
    return _Rows(
        group=table.c_household[chosen][src],
        start=start,
        end=end,
        anchor=c_start[src],
        period=period,
        event=np.full(len(src), -1, dtype=np.int64),
        provisional=np.zeros(len(src), dtype=np.int64),
    )


def _cut(
    compiled: _Compiled, c_start: Ints, c_end: Ints, horizon: tuple[int, int], labels: _Labels
) -> tuple[Ints, Ints, Ints, Ints]:
    """Calendar and festival windows: the horizon's table, sliced and cut by each circumstance."""
    table = compiled.expand(dt.date.min, None, None)
    t_start = _ints(_day(w[0]) for w in table)
    t_end = _ints(_day(w[1]) for w in table)
    t_label = labels.of([w[2] for w in table])
    first = np.searchsorted(t_end, c_start, side="left")
    count = np.maximum(np.searchsorted(t_start, c_end, side="right") - first, 0)
    src = np.repeat(np.arange(len(c_start), dtype=np.int64), count)
    index = first[src] + np.arange(len(src), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    start = np.maximum(t_start[index], c_start[src])
    end = np.minimum(t_end[index], c_end[src])
    keep = (start <= horizon[1]) & (horizon[0] <= end)
    return src[keep], start[keep], end[keep], t_label[index[keep]]


def _add_months(days: Ints, months: Ints) -> Ints:
    """``days`` plus ``months`` months, clipped to the month's last day (as :func:`~visits.core.cadence.add_months`)."""
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    into = days - month.astype("datetime64[D]").astype(np.int64)
    target = month + months
    last = (target + 1).astype("datetime64[D]").astype(np.int64) - 1
    result: Ints = np.minimum(target.astype("datetime64[D]").astype(np.int64) + into, last)
    return result


def _months_between(first: Ints, later: Ints) -> Ints:
    """Calendar months from ``first``'s month to ``later``'s."""
    a = first.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    b = later.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return b - a


def _intervals(
    cadence: Interval, c_start: Ints, c_end: Ints, horizon: tuple[int, int], labels: _Labels
) -> tuple[Ints, Ints, Ints, Ints]:
    """Interval windows counted from each circumstance's start, those that overlap the horizon."""
    lo, hi = np.maximum(c_start, horizon[0]), np.minimum(c_end, horizon[1])
    live = np.flatnonzero(lo <= hi)
    cs, ce, lo, hi = c_start[live], c_end[live], lo[live], hi[live]
    every = cadence.every
    if cadence.unit is IntervalUnit.MONTHS:
        first = np.maximum(0, _months_between(cs, lo) // every - 1)
        last = _months_between(cs, hi) // every
    else:
        step = every * (7 if cadence.unit is IntervalUnit.WEEKS else 1)
        first, last = (lo - cs) // step, (hi - cs) // step
    count = last - first + 1
    src = np.repeat(np.arange(len(cs), dtype=np.int64), count)
    k = first[src] + np.arange(len(src), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    if cadence.unit is IntervalUnit.MONTHS:
        start = _add_months(cs[src], k * every)
        following = _add_months(cs[src], (k + 1) * every)
    else:
        start = cs[src] + k * step
        following = start + step
    end = np.minimum(following - 1, ce[src])
    keep = (start <= hi[src]) & (end >= lo[src])
    k = k[keep]
    unique, inverse = np.unique(k, return_inverse=True)
    period = labels.of([f"n{n + 1}" for n in unique.tolist()])[inverse]
    return live[src[keep]], start[keep], end[keep], period


def _once(
    cadence: Once, c_start: Ints, c_end: Ints, c_open: npt.NDArray[np.bool_], floors: Ints
) -> tuple[Ints, Ints, npt.NDArray[np.bool_]]:
    """The one window of each circumstance: not before its floor, not after its end."""
    start, end = c_start + cadence.first_day, c_start + cadence.last_day
    floored = (floors >= 0) & (start < floors)
    keep = ~(floored & (end < floors))
    start = np.where(floored, floors, start)
    closed = ~c_open
    keep &= ~(closed & (c_end < start))
    end = np.where(closed, np.minimum(end, c_end), end)
    return start, end, keep


def _event_rows(
    compiled: _Compiled, table: HouseholdTable, horizon: tuple[int, int], calendar: WorkCalendar | None
) -> _Rows:
    """One window per event that triggers the rule, answered within the cadence's days."""
    trigger, cadence = compiled.rule.trigger, compiled.rule.cadence
    assert isinstance(trigger, EventTrigger) and isinstance(cadence, Response)
    triggered = np.array([trigger.matches(kind, severity) for kind, severity in table.event_kinds], dtype=bool)
    matching = np.flatnonzero(triggered[table.e_kind]) if len(triggered) else np.zeros(0, dtype=np.int64)
    day = table.e_date[matching]
    provisional = np.zeros(len(day), dtype=np.int64)
    if compiled.respond_in_working_days is not None and calendar is not None:
        unique, inverse = np.unique(day, return_inverse=True)
        found = [calendar.add_working_days(_date(d), compiled.respond_in_working_days) for d in unique.tolist()]
        end = _ints(_day(f[0]) for f in found)[inverse]
        provisional = _ints(f[1] for f in found)[inverse]
    else:
        end = day + cadence.within_days
    keep = (day <= horizon[1]) & (horizon[0] <= end)
    return _Rows(
        group=table.e_household[matching][keep],
        start=day[keep],
        end=end[keep],
        anchor=day[keep],
        period=np.full(int(keep.sum()), -1, dtype=np.int64),
        event=matching[keep],
        provisional=provisional[keep],
    )


_Search = dict[int, tuple[int, int, bool]]


def _dues(
    compiled: _Compiled, rows: _Rows, adjustments: dict[Adjustment, int], searches: _Search
) -> tuple[Ints, Ints, Ints]:
    """Due day, calendar status and adjustment of each row.

    A working-day due date is searched once per distinct nominal day, back to
    at most :data:`_SEARCH` days before it (``searches`` keeps the answers
    for every rule of the plan); a row whose window starts after the day found
    (no working day in its window) is looked up on its own.
    """
    delta = compiled.due_delta
    nominal = rows.end if delta is None else np.minimum(rows.end, rows.start + delta.days)
    none = np.full(len(nominal), -1, dtype=np.int64)
    calendar = compiled.calendar
    if calendar is None:
        return nominal, np.zeros(len(nominal), dtype=np.int64), none
    asked = rows.provisional.astype(bool)
    if not compiled.working_due:
        return nominal, np.where(asked, 2, 1), none
    unique, inverse = _distinct(nominal)
    answers = []
    for day in unique.tolist():
        answer = searches.get(day)
        if answer is None:
            last = _date(day)
            working, adjustment, provisional = calendar.last_working_day(last - _SEARCH, last)
            missing = adjustment is not None and adjustment.reason is DueReason.NO_WORKING_DAY
            adjusted = -1 if adjustment is None or missing else adjustments.setdefault(adjustment, len(adjustments))
            answer = searches[day] = (_FAR if missing else _day(working), adjusted, provisional)
        answers.append(answer)
    due = _ints(a[0] for a in answers)[inverse]
    adjustment_of = _ints(a[1] for a in answers)[inverse]
    status = np.where(asked | np.array([a[2] for a in answers], dtype=bool)[inverse], 2, 1)
    alone = np.flatnonzero(due < rows.start)
    if len(alone):
        start, end = rows.start[alone], rows.end[alone]
        code = (start - start.min()) * (1 << 24) + (end - start) * 2 + asked[alone]
        _, first, back = np.unique(code, return_index=True, return_inverse=True)
        found = [compiled.due(_date(int(start[i])), _date(int(end[i])), bool(asked[alone[i]])) for i in first]
        due[alone] = _ints(_day(f[0]) for f in found)[back]
        status[alone] = _ints(_STATUS.index(f[1]) for f in found)[back]
        ids = (-1 if f[2] is None else adjustments.setdefault(f[2], len(adjustments)) for f in found)
        adjustment_of[alone] = _ints(ids)[back]
    return due, status, adjustment_of


def _distinct(values: Ints) -> tuple[Ints, Ints]:
    """The distinct values in order, and where each value is among them (``np.unique``, without sorting days)."""
    if not len(values):
        return values, values
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > 4 * len(values) + 1024:
        unique, inverse = np.unique(values, return_inverse=True)
        return unique, inverse
    present = np.zeros(span, dtype=bool)
    present[values - low] = True
    unique = np.flatnonzero(present)
    place = np.zeros(span, dtype=np.int64)
    place[unique] = np.arange(len(unique))
    return unique + low, place[values - low]


def _assemble(
    rulebook: Rulebook,
    table: HouseholdTable,
    units: Sequence[Unit],
    pieces: list[tuple[_Compiled, _Rows]],
    labels: _Labels,
) -> PlanColumns:
    """The rows of every rule, due dates looked up, in the planner's order."""
    adjustments: dict[Adjustment, int] = {}
    searches: _Search = {}
    dues = [_dues(compiled, rows, adjustments, searches) for compiled, rows in pieces]
    rules = len(rulebook.rules)

    def column(values: Iterable[Ints]) -> Ints:
        joined = list(values)
        return np.concatenate(joined) if joined else np.zeros(0, dtype=np.int64)

    rule = column(np.full(len(rows.start), compiled.index, dtype=np.int64) for compiled, rows in pieces)
    group = column(rows.group for _, rows in pieces)
    order = np.argsort(group * rules + rule, kind="stable")

    def take(name: str) -> Ints:
        return column(getattr(rows, name) for _, rows in pieces)[order]

    def days(values: Ints) -> npt.NDArray[np.datetime64]:
        return values.astype("datetime64[D]")

    return PlanColumns(
        rulebook=rulebook,
        subjects=tuple(u.id for u in units) + table.ids,
        unit_count=len(units),
        labels=tuple(labels.ids),
        events=table.events,
        adjustments=tuple(adjustments),
        subject=group[order],
        rule=rule[order],
        start=days(take("start")),
        end=days(take("end")),
        due=days(column(d[0] for d in dues)[order]),
        anchor=days(take("anchor")),
        period=take("period"),
        event=take("event"),
        calendar=column(d[1] for d in dues)[order].astype(np.int8),
        adjustment=column(d[2] for d in dues)[order],
    )
