"""Duties of a unit (a rule triggered by a level): planned, assigned, matched, rostered and counted.

The hand-worked cases use the built-in ``baibuting-organisation`` rulebook and
China's official 2026 schedule; the properties use generated rulebooks with
duties over generated organisations.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import circ, d, horizon
from tests.helpers.org import UNITS, person
from visits import (
    Community,
    CommunityError,
    FieldProblems,
    Horizon,
    Household,
    Rulebook,
    UnitTrigger,
    Visit,
    assigned_plan,
    community_from_dict,
    load_rulebook,
    match,
    monthly_roster,
    plan,
    status_report,
)
from visits.cli import main
from visits.core.assign import NO_ORGANISATION, Assigned
from visits.core.organisation import Organisation, Unit, UnitTree
from visits.core.roster import Roster
from visits.core.rostering import build_roster
from visits.io.convert import community_to_dict, rulebook_from_dict, rulebook_to_dict
from visits.io.serialise import obligation_to_dict, to_csv
from visits.render.labels import roster_words
from visits.testing import strategies as vst

ORGANISATION = load_rulebook("baibuting-organisation")
BAIBUTING = load_rulebook("baibuting")
#: The duties Baibuting-organisation adds, with the phrase of seed 001 each quotes.
PHRASES = {
    "estate.weekly_meeting": "每周召开一次党支部、居委会、业委会、物业服务处负责人例会",
    "estate.hearing": "每月召开一次民主听证会",
    "estate.reception": "周末接待日",
    "community.pledge": "年初作出服务承诺",
    "community.door_service": "每月一次“上门服务”",
    "community.pledge_review": "半年一次评诺活动",
    "community.assessment": "年底一次服务考核",
    "estate.report": "党支部书记、党小组长半年一述职",
    "building.report": "党支部书记、党小组长半年一述职",
}
STAFF = (
    person("K1", "committee", "C"),
    person("S1", "branch_secretary", "E1"),
    person("G1", "group_leader", "B1"),
    person("G2", "group_leader", "B2", away=("2026-07-01", "2026-12-31")),
)


def organisation() -> Organisation:
    return Organisation(units=UNITS, people=STAFF)


def community(*visits: Visit, households: tuple[Household, ...] = ()) -> Community:
    return Community(households=households, organisation=organisation(), visits=visits)


def duties(first: str, last: str, rulebook: Rulebook = ORGANISATION) -> dict[str, tuple[dt.date, dt.date, dt.date]]:
    """Key -> (start, end, due) of every duty overlapping ``first..last``."""
    found = plan(rulebook, [], [], horizon(first, last), units=UNITS)
    return {o.key: (o.start, o.end, o.due) for o in found}


class TestTheRulebook:
    def test_it_extends_baibuting_and_adds_only_duties(self) -> None:
        assert ORGANISATION.based_on == "baibuting"
        assert ORGANISATION.rules[: len(BAIBUTING.rules)] == BAIBUTING.rules
        added = ORGANISATION.rules[len(BAIBUTING.rules) :]
        assert [r.id for r in added] == list(PHRASES)
        assert all(isinstance(r.trigger, UnitTrigger) for r in added)

    @pytest.mark.parametrize("rule_id", sorted(PHRASES))
    def test_each_duty_quotes_its_phrase(self, rule_id: str) -> None:
        assert PHRASES[rule_id] in ORGANISATION.get(rule_id).source

    def test_it_round_trips_through_its_plain_form(self) -> None:
        assert rulebook_from_dict(rulebook_to_dict(ORGANISATION)) == ORGANISATION

    def test_baibuting_itself_has_no_duties(self) -> None:
        assert not BAIBUTING.has_duties()
        assert ORGANISATION.has_duties()


class TestCalendar:
    """Each duty's windows and due dates at the boundaries of weeks, months, halves and years."""

    @pytest.mark.parametrize(
        ("first", "last", "key", "window"),
        [
            # A week cut by National Day (1-7 October): due on the last working day, 30 September.
            (
                "2026-09-28",
                "2026-10-04",
                "E1/estate.weekly_meeting/2026-W40",
                ("2026-09-28", "2026-10-04", "2026-09-30"),
            ),
            # Spring Festival's make-up Saturday (14 February) is a working day.
            (
                "2026-02-09",
                "2026-02-15",
                "E1/estate.weekly_meeting/2026-W07",
                ("2026-02-09", "2026-02-15", "2026-02-14"),
            ),
            # A week wholly in the Spring Festival holiday keeps its Sunday.
            (
                "2026-02-16",
                "2026-02-22",
                "E1/estate.weekly_meeting/2026-W08",
                ("2026-02-16", "2026-02-22", "2026-02-22"),
            ),
            # The reception day is due on the Sunday, working day or not.
            ("2026-09-28", "2026-10-04", "E1/estate.reception/2026-W40", ("2026-09-28", "2026-10-04", "2026-10-04")),
            # ISO week 1 of 2026 starts in 2025; its Sunday, 4 January, is a make-up working day.
            (
                "2026-01-01",
                "2026-01-01",
                "E1/estate.weekly_meeting/2026-W01",
                ("2025-12-29", "2026-01-04", "2026-01-04"),
            ),
            ("2026-12-01", "2026-12-01", "E1/estate.hearing/2026-12", ("2026-12-01", "2026-12-31", "2026-12-31")),
            # February's last day is a make-up working Saturday.
            (
                "2026-02-28",
                "2026-02-28",
                "C/community.door_service/2026-02",
                ("2026-02-01", "2026-02-28", "2026-02-28"),
            ),
            # January only; 31 January 2026 is a Saturday.
            ("2026-01-31", "2026-01-31", "C/community.pledge/2026", ("2026-01-01", "2026-01-31", "2026-01-30")),
            (
                "2026-06-30",
                "2026-06-30",
                "C/community.pledge_review/2026-H1",
                ("2026-01-01", "2026-06-30", "2026-06-30"),
            ),
            (
                "2026-07-01",
                "2026-07-01",
                "C/community.pledge_review/2026-H2",
                ("2026-07-01", "2026-12-31", "2026-12-31"),
            ),
            ("2026-12-31", "2026-12-31", "C/community.assessment/2026", ("2026-12-01", "2026-12-31", "2026-12-31")),
            ("2026-06-30", "2026-06-30", "E1/estate.report/2026-H1", ("2026-01-01", "2026-06-30", "2026-06-30")),
            ("2026-12-31", "2026-12-31", "B1/building.report/2026-H2", ("2026-07-01", "2026-12-31", "2026-12-31")),
        ],
    )
    def test_window_and_due(self, first: str, last: str, key: str, window: tuple[str, str, str]) -> None:
        assert duties(first, last)[key] == tuple(d(x) for x in window)

    def test_a_month_holds_exactly_its_windows(self) -> None:
        found = duties("2026-12-01", "2026-12-31")
        assert sorted(k for k in found if k.startswith("E1/estate.weekly_meeting/")) == [
            f"E1/estate.weekly_meeting/2026-W{n}" for n in (49, 50, 51, 52, 53)
        ]
        assert [k for k in found if "pledge/" in k] == []  # the pledge is January's
        assert "C/community.assessment/2026" in found
        assert {k for k in found if k.startswith("B")} == {"B1/building.report/2026-H2", "B2/building.report/2026-H2"}

    def test_a_window_across_the_new_year_keeps_its_key_from_either_side(self) -> None:
        before, after = duties("2026-12-31", "2026-12-31"), duties("2027-01-01", "2027-01-01")
        key = "E1/estate.weekly_meeting/2026-W53"
        assert before[key] == after[key] == (d("2026-12-28"), d("2027-01-03"), d("2026-12-31"))
        assert "E1/estate.hearing/2026-12" in before and "E1/estate.hearing/2026-12" not in after

    def test_the_zone_owes_nothing_and_every_unit_of_a_level_owes_its_duties(self) -> None:
        subjects = {o.unit for o in plan(ORGANISATION, [], [], horizon("2026-01-01", "2026-12-31"), units=UNITS)}
        assert subjects == {"C", "E1", "B1", "B2"}


class TestAssignmentAndRecords:
    def test_each_duty_falls_to_its_units_own_role(self) -> None:
        found = {
            a.obligation.key: a for a in assigned_plan(ORGANISATION, community(), horizon("2026-12-01", "2026-12-31"))
        }
        assert found["C/community.assessment/2026"].assignee == "K1"
        assert found["E1/estate.hearing/2026-12"].assignee == "S1"
        assert found["B1/building.report/2026-H2"].assignee == "G1"
        # B2's group leader is away the whole half-year: the ladder climbs from the building.
        b2 = found["B2/building.report/2026-H2"].assignment
        assert (b2.assignee, b2.role, b2.unit, b2.substitute) == ("S1", "branch_secretary", "E1", True)

    def test_a_record_naming_the_unit_meets_its_duty(self) -> None:
        held = Visit(id="R1", unit="E1", person="S1", date=d("2026-12-10"), action="hold_meeting")
        report = status_report(ORGANISATION, community(held), horizon("2026-12-01", "2026-12-31"), d("2026-12-31"))
        rows = {g.name: g for g in report.groups}
        assert rows["estate.weekly_meeting"].met == 1
        assert not report.unmatched

    def test_a_record_by_someone_elses_role_or_at_a_household_meets_nothing(self) -> None:
        wrong_person = Visit(id="R1", unit="C", person="S1", date=d("2026-12-10"), action="door_service")
        as_household = Visit(id="R2", household="E1", person="S1", date=d("2026-12-10"), action="hold_meeting")
        span = horizon("2026-12-01", "2026-12-31")
        c = attrs.evolve(community(), visits=(wrong_person, as_household))
        assigned = list(assigned_plan(ORGANISATION, c, span))
        matching = match(c.visits, assigned, c.organisation, {}, ORGANISATION.vocabulary)
        assert {u.record.id: u.reason.value for u in matching.unmatched} == {"R1": "not_eligible", "R2": "no_action"}

    def test_status_by_unit_counts_duties_under_their_estate(self) -> None:
        homes = (Household(id="H1", building="B1"),)
        report = status_report(
            ORGANISATION, community(households=homes), horizon("2026-12-01", "2026-12-31"), d("2026-12-31"), by="unit"
        )
        totals = {g.name: g.total for g in report.groups}
        weeks, month, halves = 5, 1, 1
        assert totals == {"C": 2 + 1, "E1": 2 * weeks + month + halves + 2 * halves}

    @pytest.mark.parametrize(
        ("record", "message"),
        [
            (
                {},
                "visits[0] (R1).household: missing: "
                "a record names the household visited (or the unit, for a unit's duty)",
            ),
            (
                {"household": "H1", "unit": "E1"},
                "visits[0] (R1).unit: a record names a household or a unit, not both (household 'H1')",
            ),
            ({"unit": "E9"}, "visits[0] (R1).unit: unknown unit 'E9'"),
        ],
    )
    def test_a_record_names_a_household_or_a_known_unit(self, record: dict[str, str], message: str) -> None:
        data = {
            "households": [{"id": "H1", "building": "B1"}],
            "units": [{"id": u.id, "level": u.level, **({"parent": u.parent} if u.parent else {})} for u in UNITS],
            "people": [{"id": "S1", "positions": [{"role": "branch_secretary", "unit": "E1"}]}],
            "visits": [{"id": "R1", "person": "S1", "date": "2026-12-10", "action": "hold_meeting", **record}],
        }
        with pytest.raises(CommunityError) as caught:
            community_from_dict(data, ORGANISATION.vocabulary)
        assert [str(p) for p in caught.value.problems] == [message]

    def test_a_units_record_keeps_its_place_in_the_community_file(self) -> None:
        held = Visit(id="R1", unit="E1", person="S1", date=d("2026-12-10"), action="hold_meeting", note="到会7人")
        visited = Visit(id="R2", household="H1", person="G1", date=d("2026-12-11"), action="visit")
        c = community(held, visited, households=(Household(id="H1", building="B1"),))
        plain = community_to_dict(c)
        assert [list(v) for v in plain["visits"]] == [
            ["id", "unit", "person", "date", "action", "note"],
            ["id", "household", "person", "date", "action"],
        ]
        assert community_from_dict(json.loads(json.dumps(plain)), ORGANISATION.vocabulary).visits == (held, visited)

    def test_visit_checks_its_own_fields(self) -> None:
        with pytest.raises(FieldProblems):
            Visit(id="R1", person="S1", date=d("2026-12-10"), action="visit")
        assert Visit(id="R1", unit="E1", person="S1", date=d("2026-12-10"), action="visit").subject == "E1"


class TestOutputs:
    def test_json_gives_a_duty_its_unit_and_nothing_else_a_unit_field(self) -> None:
        homes = (Household(id="H1", building="B1"),)
        span = horizon("2026-12-01", "2026-12-31")
        c = community(households=homes)
        rows = [obligation_to_dict(a) for a in assigned_plan(ORGANISATION, c, span)]
        duty = next(r for r in rows if r["key"] == "E1/estate.hearing/2026-12")
        assert (duty["household"], duty["unit"], list(duty)[-1]) == (None, "E1", "unit")
        assert all("unit" not in r for r in rows if r["household"] is not None)

    def test_csv_has_a_unit_column_only_when_asked(self) -> None:
        items = list(plan(ORGANISATION, [], [], horizon("2026-12-01", "2026-12-01"), units=UNITS))
        with_units = list(csv.DictReader(io.StringIO("".join(to_csv(items, units=True)))))
        assert {r["unit"] for r in with_units} == {"C", "E1", "B1", "B2"}
        assert all(r["household"] == "" for r in with_units)
        assert "unit" not in next(csv.reader(io.StringIO("".join(to_csv(items)))))

    def test_the_cli_plans_duties_with_the_built_in_rulebook(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "c.json"
        data = {
            "households": [],
            "units": [{"id": u.id, "level": u.level, **({"parent": u.parent} if u.parent else {})} for u in UNITS],
            "people": [{"id": "S1", "positions": [{"role": "branch_secretary", "unit": "E1"}]}],
        }
        path.write_text(json.dumps(data), encoding="utf-8")
        args = ["plan", str(path), "--rules", "baibuting-organisation", "--from", "2026-12-01", "--to", "2026-12-01"]
        assert main([*args, "--format", "csv"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert {(r["unit"], r["rule"]) for r in rows} >= {("E1", "estate.hearing"), ("B1", "building.report")}

    def test_a_community_without_units_is_told_its_duties_are_not_planned(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "c.json"
        path.write_text(json.dumps({"households": [{"id": "H1"}]}), encoding="utf-8")
        args = ["plan", str(path), "--from", "2026-12-01", "--to", "2026-12-31"]
        assert main([*args, "--rules", "baibuting-organisation"]) == 0
        assert "has units' duties, but" in capsys.readouterr().err
        assert main([*args, "--rules", "baibuting"]) == 0
        assert capsys.readouterr().err == ""


class TestRoster:
    def roster(self, rulebook: Rulebook, *, redact: bool = False) -> Roster:
        hardship = (circ("hardship", "2026-01-01"),)
        homes = tuple(Household(id=h, building=b, circumstances=hardship) for h, b in (("H1", "B1"), ("H2", "B2")))
        return monthly_roster(rulebook, community(households=homes), 2026, 12, redact=redact)

    def test_a_units_duties_head_its_section(self) -> None:
        groups = self.roster(ORGANISATION).groups
        assert [g.key for g in groups] == ["C", "E1", "B1", "B2"]
        b1 = groups[2].lines
        assert b1[0].unit == "B1" and b1[0].rule == "building.report"
        assert all(not line.unit for line in b1[1:])
        assert all(line.unit == "E1" for line in groups[1].lines)

    def test_a_duty_of_a_unit_the_organisation_lacks_shows_its_id(self) -> None:
        duty = next(
            plan(ORGANISATION, [], [], horizon("2026-12-01", "2026-12-31"), units=[Unit(id="E9", level="estate")])
        )
        words = roster_words("zh", ORGANISATION.vocabulary)
        levels = ORGANISATION.vocabulary.ids("levels")
        named = Organisation(units=(*UNITS, Unit(id="E8", name="康和苑", level="estate", parent="C")), people=STAFF)
        for unit, shown in (("E9", ""), ("E8", "康和苑")):
            item = Assigned(obligation=attrs.evolve(duty, unit=unit), assignment=NO_ORGANISATION)
            made = build_roster(
                [item],
                year=2026,
                month=12,
                households=(),
                organisation=named,
                levels=levels,
                words=words,
                community="百步亭社区",
            )
            line = made.groups[0].lines[0]
            assert (made.groups[0].key, line.household, line.household_name, line.unit) == (unit, unit, shown, unit)

    @pytest.mark.parametrize("redact", [False, True])
    def test_duties_add_lines_and_change_no_household_line(self, redact: bool) -> None:
        without = self.roster(BAIBUTING, redact=redact)
        with_duties = self.roster(ORGANISATION, redact=redact)
        kept = [(g.key, tuple(line for line in g.lines if not line.unit)) for g in with_duties.groups]
        assert [(k, lines) for k, lines in kept if lines] == [(g.key, g.lines) for g in without.groups]

    def test_a_redacted_roster_shows_duties_as_they_are(self) -> None:
        lines = [line for g in self.roster(ORGANISATION, redact=True).groups for line in g.lines if line.unit]
        assert {line.rule for line in lines} >= {"estate.hearing", "building.report"}
        assert all(line.key.startswith(line.unit + "/") for line in lines)


# ------------------------------------------------------------------ properties

_DUTIES = settings(max_examples=60)


class TestProperties:
    @_DUTIES
    @given(st.data(), vst.horizons(max_days=120))
    def test_duties_come_first_belong_to_units_of_their_level_and_leave_households_alone(
        self, data: st.DataObject, span: Horizon
    ) -> None:
        c = data.draw(vst.organised_communities(max_households=4))
        rulebook = data.draw(vst.rulebooks(max_rules=4, duties=True))
        assert c.organisation is not None
        levels = {u.id: u.level for u in c.organisation.units}
        found = list(plan(rulebook, c.households, c.events, span, units=c.organisation.units))
        keys = [o.key for o in found]
        assert len(keys) == len(set(keys))
        flags = [o.unit is not None for o in found]
        assert flags == sorted(flags, reverse=True)  # every duty before every household's obligation
        for o in found:
            assert (o.household is None) == (o.unit is not None)
            if o.unit is not None:
                assert levels[o.unit] == o.rule.level
                assert o.anchor == o.start
        without = [o for o in found if o.unit is None]
        alone = list(plan(rulebook, c.households, c.events, span))
        assert without == alone

    @_DUTIES
    @given(st.data(), vst.horizons(max_days=120))
    def test_a_duty_goes_up_its_own_units_chain_and_a_record_of_its_assignee_meets_it(
        self, data: st.DataObject, span: Horizon
    ) -> None:
        c = data.draw(vst.organised_communities(max_households=2))
        rulebook = data.draw(vst.rulebooks(max_rules=3, duties=True))
        assert c.organisation is not None
        tree = UnitTree(c.organisation.units)
        holders = {p.id: p for p in c.organisation.people}
        for item in assigned_plan(rulebook, c, span):
            o, a = item.obligation, item.assignment
            if o.unit is None or a.assignee is None:
                continue
            assert a.unit in tree.chain(o.unit).values()
            assert any(q.role == a.role and q.unit == a.unit for q in holders[a.assignee].positions)
            record = Visit(id="R", unit=o.unit, person=a.assignee, date=o.due, action=o.rule.action)
            matching = match([record], [item], c.organisation, {}, rulebook.vocabulary)
            assert matching.matched == {"R": (o.key,)}
            elsewhere = attrs.evolve(record, unit=None, household=o.unit)
            assert not match([elsewhere], [item], c.organisation, {}, rulebook.vocabulary).met
