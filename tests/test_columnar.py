"""The columnar planner makes the object planner's obligations, field for field, in the same order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, event, home, horizon
from visits import Community, Horizon, Rulebook
from visits.core.cadence import Calendar, Interval, IntervalUnit, Once, Response, Span
from visits.core.columnar import HouseholdTable, PlanColumns, plan_columns
from visits.core.community import Event, Household
from visits.core.errors import VisitsError
from visits.core.organisation import Unit
from visits.core.periods import Period
from visits.core.planner import Obligation, plan
from visits.core.rules import CategoryTrigger, Due, EventTrigger, Rule
from visits.core.workdays import DueReason, WorkCalendar, monday_to_friday
from visits.io.calendars import china
from visits.testing import strategies as vst

WEEKDAYS = monday_to_friday()


def columns(
    rulebook: Rulebook,
    households: list[Household] | tuple[Household, ...],
    span: Horizon,
    events: tuple[Event, ...] | list[Event] = (),
    calendar: WorkCalendar | None = WEEKDAYS,
    units: tuple[Unit, ...] = (),
) -> PlanColumns:
    table = HouseholdTable.from_households(households, events)
    return plan_columns(rulebook, table, span, calendar=calendar, units=units)


def both(
    rulebook: Rulebook,
    community: Community,
    span: Horizon,
    calendar: WorkCalendar | None,
) -> tuple[list[Obligation], list[Obligation]]:
    units = community.organisation.units if community.organisation is not None else ()
    expected = list(plan(rulebook, community.households, community.events, span, calendar=calendar, units=units))
    found = columns(rulebook, community.households, span, community.events, calendar, units)
    return expected, list(found.obligations())


def book(*cadences: object, due: Due = Due.WINDOW_END, due_days: int | None = None) -> Rulebook:
    rules = []
    for n, cadence in enumerate(cadences):
        trigger: CategoryTrigger | EventTrigger
        if isinstance(cadence, Response):
            trigger = EventTrigger(events=("emergency",))
        else:
            trigger = CategoryTrigger(category="hardship")
        rules.append(
            Rule(
                id=f"r.{n}",
                trigger=trigger,
                roles=("committee",),
                action="visit",
                cadence=cadence,  # type: ignore[arg-type]
                source="test",
                due_days=due_days,
            )
        )
    return Rulebook(name="test", rules=tuple(rules), due=due, vocabulary=BAIBUTING.vocabulary)


def rows(found: PlanColumns) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    return [
        (key, start, end, due)
        for key, start, end, due in zip(
            found.keys(), found.start.tolist(), found.end.tolist(), found.due.tolist(), strict=True
        )
    ]


# ------------------------------------------------------------------ equivalence

#: Each example plans twice over a generated organisation: fewer of them.
_TWICE = settings(max_examples=120)


class TestSameAsThePlanner:
    @_TWICE
    @given(
        st.data(),
        st.one_of(st.just(BAIBUTING), vst.rulebooks(duties=True)),
        vst.horizons(),
        vst.work_calendars(),
    )
    def test_every_field_in_the_same_order(
        self, data: st.DataObject, rulebook: Rulebook, span: Horizon, calendar: WorkCalendar
    ) -> None:
        community = data.draw(vst.organised_communities(max_households=6))
        expected, found = both(rulebook, community, span, calendar)
        assert found == expected

    @_TWICE
    @given(st.data(), vst.horizons(max_days=400))
    def test_over_a_vocabulary_declared_as_data(self, data: st.DataObject, span: Horizon) -> None:
        vocabulary = data.draw(vst.vocabularies())
        rulebook = data.draw(vst.rulebooks(max_rules=5, vocabulary=vocabulary, duties=True))
        community = data.draw(vst.organised_communities(max_households=5, vocabulary=vocabulary))
        expected, found = both(rulebook, community, span, data.draw(vst.work_calendars()))
        assert found == expected

    @_TWICE
    @given(vst.rulebooks(), vst.communities(max_households=8), vst.horizons())
    def test_keys_and_the_calendar_status_columns(
        self, rulebook: Rulebook, community: Community, span: Horizon
    ) -> None:
        expected = list(plan(rulebook, community.households, community.events, span, calendar=WEEKDAYS))
        found = columns(rulebook, community.households, span, community.events)
        assert found.keys() == [o.key for o in expected]
        assert len(found) == len(expected)
        statuses = [(None, "official", "provisional")[s] for s in found.calendar.tolist()]
        assert statuses == [o.calendar for o in expected]

    def test_the_demo_community(self) -> None:
        from visits.testing.demo import generate

        community = generate(households=600, seed=3)
        span = horizon("2026-01-01", "2026-12-31")
        expected, found = both(BAIBUTING, community, span, china())
        assert len(expected) > 1000
        assert found == expected


# ------------------------------------------------------------------ hand-worked windows


class TestCalendarWindows:
    def test_a_month_cut_at_both_ends_keeps_its_period_labels(self) -> None:
        found = columns(
            book(Calendar(period=Period.MONTH)),
            [home(circ("hardship", "2026-03-31", "2026-05-01"))],
            horizon("2026-01-01", "2026-12-31"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-03-31/2026-03", d("2026-03-31"), d("2026-03-31"), d("2026-03-31")),
            ("H1/r.0/2026-03-31/2026-04", d("2026-04-01"), d("2026-04-30"), d("2026-04-30")),
            ("H1/r.0/2026-03-31/2026-05", d("2026-05-01"), d("2026-05-01"), d("2026-05-01")),
        ]

    def test_the_first_and_last_day_of_the_horizon_take_the_windows_that_touch_them(self) -> None:
        found = columns(
            book(Calendar(period=Period.MONTH)),
            [home(circ("hardship", "2025-01-01"))],
            horizon("2026-01-31", "2026-03-01"),
        )
        assert [k for k, *_ in rows(found)] == [
            "H1/r.0/2025-01-01/2026-01",
            "H1/r.0/2025-01-01/2026-02",
            "H1/r.0/2025-01-01/2026-03",
        ]
        assert found.end.tolist()[-1] == d("2026-03-31")  # not cut by the horizon

    def test_iso_week_53_runs_into_the_new_year_and_is_due_on_its_last_weekday(self) -> None:
        found = columns(
            book(Calendar(period=Period.WEEK), due=Due.LAST_WORKING_DAY),
            [home(circ("hardship", "2026-12-30"))],
            horizon("2027-01-01", "2027-01-10"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-12-30/2026-W53", d("2026-12-30"), d("2027-01-03"), d("2027-01-01")),
            ("H1/r.0/2026-12-30/2027-W01", d("2027-01-04"), d("2027-01-10"), d("2027-01-08")),
        ]
        adjusted = [found.adjustments[i] for i in found.adjustment.tolist()]
        assert [(a.nominal, a.reason) for a in adjusted] == [
            (d("2027-01-03"), DueReason.WEEKEND),
            (d("2027-01-10"), DueReason.WEEKEND),
        ]
        assert found.calendar.tolist() == [2, 2]  # Monday to Friday has no official year

    def test_a_window_of_weekend_days_only_keeps_its_nominal_due_date(self) -> None:
        found = columns(
            book(Calendar(period=Period.MONTH), due=Due.LAST_WORKING_DAY),
            [home(circ("hardship", "2026-02-28", "2026-03-01"))],  # a Saturday and a Sunday
            horizon("2026-02-01", "2026-03-31"),
        )
        assert found.due.tolist() == [d("2026-02-28"), d("2026-03-01")]
        reasons = [found.adjustments[i].reason for i in found.adjustment.tolist()]
        assert reasons == [DueReason.NO_WORKING_DAY, DueReason.NO_WORKING_DAY]

    def test_a_holiday_longer_than_the_first_search_is_still_found(self) -> None:
        from visits.core.workdays import CalendarFile, DayRange

        closed = CalendarFile(name="renovation", closed=(DayRange(start=d("2026-01-02"), end=d("2026-04-30")),))
        calendar = WEEKDAYS.with_file(closed)
        rulebook = book(Calendar(period=Period.YEAR), due=Due.LAST_WORKING_DAY)
        community = Community(households=(home(circ("hardship", "2026-01-01", "2026-04-30")),))
        expected, found = both(rulebook, community, horizon("2026-01-01", "2026-12-31"), calendar)
        assert found == expected
        assert found[0].due == d("2026-01-01")  # 119 days back from the nominal 30 April


class TestCountedWindows:
    def test_months_counted_from_the_31st_clip_without_drifting(self) -> None:
        found = columns(
            book(Interval(every=1, unit=IntervalUnit.MONTHS)),
            [home(circ("hardship", "2026-01-31"))],
            horizon("2026-02-01", "2026-04-30"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-01-31/n1", d("2026-01-31"), d("2026-02-27"), d("2026-02-27")),
            ("H1/r.0/2026-01-31/n2", d("2026-02-28"), d("2026-03-30"), d("2026-03-30")),
            ("H1/r.0/2026-01-31/n3", d("2026-03-31"), d("2026-04-29"), d("2026-04-29")),
            ("H1/r.0/2026-01-31/n4", d("2026-04-30"), d("2026-05-30"), d("2026-05-30")),
        ]

    def test_weeks_counted_across_the_year_end_and_cut_by_the_circumstance(self) -> None:
        found = columns(
            book(Interval(every=2, unit=IntervalUnit.WEEKS)),
            [home(circ("hardship", "2026-12-01", "2027-01-05"))],
            horizon("2026-12-20", "2027-12-31"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-12-01/n2", d("2026-12-15"), d("2026-12-28"), d("2026-12-28")),
            ("H1/r.0/2026-12-01/n3", d("2026-12-29"), d("2027-01-05"), d("2027-01-05")),
        ]

    def test_once_before_the_anchor_starts_after_the_previous_circumstance(self) -> None:
        found = columns(
            book(Once(first_day=-30, last_day=-1)),
            [home(circ("hardship", "2026-02-10"), circ("hardship", "2026-01-01", "2026-01-20"))],
            horizon("2025-01-01", "2026-12-31"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-01-01/once", d("2025-12-02"), d("2025-12-31"), d("2025-12-31")),
            ("H1/r.0/2026-02-10/once", d("2026-01-21"), d("2026-02-09"), d("2026-02-09")),
        ]

    def test_once_is_dropped_inside_the_previous_circumstance_or_after_its_own_end(self) -> None:
        found = columns(
            book(Once(first_day=-10, last_day=-5), Once(first_day=5, last_day=9)),
            [
                home(circ("hardship", "2026-03-01", "2026-03-20"), circ("hardship", "2026-03-25", "2026-03-27")),
            ],
            horizon("2026-01-01", "2026-12-31"),
        )
        # r.0 for the second circumstance would be 03-15..03-20, all before its floor (03-21);
        # r.1 for the second would start 03-30, after it ended on 03-27.
        assert [k for k, *_ in rows(found)] == ["H1/r.0/2026-03-01/once", "H1/r.1/2026-03-01/once"]

    def test_an_open_span_lasts_its_open_days_and_a_closed_one_its_stay(self) -> None:
        found = columns(
            book(Span(open_days=30), due_days=3),
            [
                home(circ("hardship", "2026-12-31"), ident="H1"),
                home(circ("hardship", "2026-03-01", "2026-03-01"), ident="H2"),
            ],
            horizon("2026-01-01", "2026-12-31"),
        )
        assert rows(found) == [
            ("H1/r.0/2026-12-31/span", d("2026-12-31"), d("2027-01-29"), d("2027-01-03")),
            ("H2/r.0/2026-03-01/span", d("2026-03-01"), d("2026-03-01"), d("2026-03-01")),
        ]


class TestEvents:
    def test_one_working_day_after_a_friday_is_the_monday(self) -> None:
        rulebook = book(Response(within_days=1, working_days=True))
        found = columns(
            rulebook,
            [],
            horizon("2026-12-01", "2026-12-31"),
            events=[event("emergency", "2026-12-04", ident="E/1"), event("grievance", "2026-12-04", ident="E2")],
        )
        assert rows(found) == [("H1/r.0/E%2F1", d("2026-12-04"), d("2026-12-07"), d("2026-12-07"))]
        assert found.events[int(found.event[0])].id == "E/1"
        assert found.period.tolist() == [-1]

    def test_an_event_the_day_before_the_horizon_counts_if_its_window_reaches_in(self) -> None:
        rulebook = book(Response(within_days=1))
        found = columns(
            rulebook,
            [],
            horizon("2027-01-01", "2027-01-31"),
            events=[event("emergency", "2026-12-31", ident="E1"), event("emergency", "2026-12-30", ident="E2")],
        )
        assert [k for k, *_ in rows(found)] == ["H1/r.0/E1"]


class TestTableAndErrors:
    def test_ids_that_repeat_are_refused_as_by_the_planner(self) -> None:
        with pytest.raises(VisitsError, match="duplicate household id 'H1'"):
            HouseholdTable.from_households([home(ident="H1"), home(ident="H1")])

    def test_a_rulebook_that_counts_working_days_needs_a_calendar(self) -> None:
        with pytest.raises(ValueError, match="needs a working-day calendar"):
            columns(
                BAIBUTING, [home(circ("hardship", "2026-01-01"))], horizon("2026-01-01", "2026-01-31"), calendar=None
            )

    def test_an_empty_table_plans_nothing(self) -> None:
        found = columns(BAIBUTING, [], horizon("2026-01-01", "2026-12-31"))
        assert len(found) == 0 and found.keys() == [] and list(found.obligations()) == []

    def test_columns_have_fixed_types(self) -> None:
        found = columns(BAIBUTING, [home(circ("hardship", "2026-01-01"))], horizon("2026-01-01", "2026-01-31"))
        assert found.start.dtype == np.dtype("datetime64[D]") and found.due.dtype == np.dtype("datetime64[D]")
        assert found.rule.dtype == np.int64 and found.calendar.dtype == np.int8
        assert found.subjects == ("H1",) and found.unit_count == 0

    def test_households_are_sorted_and_circumstances_by_category_and_start(self) -> None:
        table = HouseholdTable.from_households(
            [home(circ("released", "2026-05-01"), circ("hardship", "2026-02-01"), ident="H2"), home(ident="H1")],
            [event("alarm", "2026-01-01", household="H0")],
        )
        assert table.ids == ("H0", "H1", "H2")
        assert table.c_household.tolist() == [2, 2]
        assert [table.categories[i] for i in table.c_category.tolist()] == ["released", "hardship"]
        assert table.c_open.tolist() == [True, True]
