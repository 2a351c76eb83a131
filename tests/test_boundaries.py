"""Boundary days and checks no test triggered: the eight mutants a sampled run left alive, and their classes.

Each of the first eight tests kills one mutant named in the issue that asked
for them; the properties below cover the class each stands for: windows that
start or end on the first or last day of a month appear in exactly the
rosters they overlap, and every state holds on exactly the days it should.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, horizon, month_roster
from tests.helpers.ledger import community as ledger_community
from tests.helpers.ledger import states, visit
from tests.helpers.org import UNITS, person
from tests.helpers.roster import community as roster_community
from tests.helpers.roster import roster
from visits import Circumstance, Community, Household, load_rulebook
from visits.cli import main
from visits.core.cadence import Once
from visits.core.community import Horizon
from visits.core.errors import VisitsError
from visits.core.ledger import State, state_of
from visits.core.organisation import Organisation
from visits.core.periods import Period, bounds, label, next_start
from visits.core.rules import Gathering
from visits.render.labels import describe, explain, roster_words
from visits.service import assigned_plan
from visits.testing import strategies as vst

_ONE = dt.timedelta(days=1)


def _pairs(error: VisitsError) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in error.problems]


ZH = roster_words("zh", BAIBUTING.vocabulary)


def _keys(r: object) -> set[str]:
    return {line.key for g in r.groups for line in g.lines}  # type: ignore[attr-defined]


class TestTheEightMutants:
    def test_a_weekly_window_ending_on_the_first_is_in_that_months_roster(self) -> None:
        """ISO week 5 of 2026 runs Monday 26 January to Sunday 1 February: it is on February's roster."""
        key = "H3/elderly.weekly/2026-01-01/2026-W05"
        assert key in _keys(roster(year=2026, month=2))
        assert key in _keys(roster(year=2026, month=1))
        assert key not in _keys(roster(year=2026, month=3))

    def test_a_gathering_on_the_first_of_the_month_is_listed(self) -> None:
        """A National Day tea party on 1 October is on October's roster, not September's or November's."""
        party = Gathering(
            roles=("committee",),
            id="national_day.tea",
            title="国庆茶话会",
            festival="国庆节",
            invites=("elderly_alone",),
            source="(a test)",
        )
        rulebook = attrs.evolve(BAIBUTING, gatherings=(party,))
        october = month_roster(rulebook, roster_community(), 2026, 10)
        assert [(line.title, line.due) for line in october.groups[0].lines] == [("国庆茶话会", d("2026-10-01"))]
        for month in (9, 11):
            shown = month_roster(rulebook, roster_community(), 2026, month)
            assert all(line.title != "国庆茶话会" for g in shown.groups for line in g.lines)

    def test_groups_by_person_are_titled_with_the_persons_name(self) -> None:
        """By person: each group's title is its person's name (张丽), reduced to 张某 when redacted."""
        titles = {g.key: g.title for g in roster(by="person").groups}
        assert titles["G1"] == "张丽" and titles["S1"] == "王喆" and titles["C1"] == "陈珺"
        redacted = {g.key: g.title for g in roster(by="person", redact=True).groups}
        assert redacted["G1"] == "张某" and redacted["C1"] == "陈某"

    def test_an_overdue_obligation_is_still_overdue_on_its_windows_last_day(self) -> None:
        """Due 4 March in a stay to 20 March: open on the 4th, overdue the 5th to the 20th, missed the 21st."""
        stay = Household(id="H1", circumstances=(circ("hospitalized", "2026-03-01", "2026-03-20"),), building="B1")
        key = "H1/hospital.visit/2026-03-01/span"
        c = ledger_community(households=(stay,))
        expected = {
            "2026-02-28": State.UPCOMING,
            "2026-03-01": State.OPEN,
            "2026-03-04": State.OPEN,
            "2026-03-05": State.OVERDUE,
            "2026-03-20": State.OVERDUE,
            "2026-03-21": State.MISSED,
        }
        assert {day: states(c, day)[key].state for day in expected} == expected

    def test_a_record_by_a_rank_two_holder_who_is_not_the_assignee_meets_the_obligation(self) -> None:
        """Any holder of the rule's role at the household's building may meet it, not only the assignee."""
        people = (person("G1", "group_leader", "B1"), person("G3", "group_leader", "B1", rank=2))
        c = attrs.evolve(
            ledger_community(visit("V1", "2026-03-12", "G3")), organisation=Organisation(units=UNITS, people=people)
        )
        found = states(c, "2026-03-31")["H1/hardship.monthly/2026-01-01/2026-03"]
        assert (found.state, found.assignee, found.record.id if found.record else None) == (State.MET, "G1", "V1")

    def test_due_days_below_zero_is_refused(self) -> None:
        """due_days = -5 is a located problem."""
        from tests.helpers.loading import baibuting_dict, rulebook_lines

        data = baibuting_dict()
        data["rules"][3]["due_days"] = -5
        assert rulebook_lines(data) == ["rules[3] (hospital.visit).due_days: must be 0 or more, got -5"]

    def test_a_third_duplicate_unit_points_at_the_first(self) -> None:
        """Three units E1: the second and the third both say 'also units[1]'; the tree is checked against the first."""
        from tests.helpers.loading import community_lines, organised

        data = organised()
        data["units"] += [
            {"id": "E1", "level": "zone", "parent": "C"},
            {"id": "E1", "level": "building", "parent": "Z1"},
        ]
        assert community_lines(data) == [
            "units[4] (E1).id: duplicate id 'E1' (also units[1])",
            "units[5] (E1).id: duplicate id 'E1' (also units[1])",
        ]

    def test_a_single_day_once_window_is_described_as_one_day(self, capsys: object) -> None:
        """'once, day 0 from start', in describe() and in `visits rules` for the release-day pickup."""
        assert describe(Once(first_day=0, last_day=0)) == "once, day 0 from start"
        assert describe(Once(first_day=-3, last_day=-3)) == "once, day -3 from start"
        assert main(["rules", "--lang", "en"]) == 0
        out = capsys.readouterr().out  # type: ignore[attr-defined]
        [pickup] = [line for line in out.splitlines() if line.startswith("released.pickup")]
        assert "once, day 0 from start" in pickup and "days 0..0" not in pickup


class TestPeriodBounds:
    def test_bounds_of_every_period_around_its_edges(self) -> None:
        """First and last day of the period containing a day: ISO week 53, February of a leap year, Q4, H2, 2026."""
        cases = {
            (Period.WEEK, "2026-12-31"): ("2026-12-28", "2027-01-03"),
            (Period.WEEK, "2027-01-04"): ("2027-01-04", "2027-01-10"),
            (Period.MONTH, "2028-02-29"): ("2028-02-01", "2028-02-29"),
            (Period.MONTH, "2026-02-01"): ("2026-02-01", "2026-02-28"),
            (Period.QUARTER, "2026-12-31"): ("2026-10-01", "2026-12-31"),
            (Period.HALF, "2026-07-01"): ("2026-07-01", "2026-12-31"),
            (Period.YEAR, "2026-06-30"): ("2026-01-01", "2026-12-31"),
        }
        for (period, day), (first, last) in cases.items():
            assert bounds(period, d(day)) == (d(first), d(last)), (period, day)

    @given(st.sampled_from(Period), st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2998, 12, 31)))
    def test_a_day_lies_in_its_period_and_the_next_period_starts_the_day_after(
        self, period: Period, day: dt.date
    ) -> None:
        """bounds() contains the day; the next period starts right after its end; labels differ."""
        first, last = bounds(period, day)
        assert first <= day <= last
        assert next_start(period, first) == last + _ONE
        assert label(period, first) != label(period, last + _ONE)


# ------------------------------------------------------------------ the classes they stand for


@st.composite
def boundary_days(draw: st.DrawFn) -> dt.date:
    """The first or last day of a month (so also of a quarter, a half, a year) in 2025-2027, or a day beside one."""
    year, month = draw(st.integers(2025, 2027)), draw(st.integers(1, 12))
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - _ONE
    return draw(st.sampled_from([first, last, first - _ONE, last + _ONE]))


@st.composite
def boundary_communities(draw: st.DrawFn) -> Community:
    """An organised community whose circumstances and events start and end on month boundaries."""
    base = draw(vst.organised_communities(max_households=5, first=d("2025-01-01"), last=d("2027-12-31")))
    homes = []
    for h in base.households:
        circumstances = []
        for c in h.circumstances:
            start = draw(boundary_days())
            end = draw(st.none() | boundary_days())
            end = end if end is None or end >= start else None
            circumstances.append(attrs.evolve(c, start=start, end=end))
        kept: list[Circumstance] = []
        for c in circumstances:  # at most one circumstance of a category at a time
            if not any(k.category is c.category and k.overlaps(c) for k in kept):
                kept.append(c)
        homes.append(attrs.evolve(h, circumstances=tuple(kept)))
    events = tuple(attrs.evolve(e, date=draw(boundary_days())) for e in base.events)
    return attrs.evolve(base, households=tuple(homes), events=events)


#: Gatherings held on the first or last day of a month, a quarter, a half and a year.
_EDGE_GATHERINGS = (
    Gathering(
        roles=("committee",),
        id="edge.new_year",
        title="元旦",
        festival="元旦",
        invites=("hardship",),
        source="(a test)",
    ),
    Gathering(
        roles=("committee",),
        id="edge.eve",
        title="辞旧",
        festival="元旦",
        day=-1,
        invites=("hardship",),
        source="(a test)",
    ),
    Gathering(
        roles=("committee",),
        id="edge.national",
        title="国庆",
        festival="国庆节",
        invites=("hardship",),
        source="(a test)",
    ),
    Gathering(
        roles=("committee",),
        id="edge.june",
        title="六月末",
        festival="国庆节",
        day=-93,
        invites=("hardship",),
        source="(a test)",
    ),
)
_WITH_EDGE_GATHERINGS = attrs.evolve(BAIBUTING, gatherings=_EDGE_GATHERINGS)
_EDGE_DAYS = [(g, day) for g in _EDGE_GATHERINGS for day in g.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))]


class TestBoundaryProperties:
    def test_the_edge_gatherings_fall_on_edges(self) -> None:
        """1 January, 31 December, 1 October, 30 June: the days the roster property relies on."""
        days = {(g.id, day.year): day for g, day in _EDGE_DAYS}
        assert days["edge.new_year", 2026] == d("2026-01-01") and days["edge.eve", 2026] == d("2026-12-31")
        assert days["edge.national", 2026] == d("2026-10-01") and days["edge.june", 2026] == d("2026-06-30")

    @given(boundary_communities(), st.integers(2025, 2027), st.integers(1, 12))
    def test_every_window_is_on_exactly_the_rosters_of_the_months_it_overlaps(
        self, community: Community, year: int, month: int
    ) -> None:
        """A month's roster lists an obligation iff its window shares a day with the month, first and last included."""
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - _ONE
        wide = Horizon(start=first - dt.timedelta(days=400), end=last + dt.timedelta(days=400))
        expected = {
            a.obligation.key
            for a in assigned_plan(BAIBUTING, community, wide)
            if a.obligation.start <= last and first <= a.obligation.end
        }
        expected |= {f"gathering/{g.id}/{day}" for g, day in _EDGE_DAYS if first <= day <= last}
        assert _keys(month_roster(_WITH_EDGE_GATHERINGS, community, year, month)) == expected

    @given(boundary_communities(), st.data())
    def test_every_state_holds_on_exactly_its_days(self, community: Community, data: st.DataObject) -> None:
        """Unmet: upcoming before the window, open from its start to its due date, overdue to its end, then missed."""
        span = horizon("2025-06-01", "2027-06-30")
        assigned = list(assigned_plan(BAIBUTING, community, span))
        assume(assigned)
        o = data.draw(st.sampled_from(assigned)).obligation
        for day in (o.start - _ONE, o.start, o.due, o.due + _ONE, o.end, o.end + _ONE):
            state = state_of(o, None, day)
            if day < o.start:
                assert state is State.UPCOMING
            elif day <= o.due:
                assert state is State.OPEN
            elif day <= o.end:
                assert state is State.OVERDUE
            else:
                assert state is State.MISSED
        met = visit("V1", o.start.isoformat(), household=o.subject)
        assert state_of(o, met, o.start - _ONE) is State.UPCOMING  # a record counts only from its date
        assert state_of(o, met, o.end + _ONE) is State.MET


class TestSampledSurvivors:
    """Mutants a sampled mutation run (seed 7) left alive, each killed here."""

    def test_a_festival_offset_out_of_range_names_its_field(self) -> None:
        """last_day = 400 is reported at cadence.last_day, not at the cadence."""
        from tests.helpers.loading import baibuting_dict, rulebook_lines

        data = baibuting_dict()
        data["rules"][2]["cadence"] = {"kind": "festival", "festivals": ["春节"], "first_day": -20, "last_day": 400}
        [line] = rulebook_lines(data)
        assert line.startswith("rules[2] (hardship.yearly).cadence.last_day: must be a day offset")

    def test_a_cancelled_status_carries_its_report_day(self) -> None:
        """Leaving hardship in August: the cancelled September visit's status is as of the day asked."""
        from tests.helpers.ledger import community as ledger_community

        home = Household(id="H1", circumstances=(circ("hardship", "2026-01-01", "2026-08-15"),), building="B1")
        found = states(ledger_community(households=(home,)), "2026-10-01")
        cancelled = [s for s in found.values() if s.state is State.CANCELLED]
        assert cancelled and {s.as_of for s in cancelled} == {d("2026-10-01")}

    def test_events_on_one_day_are_planned_in_id_order(self) -> None:
        """Two family disputes at one household on one day: their obligations follow the event ids."""
        from tests.helpers import event
        from visits import plan

        home = Household(id="H1")
        events = [event("family_dispute", "2026-05-04", ident="E9"), event("family_dispute", "2026-05-04", ident="E1")]
        keys = [o.key for o in plan(BAIBUTING, [home], events, horizon("2026-05-01", "2026-05-31"))]
        assert keys == sorted(keys, key=lambda k: k.split("/")[2]) and {k.split("/")[2] for k in keys} == {"E1", "E9"}

    def test_a_line_for_a_household_the_roster_was_not_given_has_no_name(self) -> None:
        """An obligation whose household is not among `households`: name and address empty, not invented."""
        from visits.core.rostering import build_roster

        c = roster_community()
        span = horizon("2026-12-01", "2026-12-31")
        assigned = list(assigned_plan(BAIBUTING, c, span))
        r = build_roster(
            assigned,
            year=2026,
            month=12,
            households=c.households[1:],
            organisation=c.organisation,
            words=ZH,
            levels=BAIBUTING.vocabulary.ids("levels"),
            community="百步亭社区",
        )
        lines = [line for g in r.groups for line in g.lines if line.household == "H1"]
        assert lines and {(line.household_name, line.address) for line in lines} == {("", "")}

    def test_an_english_due_note_joins_its_parts_with_a_semicolon(self) -> None:
        """Moved and provisional: 'moved from 01-03 (weekend) to a working day; provisional: ...'."""
        from visits.io.calendars import china

        r = month_roster(BAIBUTING, roster_community(), 2026, 12, calendar=china().up_to(2026), language="en")
        notes = [line.due_note for g in r.groups for line in g.lines if line.end == d("2027-01-03")]
        assert notes and all(
            n == "moved from 01-03 (weekend) to a working day; provisional: Monday to Friday (no official schedule yet)"
            for n in notes
        )

    def test_names_in_other_scripts_become_an_initial(self) -> None:
        """'Li Wei' -> 'L.'; a Chinese name keeps its surname."""
        from visits.core.roster import redact_name

        assert [redact_name(n) for n in ("Li Wei", "Émile", "王伟")] == ["L.", "É.", "王某"]


class TestSecondSampleSurvivors:
    """Mutants a second sampled run (seed 11) left alive, each killed here (or, in docs/testing.md, equivalent)."""

    def test_a_pre_release_window_cut_to_its_last_day_by_the_previous_release(self) -> None:
        """Released again two days after the last release ended: the 30-day check shrinks to that one day."""
        from tests.helpers import home, windows

        h = home(circ("released", "2025-01-01", "2026-02-27"), circ("released", "2026-03-01"))
        assert windows("released.prerelease", [h], horizon("2026-01-01", "2026-03-31")) == [
            ("2026-02-28", "2026-02-28", "2026-02-28")
        ]

    def test_a_festival_window_too_long_names_its_field(self) -> None:
        """A 400-day festival window is reported at cadence.last_day."""
        from tests.helpers.loading import baibuting_dict, rulebook_lines

        data = baibuting_dict()
        data["rules"][2]["cadence"] = {"kind": "festival", "festivals": ["春节"], "first_day": -200, "last_day": 200}
        assert rulebook_lines(data) == [
            "rules[2] (hardship.yearly).cadence.last_day: a festival window spans at most 300 days, got 401"
        ]

    def test_duplicate_households_given_to_the_planner_name_the_section(self) -> None:
        """plan() with a household twice, plan_sorted() with ids out of order: one problem at 'households'."""
        from visits import VisitsError, plan

        h = Household(id="H1")
        with pytest.raises(VisitsError) as caught:
            list(plan(BAIBUTING, [h, h], [], horizon("2026-01-01", "2026-01-02")))
        assert [p.path for p in caught.value.problems] == ["households"]
        from visits import plan_sorted

        with pytest.raises(VisitsError) as caught:
            list(plan_sorted(BAIBUTING, [(Household(id="H2"), ()), (h, ())], horizon("2026-01-01", "2026-01-02")))
        assert _pairs(caught.value) == [("households", "household 'H1' after 'H2': ids must strictly increase")]

    def test_a_roster_given_a_whole_years_plan_keeps_only_its_month(self) -> None:
        """build_roster() filters by overlap itself: from a year's plan, December keeps December's windows only."""
        from visits.core.rostering import build_roster

        c = roster_community()
        year = list(assigned_plan(BAIBUTING, c, horizon("2026-01-01", "2027-12-31")))
        r = build_roster(
            year,
            year=2026,
            month=12,
            households=c.households,
            organisation=c.organisation,
            words=ZH,
            levels=BAIBUTING.vocabulary.ids("levels"),
            community="百步亭社区",
        )
        lines = [line for g in r.groups for line in g.lines]
        assert lines and all(line.start <= d("2026-12-31") and d("2026-12-01") <= line.end for line in lines)
        assert _keys(r) == _keys(month_roster(BAIBUTING, c, 2026, 12))

    def test_days_a_fresh_calendar_knows_carry_their_date_source_and_name(self) -> None:
        """A community's extra working day and a statutory holiday, on a calendar built afresh (not china()'s)."""
        from visits.core.workdays import CalendarFile, Day, DayRange, DueReason, Source, WorkCalendar

        calendar = WorkCalendar(name="test", statutory=True).with_file(
            CalendarFile(open=(DayRange(start=d("2040-01-07"), name="加班"),))
        )
        assert calendar.day(d("2040-01-07")) == Day(d("2040-01-07"), True, Source.COMMUNITY, None, "加班")
        assert calendar.day(d("2040-10-02")) == Day(
            d("2040-10-02"), False, Source.STATUTORY, DueReason.HOLIDAY, "国庆节"
        )


class TestThirdSampleSurvivors:
    """Mutants a third sampled run (seed 23) left alive, each killed here (the equivalent ones in docs/testing.md)."""

    def test_a_half_yearly_visit_years_after_release_is_in_its_window(self) -> None:
        """Released 15 January 2020: January 2026 lies in the window 15 July 2025 - 14 January 2026 (n12)."""
        from tests.helpers import home, windows

        h = home(circ("released", "2020-01-15"))
        found = windows("released.halfyearly", [h], horizon("2026-01-01", "2026-01-31"))
        assert found[0][:2] == ("2025-07-15", "2026-01-14")

    def test_a_rule_built_in_python_checks_its_trigger_against_its_cadence(self) -> None:
        """An event trigger with a calendar cadence is refused by the object itself, not only by the loader."""
        from visits.core.cadence import Calendar
        from visits.core.errors import FieldProblems
        from visits.core.periods import Period
        from visits.core.rules import EventTrigger, Rule

        with pytest.raises(FieldProblems, match="an event trigger needs a 'response' cadence"):
            Rule(
                id="x.y",
                trigger=EventTrigger(events=("alarm",)),
                roles=("carer",),
                action="arrive",
                cadence=Calendar(period=Period.MONTH),
                source="s",
            )

    def test_gathering_day_offsets_up_to_a_year_either_side(self) -> None:
        """day = 366 and -366 are accepted, 367 is not; a gathering id twice is refused by the rulebook object."""
        from visits.core.errors import FieldProblems
        from visits.core.rules import Rulebook

        base = {
            "id": "g.x",
            "title": "会",
            "festival": "春节",
            "invites": ("hardship",),
            "source": "s",
            "roles": ("committee",),
        }
        assert Gathering(**base, day=366).day == 366 and Gathering(**base, day=-366).day == -366  # type: ignore[arg-type]
        with pytest.raises(FieldProblems, match="day: must be a day offset"):
            Gathering(**base, day=367)  # type: ignore[arg-type]
        g = Gathering(**base)  # type: ignore[arg-type]
        with pytest.raises(FieldProblems, match=r"gatherings\[1\]\.id: duplicate gathering id 'g\.x'"):
            Rulebook(name="x", rules=BAIBUTING.rules, gatherings=(g, g), vocabulary=BAIBUTING.vocabulary)

    def test_a_visit_with_a_bad_person_names_the_field(self) -> None:
        """Visit(person=' P1') is a problem at 'person'."""
        from visits.core.community import Visit
        from visits.core.errors import FieldProblems

        with pytest.raises(FieldProblems) as caught:
            Visit(id="V1", household="H1", person=" P1", date=d("2026-01-01"), action="visit")
        assert [p.path for p in caught.value.problems] == ["person"]

    def test_english_gathering_lines_and_unassigned_lines_last(self) -> None:
        """A gathering's action is 'Hold' in English; by person, the group of lines nobody can take comes last."""
        party = Gathering(
            roles=("committee",), id="n.tea", title="茶话会", festival="国庆节", invites=("hardship",), source="s"
        )
        r = month_roster(attrs.evolve(BAIBUTING, gatherings=(party,)), roster_community(), 2026, 10, language="en")
        assert [line.action for line in r.groups[0].lines] == ["Hold"]
        c = roster_community()
        lonely = Household(id="H0", building="B9", circumstances=(circ("hardship", "2026-01-01"),))
        by_person = month_roster(BAIBUTING, attrs.evolve(c, households=(lonely, *c.households)), 2026, 12, by="person")
        assert [g.key for g in by_person.groups][-1] == "" and all(g.key for g in by_person.groups[:-1])

    def test_by_unit_groups_follow_their_estates_before_their_own_ids(self) -> None:
        """Building A9 of estate E2 comes after building B1 of estate E1, though 'A9' < 'B1'."""
        from visits.core.organisation import Unit

        c = roster_community()
        assert c.organisation is not None
        more = (
            Unit(id="E2", level="estate", parent="C"),
            Unit(id="Z2", level="zone", parent="E2"),
            Unit(id="A9", level="building", parent="Z2"),
        )
        far = Household(id="H9", building="A9", circumstances=(circ("hardship", "2026-01-01"),))
        organisation = attrs.evolve(c.organisation, units=(*UNITS, *more))
        c = attrs.evolve(c, households=(*c.households, far), organisation=organisation)
        keys = [g.key for g in month_roster(BAIBUTING, c, 2026, 12, by="unit").groups]
        assert keys == ["B1", "B2", "A9"]

    def test_a_calendar_without_a_schedule_is_named_monday_to_friday(self) -> None:
        """The default name is what every provisional warning and due note quotes."""
        from visits.core.workdays import monday_to_friday

        assert monday_to_friday().name == "Monday to Friday"
        assert monday_to_friday("周一至周五").name == "周一至周五"


class TestFourthSampleSurvivors:
    """Mutants a fourth sampled run (seed 31) left alive, each killed here (the equivalent ones in docs/testing.md)."""

    FESTIVALS = load_rulebook("baibuting-festivals")

    def test_a_festival_window_before_the_circumstance_does_not_hide_later_ones(self) -> None:
        """Hardship from 1 March 2026: no gift visit before Spring Festival 2026, one before Spring Festival 2027."""
        from tests.helpers import home, windows

        h = home(circ("hardship", "2026-03-01"))
        found = windows("hardship.yearly", [h], horizon("2026-01-01", "2027-12-31"), rulebook=self.FESTIVALS)
        assert [w[:2] for w in found] == [("2027-01-17", "2027-02-05")]

    def test_a_festival_window_that_opens_on_the_horizons_last_day_is_planned(self) -> None:
        """The window before Spring Festival 2026 opens 28 January: a horizon ending that day holds it."""
        from tests.helpers import home, windows

        h = home(circ("hardship", "2025-01-01"))
        rule = "hardship.yearly"
        assert windows(rule, [h], horizon("2026-01-01", "2026-01-28"), rulebook=self.FESTIVALS)[0][0] == "2026-01-28"
        assert windows(rule, [h], horizon("2026-01-01", "2026-01-27"), rulebook=self.FESTIVALS) == []

    def test_festival_windows_in_the_last_year_of_the_lunar_tables(self) -> None:
        """A horizon in 2100 needs only 2100's festival dates, which are known."""
        from visits.core.cadence import Festival
        from visits.core.festivals import LAST_YEAR
        from visits.core.windows import festival_windows

        cadence = Festival(festivals=("中秋节",), first_day=0, last_day=6)
        found = festival_windows(cadence, horizon(f"{LAST_YEAR}-01-01", f"{LAST_YEAR}-12-31"))
        assert len(found) == 1 and found[0][0].year == LAST_YEAR

    def test_weekly_and_half_yearly_calendars_are_described_in_words(self) -> None:
        from visits.core.cadence import Calendar

        assert describe(Calendar(period=Period.WEEK)) == "weekly (ISO week)"
        assert describe(Calendar(period=Period.HALF)) == "half-yearly"
        assert describe(Calendar(period=Period.QUARTER)) == "quarterly"

    def test_a_household_with_no_member_nearby_is_linked_from_anywhere(self) -> None:
        """The only party member serves estate E1; a household of estate E2 gets them at community scope."""
        from visits.core.links import Link, propose_links
        from visits.core.organisation import Unit

        units = (
            *UNITS,
            Unit(id="E2", level="estate", parent="C"),
            Unit(id="Z2", level="zone", parent="E2"),
            Unit(id="B9", level="building", parent="Z2"),
        )
        member = person("P1", "party_member", "B1")
        far = Household(id="H9", building="B9", circumstances=(circ("hardship", "2026-01-01"),))
        links, left = propose_links(Organisation(units=units, people=(member,)), [far], BAIBUTING.vocabulary)
        assert (links, left) == ((Link(person="P1", household="H9", scope="community"),), ())

    def test_a_redacted_gathering_line_names_neither_its_rule_nor_its_id(self) -> None:
        """The id of a gathering (say released.new_year) would say whom it invites: the key is day and number."""
        party = Gathering(
            roles=("committee",),
            id="released.new_year",
            title="座谈会",
            festival="春节",
            invites=("released",),
            source="s",
        )
        rulebook = attrs.evolve(BAIBUTING, gatherings=(party,))
        plain = month_roster(rulebook, roster_community(), 2026, 2)
        redacted = month_roster(rulebook, roster_community(), 2026, 2, redact=True)
        assert [(line.key, line.rule) for line in plain.groups[0].lines] == [
            ("gathering/released.new_year/2026-02-17", "released.new_year")
        ]
        assert [(line.key, line.rule, line.title) for line in redacted.groups[0].lines] == [
            ("gathering/2026-02-17/1", "", "社区活动")
        ]

    def test_households_without_a_building_are_one_group_with_an_empty_key_last(self) -> None:
        c = roster_community()
        loose = Household(id="H0", circumstances=(circ("hardship", "2026-01-01"),))
        by_unit = month_roster(BAIBUTING, attrs.evolve(c, households=(*c.households, loose)), 2026, 12, by="unit")
        assert [(g.key, g.title) for g in by_unit.groups] == [("B1", "B1"), ("B2", "B2"), ("", "（未登记楼栋）")]

    @pytest.mark.parametrize(
        ("language", "nobody", "events"),
        [("zh", "（无人可接）", "社区活动"), ("en", "(unassigned)", "Community events")],
    )
    def test_the_titles_of_the_unassigned_and_the_events_groups(self, language: str, nobody: str, events: str) -> None:
        party = Gathering(
            roles=("committee",), id="n.tea", title="茶话会", festival="国庆节", invites=("hardship",), source="s"
        )
        c = roster_community()
        lonely = Household(id="H0", building="B9", circumstances=(circ("hardship", "2026-01-01"),))
        r = month_roster(
            attrs.evolve(BAIBUTING, gatherings=(party,)),
            attrs.evolve(c, households=(lonely, *c.households)),
            2026,
            10,
            by="person",
            language=language,
        )
        assert (r.groups[0].key, r.groups[0].title) == ("(gatherings)", events)
        assert (r.groups[-1].key, r.groups[-1].title) == ("", nobody)

    def test_a_day_both_worked_and_off_names_the_work_field(self) -> None:
        from visits.core.errors import FieldProblems
        from visits.core.workdays import DayRange, OfficialYear

        day = DayRange(start=d("2026-10-10"), end=d("2026-10-10"))
        with pytest.raises(FieldProblems) as caught:
            OfficialYear(year=2026, off=(day,), work=(day,))
        assert _pairs(caught.value) == [("work", "2026-10-10 is also listed as a day off")]


class TestNoHiddenDefaults:
    def test_the_core_planner_needs_a_calendar_for_a_rulebook_that_counts_working_days(self) -> None:
        """The core refuses to guess; visits.plan (the service layer) passes China's calendar."""
        from visits import plan
        from visits.core import planner
        from visits.io.calendars import china

        festive = load_rulebook("baibuting-festivals")
        assert festive.uses_working_days()
        households, span = (
            [Household(id="H1", circumstances=(circ("hardship", "2026-01-01"),))],
            horizon("2026-01-01", "2026-12-31"),
        )
        with pytest.raises(ValueError, match="counts working days: plan\\(\\) needs a working-day calendar"):
            list(planner.plan(festive, households, (), span, calendar=None))
        assert list(plan(festive, households, (), span)) == list(
            planner.plan(festive, households, (), span, calendar=china())
        )


class TestFifthSampleSurvivors:
    """Mutants a fifth sampled run (seed 43) left alive, each killed here (the equivalent ones in docs/testing.md)."""

    def test_a_record_fitting_two_windows_of_one_rule_meets_the_one_due_first(self) -> None:
        """Major disputes on 4 and 5 May: a visit on 5 May meets the first; a second one that day, the second."""
        from tests.helpers import event
        from tests.helpers.ledger import matching_of

        disputes = (
            event("family_dispute", "2026-05-04", "major"),
            event("family_dispute", "2026-05-05", "major", "E2"),
        )
        c = attrs.evolve(
            ledger_community(visit("V1", "2026-05-05", "S1", "arrive"), visit("V2", "2026-05-05", "S1", "arrive")),
            events=disputes,
        )
        matched = matching_of(c).matched
        assert (matched["V1"], matched["V2"]) == (("H1/arrive.escalate/E1",), ("H1/arrive.escalate/E2",))

    def test_without_an_organisation_every_record_is_unmatched_and_says_why(self) -> None:
        from visits import match, unmatched_detail
        from visits.core.ledger import Reason

        c = ledger_community(visit("V1", "2026-03-10"))
        result = match(c.visits, [], None, {}, BAIBUTING.vocabulary)
        assert [(u.reason, unmatched_detail(u)) for u in result.unmatched] == [
            (Reason.NO_ORGANISATION, "no organisation in the community file, so the visitor's role cannot be checked")
        ]

    def test_a_missed_obligation_nobody_holds_says_so_in_chinese(self) -> None:
        """No group leader and nobody above: 无责任人."""
        c = ledger_community(people=())
        missed = states(c, "2026-03-01")["H1/hardship.monthly/2026-01-01/2026-01"]
        assert explain(missed, "zh") == "未完成：困难家庭月度看望，期限2026-01-01至2026-01-31已过，无责任人"

    def test_one_household_per_member_is_a_valid_bound(self) -> None:
        from tests.helpers.ledger import PEOPLE
        from visits import propose_links

        c = ledger_community(people=(*PEOPLE, person("P1", "party_member", "B1")))
        assert c.organisation is not None
        links, left = propose_links(c.organisation, c.households, BAIBUTING.vocabulary, low=1, high=1)
        assert (left, [(link.person, link.household) for link in links]) == ((), [("P1", "H1")])

    def test_an_event_given_with_another_household_is_refused_at_events(self) -> None:
        from tests.helpers import event
        from visits import VisitsError, plan_sorted

        h = Household(id="H1", circumstances=(circ("hardship", "2026-01-01"),))
        stray = event("alarm", "2026-05-04", household="H2")
        with pytest.raises(VisitsError) as caught:
            list(plan_sorted(BAIBUTING, [(h, [stray])], horizon("2026-05-01", "2026-05-31")))
        assert [p.path for p in caught.value.problems] == ["events"]

    def test_an_english_gathering_note_lists_every_invited_category(self) -> None:
        party = Gathering(
            roles=("committee",),
            id="n.tea",
            title="茶话会",
            festival="国庆节",
            invites=("hardship", "elderly_alone"),
            source="s",
        )
        r = month_roster(attrs.evolve(BAIBUTING, gatherings=(party,)), roster_community(), 2026, 10, language="en")
        assert r.groups[0].lines[0].note == "国庆节; invited: hardship, elderly alone (2 households)"

    def test_an_assignee_id_with_a_direction_override_is_shown_written_out(self) -> None:
        from visits.core.organisation import Organisation

        c = roster_community()
        assert c.organisation is not None
        sly = tuple(attrs.evolve(p, id="G\u202e1") if p.id == "G1" else p for p in c.organisation.people)
        c = attrs.evolve(c, organisation=Organisation(units=c.organisation.units, people=sly))
        assignees = {line.assignee for g in month_roster(BAIBUTING, c, 2026, 12).groups for line in g.lines}
        assert "G<U+202E>1" in assignees and "G\u202e1" not in assignees

    def test_a_chinese_due_note_joins_its_parts_with_a_full_width_semicolon(self) -> None:
        from tests.helpers import obligations
        from visits.core.roster import due_note

        home = Household(id="H1", circumstances=(circ("hardship", "2026-01-01"),))
        o = next(o for o in obligations([home], horizon("2040-03-01", "2040-03-31")) if o.adjustment is not None)
        note = due_note(o, ZH)
        assert "；" in note and "; " not in note

    def test_an_official_working_weekend_day_carries_its_name(self) -> None:
        from visits.core.workdays import Source, WorkCalendar

        sunday = d("2026-02-15")
        calendar = WorkCalendar(name="x", years=frozenset({2026}), work=((sunday, "春节调休"),))
        day = calendar.day(sunday)
        assert (day.working, day.source, day.reason, day.name) == (True, Source.OFFICIAL, None, "春节调休")

    def test_a_calendar_with_a_community_file_is_named_after_both(self) -> None:
        from visits.core.workdays import CalendarFile, monday_to_friday

        assert monday_to_friday().with_file(CalendarFile(name="百步亭")).name == "Monday to Friday + 百步亭"
        assert monday_to_friday().with_file(CalendarFile()).name == "Monday to Friday"


class TestSixthSampleSurvivors:
    """Mutants a sixth sampled run (seed 59) left alive, each killed here (the equivalent ones in docs/testing.md)."""

    def test_a_festival_offset_and_an_open_stay_out_of_range_say_what_they_must_be(self) -> None:
        from visits.core.cadence import Festival, Span
        from visits.core.errors import FieldProblems

        with pytest.raises(FieldProblems) as caught:
            Festival(festivals=("春节",), first_day=-400, last_day=-1)
        assert _pairs(caught.value) == [("first_day", "must be a day offset (-366..366), got -400")]
        with pytest.raises(FieldProblems) as caught:
            Span(open_days=0)
        assert _pairs(caught.value) == [("open_days", "must be a number of days (1..3660), got 0")]

    def test_the_first_day_visits_computes_with_is_a_valid_date(self) -> None:
        """1900-01-01 is in range; 1899-12-31 is not."""
        assert Circumstance(category="hardship", start=d("1900-01-01")).start == d("1900-01-01")
        from visits.core.errors import FieldProblems

        with pytest.raises(FieldProblems, match="out of range"):
            Circumstance(category="hardship", start=d("1899-12-31"))

    def test_explanations_of_unassigned_late_and_unnamed_visits(self) -> None:
        from visits import explain

        nobody = states(ledger_community(people=()), "2026-03-01")["H1/hardship.monthly/2026-01-01/2026-01"]
        assert explain(nobody, "en").endswith(", nobody assigned")
        on_time = ledger_community(visit("V1", "2026-01-20"))
        met = states(on_time, "2026-02-15")["H1/hardship.monthly/2026-01-01/2026-01"]
        assert explain(met, "en") == "Met: Hardship household: monthly visit, 2026-01-20 by G1 (record V1)"
        stay = Household(id="H1", building="B1", circumstances=(circ("hospitalized", "2026-03-01", "2026-03-10"),))
        c = ledger_community(visit("V2", "2026-03-06", "K1", "gift_visit"), households=(stay,))
        status = states(c, "2026-03-31")["H1/hospital.visit/2026-03-01/span"]
        assert explain(status, "zh").endswith("，逾期完成（应于2026-03-04前）")

    def test_absences_are_checked_for_overlaps_in_date_order(self) -> None:
        """Given Jan 1-10, Mar 1-5, Jan 5-15: the third overlaps the first, not the second."""
        from visits.core.errors import FieldProblems
        from visits.core.organisation import Absence, Person

        spans = (("2026-01-01", "2026-01-10"), ("2026-03-01", "2026-03-05"), ("2026-01-05", "2026-01-15"))
        with pytest.raises(FieldProblems) as caught:
            Person(id="P1", absences=tuple(Absence(start=d(a), end=d(b)) for a, b in spans))
        assert [p.path for p in caught.value.problems] == ["absences[2]"]
        assert "overlaps absences[0]" in caught.value.problems[0].message

    def test_gathering_words_in_each_language_and_a_met_lines_date(self) -> None:
        party = Gathering(
            roles=("committee",),
            id="n.tea",
            title="茶话会",
            title_en="Tea party",
            festival="国庆节",
            invites=("hardship",),
            source="s",
        )
        rulebook = attrs.evolve(BAIBUTING, gatherings=(party,))
        english = month_roster(rulebook, roster_community(), 2026, 10, language="en")
        chinese = month_roster(rulebook, roster_community(), 2026, 10)
        assert [(line.title, line.action) for line in english.groups[0].lines] == [("Tea party", "Hold")]
        assert [(line.title, line.action) for line in chinese.groups[0].lines] == [("茶话会", "举办")]
        c = roster_community(visits=(visit("V1", "2026-12-10", "G1", household="H1"),))
        met = [line for g in month_roster(BAIBUTING, c, 2026, 12).groups for line in g.lines if line.met]
        assert met and {(line.met, line.met_date) for line in met} == {("V1", d("2026-12-10"))}

    def test_extending_a_rulebook_with_gatherings_keeps_them(self) -> None:
        from visits.core.extending import extend

        festive = load_rulebook("baibuting-festivals")
        assert festive.gatherings
        assert extend(festive, ()).gatherings == festive.gatherings

    def test_gatherings_of_a_year_come_in_date_order_whatever_the_rulebook_order(self) -> None:
        from visits.core.rules import gatherings_between

        autumn = Gathering(
            roles=("committee",), id="a.moon", title="中秋会", festival="中秋节", invites=("hardship",), source="s"
        )
        spring = Gathering(
            roles=("committee",), id="b.spring", title="春节会", festival="春节", invites=("hardship",), source="s"
        )
        held = gatherings_between(
            attrs.evolve(BAIBUTING, gatherings=(autumn, spring)), d("2026-01-01"), d("2026-12-31")
        )
        assert [g.id for g, _ in held] == ["b.spring", "a.moon"]

    def test_a_weekend_day_is_not_a_working_day(self) -> None:
        from visits.core.workdays import DueReason, monday_to_friday

        saturday = monday_to_friday().day(d("2026-12-05"))
        assert (saturday.working, saturday.reason) == (False, DueReason.WEEKEND)
