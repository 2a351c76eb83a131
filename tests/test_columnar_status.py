"""Status by columns: matching, the cancelled rows of one planning pass, and the report, equal to the object path."""

from __future__ import annotations

import datetime as dt

import numpy as np
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, event, home, horizon
from tests.helpers.org import UNITS, person
from tests.helpers.records import records_for
from visits import Community, Horizon, Rulebook
from visits.core.cadence import Once
from visits.core.columnar import HouseholdTable, PlanColumns, plan_columns
from visits.core.columnar_assign import AssignmentColumns, assign_columns
from visits.core.columnar_match import match_columns
from visits.core.columnar_status import split, with_ended
from visits.core.community import Visit
from visits.core.ledger import Reason, cancelled, match
from visits.core.organisation import Organisation, Person, Position
from visits.core.workdays import WorkCalendar, monday_to_friday
from visits.testing import strategies as vst

WEEKDAYS = monday_to_friday()
YEAR = horizon("2026-01-01", "2026-12-31")


def columns(
    rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar | None = WEEKDAYS
) -> tuple[PlanColumns, AssignmentColumns]:
    organisation = community.organisation
    units = organisation.units if organisation is not None else ()
    rows = plan_columns(
        rulebook,
        HouseholdTable.from_households(community.households, community.events),
        span,
        calendar=calendar,
        units=units,
    )
    buildings = {h.id: h.building for h in community.households}
    return rows, assign_columns(rows, organisation, buildings, rulebook.vocabulary)


@given(st.data(), st.one_of(st.just(BAIBUTING), vst.rulebooks(duties=True)), vst.horizons(max_days=400))
def test_matching_by_columns_is_matching_by_objects(data: st.DataObject, rulebook: Rulebook, span: Horizon) -> None:
    """Every met key, every record's keys, every unmatched record with its reason, rules and met_by."""
    community = data.draw(vst.organised_communities(max_households=6, vocabulary=rulebook.vocabulary))
    rows, assignment = columns(rulebook, community, span)
    assigned = list(assignment.assigned())
    records = data.draw(records_for(assigned, community, rulebook))
    buildings = {h.id: h.building for h in community.households}
    vocabulary = rulebook.vocabulary
    expected = match(records, assigned, community.organisation, buildings, vocabulary)
    found = match_columns(rows, assignment, records, community.organisation, buildings, vocabulary)
    assert found.matching() == expected
    assert list(found.records) == sorted(records, key=lambda v: (v.date, v.id))


@given(
    st.one_of(st.just(BAIBUTING), vst.rulebooks()),
    vst.communities(max_households=6),
    vst.horizons(max_days=600),
    vst.work_calendars(),
)
def test_one_pass_gives_the_plan_and_the_cancelled_of_a_second(
    rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar
) -> None:
    """The ended circumstances ride along: the plan is unchanged and the cancelled are ledger.cancelled's, in order."""
    table = HouseholdTable.from_households(community.households, community.events)
    extended = with_ended(table)
    planned, removed, ended = split(plan_columns(rulebook, extended.table, span, calendar=calendar), extended)
    alone = plan_columns(rulebook, table, span, calendar=calendar)
    assert list(planned.obligations()) == list(alone.obligations())
    assert planned.subjects == alone.subjects
    expected = cancelled(rulebook, community.households, span, alone.keys(), calendar=calendar)
    assert list(removed.obligations()) == [o for o, _ in expected]
    assert [dt.date.fromordinal(int(e) + 719163) for e in ended] == [c.end for _, c in expected]


class TestCancelled:
    def rows(self, *circumstances: tuple[str, str, str | None]) -> tuple[list[str], list[str], list[dt.date]]:
        table = HouseholdTable.from_households([home(*(circ(*c) for c in circumstances))])
        extended = with_ended(table)
        planned, removed, ended = split(plan_columns(BAIBUTING, extended.table, YEAR, calendar=WEEKDAYS), extended)
        return planned.keys(), removed.keys(), [dt.date.fromordinal(int(e) + 719163) for e in ended]

    def test_a_hardship_ended_on_a_month_end_cancels_every_later_month_and_quarter(self) -> None:
        planned, removed, ended = self.rows(("hardship", "2026-01-01", "2026-03-31"))
        assert removed == [
            *(f"H1/hardship.monthly/2026-01-01/2026-{m:02d}" for m in range(4, 13)),
            *(f"H1/hardship.quarterly/2026-01-01/2026-Q{q}" for q in (2, 3, 4)),
        ]
        assert ended == [d("2026-03-31")] * 12
        assert "H1/hardship.monthly/2026-01-01/2026-03" in planned and "H1/hardship.yearly/2026-01-01/2026" in planned

    def test_ended_on_a_month_s_first_day_that_month_stays_owed(self) -> None:
        """April's window is cut to 1 April, not cancelled; May on is."""
        planned, removed, _ = self.rows(("hardship", "2026-01-01", "2026-04-01"))
        assert "H1/hardship.monthly/2026-01-01/2026-04" in planned
        assert "H1/hardship.quarterly/2026-01-01/2026-Q2" in planned
        assert removed[0] == "H1/hardship.monthly/2026-01-01/2026-05" and len(removed) == 8 + 2

    def test_a_later_circumstance_of_the_category_bounds_what_the_earlier_one_would_have_owed(self) -> None:
        """Ended 31 May, again from 1 October: June to September cancelled, October on owed by the second."""
        planned, removed, ended = self.rows(("hardship", "2026-01-01", "2026-05-31"), ("hardship", "2026-10-01", None))
        monthly = [k for k in removed if ".monthly/" in k]
        assert monthly == [f"H1/hardship.monthly/2026-01-01/2026-{m:02d}" for m in (6, 7, 8, 9)]
        assert set(ended) == {d("2026-05-31")}
        assert "H1/hardship.monthly/2026-10-01/2026-10" in planned

    def test_a_window_after_the_end_is_cut_by_the_next_circumstance_of_its_category(self) -> None:
        """A bell due 5 to 20 days in: enrolled 1 to 3 March, again from 10 March.

        The first enrolment's window (6 to 21 March) opens after it ended: cancelled, as it would have run
        until the day before the second began (6 to 9 March).  The second's window is owed.
        """
        [bell] = [r for r in BAIBUTING.rules if r.id == "elderly.bell"]
        rulebook = evolve(BAIBUTING, rules=(evolve(bell, cadence=Once(first_day=5, last_day=20)),))
        households = [home(circ("elderly_alone", "2026-03-01", "2026-03-03"), circ("elderly_alone", "2026-03-10"))]
        table = HouseholdTable.from_households(households)
        extended = with_ended(table)
        planned, removed, ended = split(plan_columns(rulebook, extended.table, YEAR, calendar=WEEKDAYS), extended)
        [gone] = removed.obligations()
        assert (gone.key, gone.start, gone.end) == ("H1/elderly.bell/2026-03-01/once", d("2026-03-06"), d("2026-03-09"))
        assert [dt.date.fromordinal(int(e) + 719163) for e in ended] == [d("2026-03-03")]
        [owed] = planned.obligations()
        assert (owed.key, owed.start, owed.end) == ("H1/elderly.bell/2026-03-10/once", d("2026-03-15"), d("2026-03-30"))
        assert [o for o, _ in cancelled(rulebook, households, YEAR, planned.keys(), calendar=WEEKDAYS)] == [gone]

    def test_an_open_or_unended_household_cancels_nothing(self) -> None:
        assert self.rows(("hardship", "2026-01-01", None))[1:] == ([], [])
        assert self.rows(("hardship", "2026-01-01", "2026-12-31"))[1:] == ([], [])


def _two_rules_one_person() -> Community:
    """H1 in hardship from 1 January, at building B1; G1 its group leader, S1 its branch secretary, GS both."""
    both = Position(role="group_leader", unit="B1"), Position(role="branch_secretary", unit="E1")
    people = (
        person("G1", "group_leader", "B1"),
        person("S1", "branch_secretary", "E1"),
        Person(id="GS", positions=both),
    )
    household = home(circ("hardship", "2026-01-01"))
    return Community(
        households=(evolve(household, building="B1"),), organisation=Organisation(units=UNITS, people=people)
    )


class TestMatching:
    def found(
        self, *records: Visit, events: tuple[str, ...] = ()
    ) -> tuple[dict[str, str], list[tuple[str, Reason, tuple[str, ...]]]]:
        community = _two_rules_one_person()
        community = evolve(community, events=tuple(event("emergency", "2026-02-02", ident=e) for e in events))
        rows, assignment = columns(BAIBUTING, community, horizon("2026-01-01", "2026-03-31"))
        buildings = {h.id: h.building for h in community.households}
        found = match_columns(rows, assignment, records, community.organisation, buildings, BAIBUTING.vocabulary)
        matching = found.matching()
        assert matching == match(
            records, list(assignment.assigned()), community.organisation, buildings, BAIBUTING.vocabulary
        )
        met = {key: v.id for key, v in matching.met.items()}
        return met, [(u.record.id, u.reason, u.met_by or u.rules) for u in matching.unmatched]

    def visit(self, ident: str, day: str, person: str = "G1", action: str = "visit") -> Visit:
        return Visit(id=ident, household="H1", person=person, date=d(day), action=action)

    def test_two_records_of_one_window_the_same_day_the_smaller_id_meets_it(self) -> None:
        met, unmatched = self.found(self.visit("V2", "2026-02-10"), self.visit("V1", "2026-02-10"))
        assert met["H1/hardship.monthly/2026-01-01/2026-02"] == "V1"
        assert ("V2", Reason.ALREADY_MET, ("V1",)) in unmatched

    def test_one_record_meets_one_obligation_of_each_rule_its_person_may_fulfil(self) -> None:
        """GS is both group leader and branch secretary: one visit on 31 March meets March and the first quarter."""
        met, unmatched = self.found(self.visit("V1", "2026-03-31", person="GS"))
        assert met == {"H1/hardship.monthly/2026-01-01/2026-03": "V1", "H1/hardship.quarterly/2026-01-01/2026-Q1": "V1"}
        assert unmatched == []

    def test_the_secretary_s_visit_meets_the_quarter_only(self) -> None:
        met, _ = self.found(self.visit("V1", "2026-03-31", person="S1"), self.visit("V2", "2026-03-31"))
        assert met == {"H1/hardship.quarterly/2026-01-01/2026-Q1": "V1", "H1/hardship.monthly/2026-01-01/2026-03": "V2"}

    def test_the_first_and_last_day_of_a_window_hold_a_record_the_day_after_does_not(self) -> None:
        met, unmatched = self.found(
            self.visit("V1", "2026-01-01"), self.visit("V2", "2026-02-28"), self.visit("V3", "2026-04-01")
        )
        assert met["H1/hardship.monthly/2026-01-01/2026-01"] == "V1"
        assert met["H1/hardship.monthly/2026-01-01/2026-02"] == "V2"
        assert unmatched[0][:2] == ("V3", Reason.OUTSIDE_WINDOW)

    def test_two_windows_alike_in_all_but_the_key_go_by_the_key(self) -> None:
        """Two emergencies at H1 on one day: the first record meets the smaller key, the next the other."""
        arrive = [Visit(id=f"V{n}", household="H1", person="G1", date=d("2026-02-02"), action="arrive") for n in (1, 2)]
        met, unmatched = self.found(*arrive, events=("E2", "E10"))
        assert met == {"H1/arrive.emergency/E10": "V1", "H1/arrive.emergency/E2": "V2"}
        assert unmatched == []

    def test_no_action_and_not_eligible(self) -> None:
        _, unmatched = self.found(
            self.visit("V1", "2026-02-02", action="pickup"), self.visit("V2", "2026-02-02", person="S9")
        )
        assert unmatched == [
            ("V1", Reason.NO_ACTION, ()),
            ("V2", Reason.NOT_ELIGIBLE, ("hardship.monthly", "hardship.quarterly")),
        ]


def test_the_met_column_names_records_by_their_place_in_date_order() -> None:
    community = _two_rules_one_person()
    rows, assignment = columns(BAIBUTING, community, horizon("2026-01-01", "2026-01-31"))
    later = Visit(id="A", household="H1", person="G1", date=d("2026-01-20"), action="visit")
    earlier = Visit(id="B", household="H1", person="G1", date=d("2026-01-10"), action="visit")
    buildings = {"H1": "B1"}
    found = match_columns(rows, assignment, [later, earlier], community.organisation, buildings, BAIBUTING.vocabulary)
    assert found.records == (earlier, later)
    keys = rows.keys()
    assert [found.records[m].id for m in found.met[np.flatnonzero(found.met >= 0)]] == ["B"]
    assert keys[int(np.flatnonzero(found.met >= 0)[0])] == "H1/hardship.monthly/2026-01-01/2026-01"
