"""Visit records, matching, status as of a date, compliance; across period boundaries."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, horizon
from tests.helpers.ledger import NAMES, PEOPLE, YEAR, community, matching_of, states, visit
from tests.helpers.org import person
from visits import (
    Community,
    CommunityError,
    Horizon,
    Household,
    Visit,
    community_from_dict,
    community_to_dict,
    plan,
    unmatched_detail,
)
from visits.cli import main
from visits.core.assign import Assigned
from visits.core.compliance import compliance
from visits.core.ledger import Reason, State, Status, match, statuses
from visits.core.vocabulary import ReportGrouping
from visits.render.labels import explain
from visits.service import assigned_plan, cancelled, status_report
from visits.testing import demo
from visits.testing import strategies as vst

MARCH = "H1/hardship.monthly/2026-01-01/2026-03"


class TestStates:
    def test_met_by_a_record_in_the_window_and_only_from_its_date_on(self) -> None:
        """Visit on 10 March: open as of 5 March, met as of 10 March."""
        c = community(visit("V1", "2026-03-10"))
        assert states(c, "2026-03-05")[MARCH].state is State.OPEN
        met = states(c, "2026-03-10")[MARCH]
        assert (met.state, met.record, met.late) == (State.MET, c.visits[0], False)
        assert explain(met, "zh", NAMES) == "已完成：困难家庭月度看望，2026-03-10 由 张丽 完成（记录 V1）"
        assert explain(met, "en", NAMES) == "Met: Hardship household: monthly visit, 2026-03-10 by 张丽 (record V1)"

    def test_upcoming_open_and_missed_around_month_ends(self) -> None:
        """As of 31 March: April upcoming, March open (due today), February missed."""
        found = states(community(), "2026-03-31")
        assert found["H1/hardship.monthly/2026-01-01/2026-04"].state is State.UPCOMING
        assert found[MARCH].state is State.OPEN
        missed = found["H1/hardship.monthly/2026-01-01/2026-02"]
        assert missed.state is State.MISSED
        assert explain(missed, "zh", NAMES) == "未完成：困难家庭月度看望，期限2026-02-01至2026-02-28已过，责任人 张丽"
        assert explain(found["H1/hardship.monthly/2026-01-01/2026-04"], "en") == (
            "Upcoming: Hardship household: monthly visit, window opens 2026-04-01, assigned to G1"
        )

    def test_overdue_while_the_window_is_still_open_then_missed(self) -> None:
        """A hospital visit is due 3 days after admission but the stay goes on."""
        stay = Household(id="H1", circumstances=(circ("hospitalized", "2026-03-01", "2026-03-20"),), building="B1")
        key = "H1/hospital.visit/2026-03-01/span"
        overdue = states(community(households=(stay,)), "2026-03-10")[key]
        assert overdue.state is State.OVERDUE
        assert explain(overdue, "zh", {"K1": "刘昇"}) == "逾期：住院病人看望慰问，应于2026-03-04前完成，责任人 刘昇"
        assert states(community(households=(stay,)), "2026-03-21")[key].state is State.MISSED

    def test_a_visit_after_the_due_date_but_in_the_window_is_met_late(self) -> None:
        """Visited on day 8 of the stay: met, late."""
        stay = Household(id="H1", circumstances=(circ("hospitalized", "2026-03-01", "2026-03-20"),), building="B1")
        found = states(community(visit("V1", "2026-03-08", "K1", "gift_visit"), households=(stay,)), "2026-03-31")
        status = found["H1/hospital.visit/2026-03-01/span"]
        assert (status.state, status.late) == (State.MET, True)
        assert explain(status, "en").endswith("(record V1), late (due 2026-03-04)")

    def test_leaving_hardship_in_august_cancels_what_follows_and_keeps_what_was_met(self) -> None:
        """Re-planning keeps met records and keys; later obligations are cancelled with the reason."""
        before = community(visit("V1", "2026-03-10"), visit("V2", "2026-08-03"))
        left = attrs.evolve(
            before,
            households=(
                Household(id="H1", circumstances=(circ("hardship", "2026-01-01", "2026-08-15"),), building="B1"),
            ),
        )
        was, now = states(before, "2026-09-30"), states(left, "2026-09-30")
        assert now[MARCH].state is State.MET and now[MARCH].record == was[MARCH].record
        august = "H1/hardship.monthly/2026-01-01/2026-08"
        assert now[august].state is State.MET
        assert (now[august].obligation.start, now[august].obligation.end) == (d("2026-08-01"), d("2026-08-15"))
        september = now["H1/hardship.monthly/2026-01-01/2026-09"]
        assert september.state is State.CANCELLED
        words = BAIBUTING.vocabulary
        assert explain(september, "zh", vocabulary=words) == "已取消：困难家庭月度看望，困难家庭情况已于2026-08-15结束"
        assert explain(september, "zh") == "已取消：困难家庭月度看望，hardship情况已于2026-08-15结束"
        assert (
            explain(september, "en")
            == "Cancelled: Hardship household: monthly visit, the circumstance ended 2026-08-15"
        )
        assert now["H1/hardship.quarterly/2026-01-01/2026-Q4"].state is State.CANCELLED
        assert now["H1/hardship.yearly/2026-01-01/2027"].state is State.CANCELLED
        assert set(was) == set(now)  # same keys: a service can upsert

    def test_a_cancelled_explanation_names_the_category_as_the_roster_does(self) -> None:
        """One word per category: 住院病人 in an explanation, as on the roster (not a shorter 住院)."""
        from visits import roster_words

        for rule in BAIBUTING.rules:
            if rule.category is None:
                continue
            o = next(
                iter(
                    plan(
                        BAIBUTING,
                        [Household(id="H1", circumstances=(circ(rule.category, "2026-01-01"),))],
                        (),
                        YEAR,
                    )
                )
            )
            s = Status(
                obligation=attrs.evolve(o, rule=rule),
                state=State.CANCELLED,
                as_of=d("2026-12-31"),
                ended=d("2026-06-30"),
            )
            word = roster_words("zh", BAIBUTING.vocabulary).categories[rule.category]
            assert (
                explain(s, "zh", vocabulary=BAIBUTING.vocabulary)
                == f"已取消：{rule.title}，{word}情况已于2026-06-30结束"
            )

    def test_quarter_boundary(self) -> None:
        """A branch-secretary visit on 31 March meets Q1; on 1 April, Q2; neither meets the monthly."""
        c = community(visit("V1", "2026-03-31", "S1"), visit("V2", "2026-04-01", "S1"))
        found = states(c, "2026-04-30")
        assert found["H1/hardship.quarterly/2026-01-01/2026-Q1"].record == c.visits[0]
        assert found["H1/hardship.quarterly/2026-01-01/2026-Q2"].record == c.visits[1]
        assert found[MARCH].state is State.MISSED

    def test_year_boundary_gift_visits(self) -> None:
        """31 December meets 2026's yearly gift visit, 1 January 2027's."""
        c = community(visit("V1", "2026-12-31", "K1", "gift_visit"), visit("V2", "2027-01-01", "K1", "gift_visit"))
        found = states(c, "2027-01-31")
        assert found["H1/hardship.yearly/2026-01-01/2026"].record == c.visits[0]
        assert found["H1/hardship.yearly/2026-01-01/2027"].record == c.visits[1]

    def test_a_documented_substitute_counts_through_the_assignment(self) -> None:
        """G1 away all March: the monthly goes up to M1, whose visit then meets it."""
        away = (person("G1", "group_leader", "B1", away=("2026-03-01", "2026-03-31")), *PEOPLE[1:])
        found = states(community(visit("V1", "2026-03-12", "M1"), people=away), "2026-03-31")
        assert (found[MARCH].assignee, found[MARCH].state) == ("M1", State.MET)


class TestUnmatched:
    def reasons(self, *visits: Visit) -> list[tuple[str, Reason, str]]:
        result = matching_of(community(*visits))
        return [(u.record.id, u.reason, unmatched_detail(u)) for u in result.unmatched]

    def test_each_reason(self) -> None:
        """No action asked, outside every window, wrong person, already met."""
        assert self.reasons(
            visit("V1", "2026-03-10"),
            visit("V2", "2026-03-11", action="install"),
            visit("V3", "2025-12-31"),
            visit("V4", "2026-03-12", "G2"),
            visit("V5", "2026-03-20"),
        ) == [
            (
                "V3",
                Reason.OUTSIDE_WINDOW,
                "2025-12-31 is outside every window of hardship.monthly, hardship.quarterly at H1",
            ),
            ("V2", Reason.NO_ACTION, "no obligation at H1 asks for 'install'"),
            ("V4", Reason.NOT_ELIGIBLE, "G2 may not fulfil hardship.monthly, hardship.quarterly at H1"),
            ("V5", Reason.ALREADY_MET, "what it fits was already met by V1"),
        ]

    def test_outside_every_window(self) -> None:
        """Before the circumstance began: no window holds the day."""
        assert self.reasons(visit("V3", "2025-12-31")) == [
            (
                "V3",
                Reason.OUTSIDE_WINDOW,
                "2025-12-31 is outside every window of hardship.monthly, hardship.quarterly at H1",
            )
        ]

    def test_without_an_organisation_every_record_is_reported(self) -> None:
        """Roles cannot be checked, so nothing is matched, and nothing is lost."""
        c = attrs.evolve(community(visit("V1", "2026-03-10")), organisation=None)
        result = match(c.visits, list(assigned_plan(BAIBUTING, c, YEAR)), None, {}, BAIBUTING.vocabulary)
        assert [(u.record.id, u.reason) for u in result.unmatched] == [("V1", Reason.NO_ORGANISATION)]

    def test_one_visit_may_meet_one_obligation_of_each_rule(self) -> None:
        """The branch secretary's visit in a month meets the quarterly and, as assignee, the monthly."""
        away = (
            person("G1", "group_leader", "B1", away=("2026-03-01", "2026-03-31")),
            *PEOPLE[1:3],
            PEOPLE[3],
            PEOPLE[4],
        )
        no_zone = tuple(p for p in away if p.id != "M1")
        result = matching_of(community(visit("V1", "2026-03-12", "S1"), people=no_zone))
        assert result.matched["V1"] == (MARCH, "H1/hardship.quarterly/2026-01-01/2026-Q1")


def _assigned_and_records(c: Community, span: Horizon, rng: random.Random) -> tuple[list[Assigned], list[Visit]]:
    assigned = list(assigned_plan(BAIBUTING, c, span))
    assert c.organisation is not None
    people = [p.id for p in c.organisation.people] or ["P-none"]
    homes = [h.id for h in c.households]
    records = []
    for n, a in enumerate(assigned[:40]):
        o = a.obligation
        day = o.start + dt.timedelta(days=rng.randint(-3, (o.end - o.start).days + 3))
        who = a.assignee if (a.assignee and rng.random() < 0.7) else rng.choice(people)
        action = o.rule.action if rng.random() < 0.9 else rng.choice(list(BAIBUTING.vocabulary.ids("actions")))
        records.append(Visit(id=f"V{n}", household=o.household, person=who, date=day, action=action))
    for n in range(rng.randint(0, 3)):
        if homes:
            records.append(
                Visit(
                    id=f"X{n}",
                    household=rng.choice(homes),
                    person=rng.choice(people),
                    date=span.start,
                    action=rng.choice(list(BAIBUTING.vocabulary.ids("actions"))),
                )
            )
    return assigned, records


class TestProperties:
    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False))
    def test_every_record_is_matched_or_reported_once_and_meets_at_most_one_obligation_per_rule(
        self, c: Community, span: Horizon, rng: random.Random
    ) -> None:
        """None lost; no record in both lists; per rule at most one obligation; each obligation one record."""
        assigned, records = _assigned_and_records(c, span, rng)
        result = match(
            records, assigned, c.organisation, {h.id: h.building for h in c.households}, BAIBUTING.vocabulary
        )
        reported = [u.record.id for u in result.unmatched]
        assert sorted([*result.matched, *reported]) == sorted(r.id for r in records)
        assert not set(result.matched) & set(reported)
        rules = {a.obligation.key: a.obligation.rule.id for a in assigned}
        for keys in result.matched.values():
            assert len({rules[k] for k in keys}) == len(keys) >= 1
        assert all(result.met[k].id == rid for rid, keys in result.matched.items() for k in keys)

    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False))
    def test_matching_does_not_depend_on_the_order_of_records(
        self, c: Community, span: Horizon, rng: random.Random
    ) -> None:
        """Shuffled records, same matching."""
        assigned, records = _assigned_and_records(c, span, rng)
        buildings = {h.id: h.building for h in c.households}
        first = match(records, assigned, c.organisation, buildings, BAIBUTING.vocabulary)
        again = match(rng.sample(records, len(records)), assigned, c.organisation, buildings, BAIBUTING.vocabulary)
        assert (dict(first.met), dict(first.matched), first.unmatched) == (
            dict(again.met),
            dict(again.matched),
            again.unmatched,
        )

    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False), st.data())
    def test_status_as_of_a_date_depends_only_on_records_up_to_it(
        self, c: Community, span: Horizon, rng: random.Random, data: st.DataObject
    ) -> None:
        """Adding records dated after the day changes nothing about that day."""
        assigned, records = _assigned_and_records(c, span, rng)
        day = data.draw(st.dates(min_value=span.start, max_value=span.end))
        buildings = {h.id: h.building for h in c.households}
        every = match(records, assigned, c.organisation, buildings, BAIBUTING.vocabulary)
        early = match([r for r in records if r.date <= day], assigned, c.organisation, buildings, BAIBUTING.vocabulary)
        assert list(statuses(assigned, every, day)) == list(statuses(assigned, early, day))

    @settings(max_examples=60)  # each example plans twice over a long horizon: the slowest property
    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False), st.data())
    def test_a_record_by_the_assignee_in_the_window_with_the_action_meets_the_obligation(
        self, c: Community, span: Horizon, rng: random.Random, data: st.DataObject
    ) -> None:
        """It is met (by this record or an earlier one), unless the record met another obligation of that rule."""
        assigned, records = _assigned_and_records(c, span, rng)
        chosen = [a for a in assigned if a.assignee]
        assume(chosen)
        target = data.draw(st.sampled_from(chosen))
        assert target.assignee is not None
        o = target.obligation
        day = data.draw(st.dates(min_value=o.start, max_value=o.end))
        mine = Visit(
            id="MINE",
            household=o.household,
            person=target.assignee,
            date=day,
            action=o.rule.action,
        )
        result = match(
            [*records, mine],
            assigned,
            c.organisation,
            {h.id: h.building for h in c.households},
            BAIBUTING.vocabulary,
        )
        rules = {a.obligation.key: a.obligation.rule.id for a in assigned}
        met_it = o.key in result.met
        met_another_of_the_rule = any(rules[k] == o.rule.id for k in result.matched.get("MINE", ()))
        assert met_it or met_another_of_the_rule


class TestCompliance:
    def test_on_its_due_day_an_obligation_is_open_not_yet_due(self) -> None:
        """March's monthly visit is due 31 March: that day it is open and not counted due; the rate stays 1."""
        met_feb = visit("V1", "2026-02-10")
        c = community(met_feb)
        report = status_report(BAIBUTING, c, horizon("2026-02-01", "2026-03-31"), d("2026-03-31"), "rule")
        monthly = next(g for g in report.groups if g.name == "hardship.monthly")
        assert (monthly.due, monthly.met_due, monthly.open, monthly.rate) == (1, 1, 1, 1.0)
        after = status_report(BAIBUTING, c, horizon("2026-02-01", "2026-03-31"), d("2026-04-01"), "rule")
        monthly = next(g for g in after.groups if g.name == "hardship.monthly")
        assert (monthly.due, monthly.met_due, monthly.missed, monthly.open) == (2, 1, 1, 0)

    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False), st.data())
    def test_the_columns_add_up_on_every_day(
        self, c: Community, span: Horizon, rng: random.Random, data: st.DataObject
    ) -> None:
        """met_due + overdue + missed == due, and due + open + upcoming + early-met == total, per group and overall."""
        _, records = _assigned_and_records(c, span, rng)
        c = attrs.evolve(c, visits=tuple(records))
        day = data.draw(
            st.dates(min_value=span.start - dt.timedelta(days=5), max_value=span.end + dt.timedelta(days=5))
        )
        report = status_report(BAIBUTING, c, span, day, data.draw(st.sampled_from(["rule", "person", "unit"])))
        for g in (*report.groups, report.overall):
            assert g.met_due + g.overdue + g.missed == g.due
            assert g.due + g.open + g.upcoming + (g.met - g.met_due) == g.total
        assert report.overall.total == sum(g.total for g in report.groups)

    @given(vst.organised_communities(), vst.horizons(max_days=400), st.randoms(use_true_random=False), st.data())
    def test_the_report_counts_what_compliance_counts_over_every_status(
        self, c: Community, span: Horizon, rng: random.Random, data: st.DataObject
    ) -> None:
        """status_report's fast counting equals ledger.compliance over the statuses one by one, every grouping."""
        _, records = _assigned_and_records(c, span, rng)
        c = attrs.evolve(c, visits=tuple(records))
        day = data.draw(st.dates(min_value=span.start, max_value=span.end + dt.timedelta(days=5)))
        by: ReportGrouping = data.draw(st.sampled_from(["rule", "person", "unit"]))
        assigned = list(assigned_plan(BAIBUTING, c, span))
        buildings = {h.id: h.building for h in c.households}
        matching = match(
            [v for v in c.visits if v.date <= day], assigned, c.organisation, buildings, BAIBUTING.vocabulary
        )
        removed = cancelled(BAIBUTING, c.households, span, (a.obligation.key for a in assigned))
        assert c.organisation is not None
        units = {u.id: u for u in c.organisation.units}
        estates = {}
        for h in c.households:
            unit = units.get(h.building or "")
            while unit is not None and unit.level != "estate":
                unit = units.get(unit.parent or "")
            if unit is not None:
                estates[h.id] = unit.id
        group_of: Callable[[Status], str] = {
            "rule": lambda s: s.obligation.rule.id,
            "person": lambda s: s.assignee or "(nobody)",
            "unit": lambda s: estates.get(s.obligation.household, "(no unit)"),
        }[by]
        expected = compliance(statuses(assigned, matching, day, removed), day, by, group_of, matching.unmatched)
        assert status_report(BAIBUTING, c, span, day, by) == expected


class TestCommands:
    def test_status_report_by_person_and_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The report counts per group; the JSON lists overdue and missed items with explanations."""
        c = community(visit("V1", "2026-01-20"), visit("V2", "2026-03-31", "S1"), visit("V9", "2026-02-02", "G2"))
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(c), ensure_ascii=False), encoding="utf-8")
        assert main(["status", str(path), "--as-of", "2026-03-31", "--by", "person", "--format", "json"]) == 0
        report = json.loads(capsys.readouterr().out)
        groups = {g["name"]: g for g in report["groups"]}
        # March's visit and Q1's are due on 31 March itself: open (or met), not yet counted due.
        assert (groups["G1"]["due"], groups["G1"]["met_due"], groups["G1"]["missed"], groups["G1"]["open"]) == (
            2,
            1,
            1,
            1,
        )
        assert (groups["S1"]["met"], groups["S1"]["met_due"], groups["S1"]["rate"]) == (1, 0, None)
        assert report["overall"]["due"] == 2
        assert [m["key"] for m in report["missed"]] == ["H1/hardship.monthly/2026-01-01/2026-02"]
        assert report["missed"][0]["explanation"]["zh"].startswith("未完成：困难家庭月度看望")
        assert [(u["record"], u["reason"]) for u in report["unmatched"]] == [("V9", "not_eligible")]

    def test_status_table_and_csv(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The table's last row is the overall rate; CSV has one row per group."""
        c = community(visit("V1", "2026-01-20"))
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(c), ensure_ascii=False), encoding="utf-8")
        assert main(["status", str(path), "--as-of", "2026-02-28", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "hardship.monthly" in out and out.splitlines()[1].startswith("rule")
        assert main(["status", str(path), "--as-of", "2026-02-28", "--by", "unit", "--format", "csv"]) == 0
        rows = capsys.readouterr().out.splitlines()
        assert rows[0].startswith("unit,total,due,met_due")
        assert rows[1].startswith("E1,") and rows[-1].startswith("all,")

    def test_visits_section_is_validated(self) -> None:
        """Unknown households and people in records are refused with their paths."""
        data = community_to_dict(community(visit("V1", "2026-01-20")))
        data["visits"].append({"id": "V1", "household": "H9", "person": "P9", "date": "2026-01-32", "action": "hug"})
        data["visits"].append({"id": "V3", "household": "H9", "person": "P9", "date": "2026-01-03", "action": "visit"})
        with pytest.raises(CommunityError) as caught:
            community_from_dict(data, BAIBUTING.vocabulary)
        assert caught.value.lines() == [
            "visits[1] (V1).date: not a real date: '2026-01-32'",
            "visits[1] (V1).id: duplicate id 'V1' (also visits[0])",
            "visits[1] (V1).action: unknown action 'hug' (this rulebook has: visit, gift_visit, contact, review, "
            "assess, accompany, assign, install, arrive)",
            "visits[2] (V3).household: unknown household 'H9'",
            "visits[2] (V3).person: unknown person 'P9'",
        ]

    def test_demo_with_visits_is_deterministic_and_mostly_compliant(self) -> None:
        """Same seed, same records; the simulated compliance is high but not perfect."""
        a = demo.generate(600, seed=4, with_visits=True)
        assert a.visits == demo.generate(600, seed=4, with_visits=True).visits
        report = status_report(BAIBUTING, a, horizon("2026-01-01", "2026-12-31"), d("2026-12-31"))
        assert report.overall.rate is not None and 0.75 < report.overall.rate < 0.95
        assert {u.reason for u in report.unmatched} <= set(Reason)
