"""Assignment over the columnar planner's rows gives assign()'s answers, row for row."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, home
from visits import Community, Horizon, Rulebook
from visits.core.assign import Assigned, Choice, assign
from visits.core.columnar import HouseholdTable, plan_columns
from visits.core.columnar_assign import assign_columns
from visits.core.organisation import Absence, Organisation, Person, Position, Unit
from visits.core.planner import plan
from visits.core.workdays import WorkCalendar, monday_to_friday
from visits.testing import strategies as vst

_TWICE = settings(max_examples=120)
WEEKDAYS = monday_to_friday()


def both(
    rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar | None
) -> tuple[list[Assigned], list[Assigned]]:
    organisation = community.organisation
    units = organisation.units if organisation is not None else ()
    buildings = {h.id: h.building for h in community.households}
    vocabulary = rulebook.vocabulary
    planned = plan(rulebook, community.households, community.events, span, calendar=calendar, units=units)
    expected = list(assign(planned, organisation, buildings, vocabulary))
    table = HouseholdTable.from_households(community.households, community.events)
    columns = plan_columns(rulebook, table, span, calendar=calendar, units=units)
    found = assign_columns(columns, organisation, buildings, vocabulary)
    assert found.assignees() == [a.assignee for a in expected]
    assert len(set(found.choices)) == len(found.choices)  # each distinct assignment once
    return expected, list(found.assigned())


@_TWICE
@given(st.data(), st.one_of(st.just(BAIBUTING), vst.rulebooks(duties=True)), vst.horizons(), vst.work_calendars())
def test_the_same_assignment_for_every_row_in_the_same_order(
    data: st.DataObject, rulebook: Rulebook, span: Horizon, calendar: WorkCalendar
) -> None:
    community = data.draw(vst.organised_communities(max_households=6, vocabulary=rulebook.vocabulary))
    expected, found = both(rulebook, community, span, calendar)
    assert found == expected


@given(vst.communities(max_households=5), vst.horizons(max_days=400))
def test_without_an_organisation_every_row_says_so(community: Community, span: Horizon) -> None:
    expected, found = both(BAIBUTING, community, span, WEEKDAYS)
    assert found == expected
    assert all(a.assignment.choice is Choice.NO_ORGANISATION for a in found)


def _organisation(away: tuple[dt.date, dt.date] | None) -> Organisation:
    """One building B; a group leader of rank 1 (away over ``away``, if given) and one of rank 2."""
    absences = (Absence(start=away[0], end=away[1]),) if away else ()
    units = (
        Unit(id="C", level="community"),
        Unit(id="E", level="estate", parent="C"),
        Unit(id="Z", level="zone", parent="E"),
        Unit(id="B", level="building", parent="Z"),
    )
    people = (
        Person(id="P1", positions=(Position(role="group_leader", unit="B", rank=1),), absences=absences),
        Person(id="P2", positions=(Position(role="group_leader", unit="B", rank=2),)),
    )
    return Organisation(units=units, people=people)


def _unemployed(away: tuple[dt.date, dt.date] | None) -> Community:
    household = attrs.evolve(home(circ("unemployed", "2026-01-01")), building="B")
    return Community(households=(household,), organisation=_organisation(away))


def test_an_absence_covering_some_windows_sends_those_rows_only_down_the_line() -> None:
    """P1 is away for all of March: the weekly windows inside March go to P2, the others stay with P1."""
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    span = Horizon(start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 30))
    expected, found = both(BAIBUTING, _unemployed(march), span, WEEKDAYS)
    assert found == expected
    weekly = [a for a in found if a.obligation.rule.id == "unemployed.contact"]
    inside = [a for a in weekly if march[0] <= a.obligation.start and a.obligation.end <= march[1]]
    outside = [a for a in weekly if a not in inside]
    assert inside and all(a.assignee == "P2" and a.assignment.choice is Choice.NEXT_IN_LINE for a in inside)
    assert outside and all(a.assignee == "P1" and a.assignment.choice is Choice.FIRST for a in outside)


def test_rows_share_their_assignment_values() -> None:
    community = _unemployed(None)
    assert community.organisation is not None
    table = HouseholdTable.from_households(community.households)
    columns = plan_columns(
        BAIBUTING, table, Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)), calendar=WEEKDAYS
    )
    found = assign_columns(columns, community.organisation, {"H1": "B"}, BAIBUTING.vocabulary)
    assert len(found) == len(columns) > len(found.choices)
    assert np.array_equal(np.unique(found.choice), np.arange(len(found.choices)))
