"""The planner: rulebook x households x events x horizon -> obligations.

:func:`plan` is a pure generator.  It reads no clock and keeps no state
between calls; the same inputs (in any order) give the same obligations, with
the same keys, in the same order:

1. the duties of units (rules triggered by a ``level``) first, units in the
   order given (the organisation's), then rules in rulebook order;
2. households by id (plain string order), including any household that only
   appears in an event;
3. within a household, rules in rulebook order;
4. within a rule, windows by start date (events by date, then id).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter

import attrs

from visits.core.cadence import Response
from visits.core.community import Circumstance, Event, Horizon, Household
from visits.core.errors import Problem, VisitsError
from visits.core.organisation import Unit
from visits.core.periods import ONE_DAY
from visits.core.rules import CategoryTrigger, Due, EventTrigger, Rule, Rulebook, UnitTrigger
from visits.core.vocabulary import CalendarStatus
from visits.core.windows import Expander, expander
from visits.core.workdays import Adjustment, WorkCalendar

__all__ = ["Obligation", "key_part", "plan", "plan_sorted"]


@attrs.frozen(kw_only=True)
class Obligation:
    """Someone in one of ``rule.roles`` must do ``rule.action`` at ``household``
    (or, for a unit's duty, at ``unit``) between ``start`` and ``end``
    (inclusive), by ``due`` at the latest.

    Exactly one of ``household`` and ``unit`` is set.  ``key`` is stable
    across runs and horizons: ``household/rule/anchor/period`` for a
    circumstance (anchor = circumstance start; period = ``2026-03``,
    ``2026-W53``, ``n2`` for the 2nd interval, ``once`` or ``span``),
    ``household/rule/event-id`` for an event, and ``unit/rule/period`` for a
    unit's duty (whose anchor is its window's first day).  ``/`` and ``%``
    inside ids are written ``%2F`` and ``%25`` so that keys stay unambiguous;
    a key names its rule, so a unit's key never equals a household's.
    """

    key: str
    household: str | None
    rule: Rule
    start: dt.date
    end: dt.date
    due: dt.date
    anchor: dt.date
    event: str | None = None
    calendar: CalendarStatus | None = None
    adjustment: Adjustment | None = None
    unit: str | None = None

    @property
    def subject(self) -> str:
        """The id of what the obligation is about: the household, or the unit for a unit's duty."""
        return self.household if self.household is not None else str(self.unit)

    @property
    def provisional(self) -> bool:
        """Whether the dates rest on an assumed (not yet official) working-day calendar."""
        return self.calendar == "provisional"

    @property
    def rule_id(self) -> str:
        """The rule's id (the ``rule`` field of the JSON contract)."""
        return self.rule.id

    @property
    def category(self) -> str | None:
        """The circumstance category behind the obligation, if any."""
        return self.rule.category


def key_part(text: str) -> str:
    """Escape an id for use inside an obligation key.

    >>> key_part("estate/7")
    'estate%2F7'
    """
    if "/" in text or "%" in text:
        return text.replace("%", "%25").replace("/", "%2F")
    return text


_Due = tuple[dt.date, "CalendarStatus | None", "Adjustment | None"]


@attrs.frozen
class Compiled:
    """A rule ready to expand over one horizon (shared with :mod:`visits.core.columnar`)."""

    index: int
    rule: Rule
    expand: Expander
    due_delta: dt.timedelta | None
    working_due: bool
    respond_in_working_days: int | None
    calendar: WorkCalendar | None  # None when the rule counts calendar days only
    cache: dict[tuple[dt.date, dt.date, bool], _Due] = attrs.field(factory=dict)

    def due(self, start: dt.date, end: dt.date, provisional: bool = False) -> _Due:
        """The due date of a window, its calendar status, and any adjustment (cached per window)."""
        delta = self.due_delta
        nominal = end if delta is None else min(end, start + delta)
        calendar = self.calendar
        if calendar is None:
            return nominal, None, None
        key = (start, end, provisional)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        adjustment = None
        due = nominal
        if self.working_due:
            due, adjustment, searched = calendar.last_working_day(start, nominal)
            provisional = provisional or searched
        found: _Due = (due, "provisional" if provisional else "official", adjustment)
        self.cache[key] = found
        return found


def check_unique(households: list[Household], events: list[Event]) -> None:
    """Raise :class:`~visits.core.errors.VisitsError` if household or event ids repeat (keys would collide)."""
    problems = []
    for what, items in (("household", households), ("event", events)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                problems.append(Problem(path=f"{what}s", message=f"duplicate {what} id {item.id!r}"))
            seen.add(item.id)
    if problems:
        raise VisitsError(problems)


def plan(
    rulebook: Rulebook,
    households: Iterable[Household],
    events: Iterable[Event],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None,
    units: Iterable[Unit] = (),
) -> Iterator[Obligation]:
    """Every obligation whose window overlaps ``horizon``, in a fixed order.

    Windows are cut by their circumstance, never by the horizon.  Rules that
    use working days consult ``calendar``, which may be ``None`` only for a
    rulebook that uses none (``ValueError`` otherwise; :func:`visits.plan`
    passes China's calendar when given none).  Raises
    :class:`~visits.core.errors.VisitsError` before yielding anything if household
    or event ids repeat (the keys would collide).  An event at a household
    that is not listed is planned as if the household had no circumstances.
    ``units`` (the organisation's) owe the duties of their level.
    """
    by_id = sorted(households, key=attrgetter("id"))
    event_list = list(events)
    check_unique(by_id, event_list)
    events_of: dict[str, list[Event]] = defaultdict(list)
    for event in event_list:
        events_of[event.household].append(event)
    known = {h.id for h in by_id}
    orphans = [Household(id=h) for h in events_of if h not in known]
    if orphans:
        by_id = sorted(by_id + orphans, key=attrgetter("id"))
    pairs = ((h, events_of.get(h.id, ())) for h in by_id)
    return _generate(rulebook, pairs, horizon, calendar, tuple(units))


def plan_sorted(
    rulebook: Rulebook,
    households: Iterable[tuple[Household, Sequence[Event]]],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None,
    units: Iterable[Unit] = (),
) -> Iterator[Obligation]:
    """Stream obligations from households given in increasing id order.

    Each household comes with its own events.  Only one household is held at a
    time, so memory does not grow with the community; the output is the same
    as :func:`plan`'s (the units' duties first).  Raises :class:`~visits.core.errors.VisitsError` (while
    streaming) if ids do not increase or an event belongs to another household.
    """
    return _generate(rulebook, _checked(households), horizon, calendar, tuple(units))


def _checked(
    households: Iterable[tuple[Household, Sequence[Event]]],
) -> Iterator[tuple[Household, Sequence[Event]]]:
    previous: str | None = None
    for household, events in households:
        if previous is not None and household.id <= previous:
            message = f"household {household.id!r} after {previous!r}: ids must strictly increase"
            raise VisitsError([Problem(path="households", message=message)])
        for event in events:
            if event.household != household.id:
                message = f"event {event.id!r} belongs to {event.household!r}, given with {household.id!r}"
                raise VisitsError([Problem(path="events", message=message)])
        previous = household.id
        yield household, events


def _generate(
    rulebook: Rulebook,
    households: Iterable[tuple[Household, Sequence[Event]]],
    horizon: Horizon,
    calendar: WorkCalendar | None,
    units: Sequence[Unit],
) -> Iterator[Obligation]:
    calendar = needs_calendar(rulebook, calendar)
    by_category, on_events, duties = compile_rules(rulebook, horizon, calendar)
    if duties:
        yield from _duties(duties, units)
    for household, unsorted_events in households:
        circumstances = household.circumstances
        if not circumstances and not unsorted_events:
            continue
        own_events = sorted(unsorted_events, key=attrgetter("date", "id"))
        prefix = key_part(household.id) + "/"
        entries: list[Compiled] = []
        for category in {c.category for c in circumstances}:
            entries.extend(by_category.get(category, ()))
        if own_events:
            entries.extend(on_events)
        entries.sort(key=attrgetter("index"))
        ordered = sorted(circumstances, key=attrgetter("start"))
        for entry in entries:
            if isinstance(entry.rule.trigger, EventTrigger):
                yield from _on_events(entry, household.id, prefix, own_events, horizon, calendar)
            else:
                yield from _in_circumstances(entry, household.id, prefix, ordered)


def needs_calendar(rulebook: Rulebook, calendar: WorkCalendar | None) -> WorkCalendar | None:
    """The calendar planning consults: ``None`` for a rulebook that counts no working days.

    Raises ``ValueError`` if the rulebook counts working days and none is given.
    """
    if not rulebook.uses_working_days():
        return None
    if calendar is None:
        raise ValueError(f"rulebook {rulebook.name!r} counts working days: plan() needs a working-day calendar")
    return calendar


def compile_rules(
    rulebook: Rulebook, horizon: Horizon, calendar: WorkCalendar | None
) -> tuple[dict[str, list[Compiled]], list[Compiled], dict[str, list[Compiled]]]:
    """Each rule ready to expand over ``horizon``: by category, triggered by events, and by unit level."""
    by_category: dict[str, list[Compiled]] = defaultdict(list)
    on_events: list[Compiled] = []
    duties: dict[str, list[Compiled]] = defaultdict(list)
    for index, rule in enumerate(rulebook.rules):
        delta = None if rule.due_days is None else dt.timedelta(days=rule.due_days)
        cadence = rule.cadence
        working_response = cadence.within_days if isinstance(cadence, Response) and cadence.working_days else None
        working_due = rulebook.due_of(rule) is Due.LAST_WORKING_DAY
        uses = calendar if rulebook.counts_working_days(rule) else None
        compiled = Compiled(index, rule, expander(cadence, horizon), delta, working_due, working_response, uses)
        if isinstance(rule.trigger, CategoryTrigger):
            by_category[rule.trigger.category].append(compiled)
        elif isinstance(rule.trigger, UnitTrigger):
            duties[rule.trigger.level].append(compiled)
        else:
            on_events.append(compiled)
    return by_category, on_events, duties


def _duties(duties: dict[str, list[Compiled]], units: Sequence[Unit]) -> Iterator[Obligation]:
    """The duties of each unit of a level that owes some, over the whole horizon."""
    for unit in units:
        for entry in duties.get(unit.level, ()):
            rule_prefix = key_part(unit.id) + "/" + entry.rule.id + "/"
            for start, end, period in entry.expand(dt.date.min, None, None):
                due, status, adjustment = entry.due(start, end)
                yield Obligation(
                    key=rule_prefix + period,
                    household=None,
                    unit=unit.id,
                    rule=entry.rule,
                    start=start,
                    end=end,
                    due=due,
                    anchor=start,
                    calendar=status,
                    adjustment=adjustment,
                )


def _on_events(
    entry: Compiled,
    household_id: str,
    prefix: str,
    events: Sequence[Event],
    horizon: Horizon,
    calendar: WorkCalendar | None,
) -> Iterator[Obligation]:
    """The obligations an event rule makes at one household: one per matching event."""
    rule = entry.rule
    trigger = rule.trigger
    assert isinstance(trigger, EventTrigger)
    rule_prefix = prefix + rule.id + "/"
    for event in events:
        if not trigger.matches(event.kind, event.severity):
            continue
        provisional = False
        if entry.respond_in_working_days is not None and calendar is not None:
            end, provisional = calendar.add_working_days(event.date, entry.respond_in_working_days)
            windows = [(event.date, end, "")] if horizon.overlaps(event.date, end) else []
        else:
            windows = entry.expand(event.date, event.date, None)
        for start, end, _ in windows:
            due, status, adjustment = entry.due(start, end, provisional)
            yield Obligation(
                key=rule_prefix + key_part(event.id),
                household=household_id,
                rule=rule,
                start=start,
                end=end,
                due=due,
                anchor=event.date,
                event=event.id,
                calendar=status,
                adjustment=adjustment,
            )


def _in_circumstances(
    entry: Compiled, household_id: str, prefix: str, ordered: Sequence[Circumstance]
) -> Iterator[Obligation]:
    """The obligations a category rule makes at one household, over its circumstances in start order.

    A circumstance's windows start no earlier than the day after the previous
    one of the category ended (``floor``).
    """
    rule = entry.rule
    trigger = rule.trigger
    assert isinstance(trigger, CategoryTrigger)
    rule_prefix = prefix + rule.id + "/"
    plain, delta, cache = entry.calendar is None, entry.due_delta, entry.cache
    floor: dt.date | None = None
    for circumstance in ordered:
        if circumstance.category != trigger.category:
            continue
        anchor = circumstance.start
        anchor_prefix = rule_prefix + anchor.isoformat() + "/"
        windows = entry.expand(anchor, circumstance.end, floor)
        if circumstance.end is not None:
            floor = circumstance.end + ONE_DAY
        for start, end, period in windows:
            if plain:
                due, status, adjustment = (end if delta is None else min(end, start + delta)), None, None
            else:
                due, status, adjustment = cache.get((start, end, False)) or entry.due(start, end)
            yield Obligation(
                key=anchor_prefix + period,
                household=household_id,
                rule=rule,
                start=start,
                end=end,
                due=due,
                anchor=anchor,
                calendar=status,
                adjustment=adjustment,
            )
