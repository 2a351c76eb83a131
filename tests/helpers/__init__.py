"""Small builders shared by the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from visits import (
    Circumstance,
    Event,
    Horizon,
    Household,
    Obligation,
    Rulebook,
    load_rulebook,
    plan,
)
from visits.core.community import Community
from visits.core.roster import Roster
from visits.core.workdays import WorkCalendar
from visits.service import monthly_roster

BAIBUTING = load_rulebook("baibuting")


def d(text: str) -> dt.date:
    """A date from ``YYYY-MM-DD``."""
    return dt.date.fromisoformat(text)


def horizon(start: str, end: str) -> Horizon:
    return Horizon(start=d(start), end=d(end))


def circ(category: str, start: str, end: str | None = None) -> Circumstance:
    return Circumstance(category=category, start=d(start), end=None if end is None else d(end))


def home(*circumstances: Circumstance, ident: str = "H1") -> Household:
    return Household(id=ident, circumstances=circumstances)


def event(kind: str, day: str, severity: str = "minor", ident: str = "E1", household: str = "H1") -> Event:
    return Event(id=ident, household=household, kind=kind, date=d(day), severity=severity)


def windows(
    rule_id: str,
    households: Iterable[Household],
    span: Horizon,
    events: Iterable[Event] = (),
    rulebook: Rulebook = BAIBUTING,
) -> list[tuple[str, str, str]]:
    """(start, end, nominal due) of one rule's obligations, as ISO strings.

    The nominal due date is the cadence's, before a working-day rule moves it
    (see :func:`dues` for the date that is printed).
    """
    return [
        (o.start.isoformat(), o.end.isoformat(), nominal_due(o).isoformat())
        for o in obligations(households, span, events, rulebook)
        if o.rule.id == rule_id
    ]


def nominal_due(o: Obligation) -> dt.date:
    """The due date before any working-day adjustment."""
    return o.due if o.adjustment is None else o.adjustment.nominal


def dues(
    rule_id: str,
    households: Iterable[Household],
    span: Horizon,
    events: Iterable[Event] = (),
    rulebook: Rulebook = BAIBUTING,
) -> list[tuple[str, str | None, str | None]]:
    """(due, why it moved or None, calendar) of one rule's obligations."""
    return [
        (o.due.isoformat(), None if o.adjustment is None else o.adjustment.reason.value, o.calendar)
        for o in obligations(households, span, events, rulebook)
        if o.rule.id == rule_id
    ]


def obligations(
    households: Iterable[Household],
    span: Horizon,
    events: Iterable[Event] = (),
    rulebook: Rulebook = BAIBUTING,
) -> list[Obligation]:
    return list(plan(rulebook, households, events, span))


def keys(rule_id: str, households: Iterable[Household], span: Horizon) -> list[str]:
    return [o.key for o in obligations(households, span) if o.rule.id == rule_id]


def month_roster(
    rulebook: Rulebook,
    community: Community,
    year: int,
    month: int,
    *,
    calendar: WorkCalendar | None = None,
    **options: Any,
) -> Roster:
    """The roster of one month, with the rulebook's gatherings and sensitive categories, as the CLI builds it."""
    return monthly_roster(rulebook, community, year, month, calendar=calendar, **options)
