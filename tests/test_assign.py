"""Who visits: assignment, substitution (依次递补), escalation, spreading."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import attrs
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, event, horizon
from tests.helpers.org import UNITS, person
from visits import Choice, Community, Horizon, Household, Obligation, assignment_note, plan, skip_reason
from visits.core.assign import Assigned, assign
from visits.core.organisation import Organisation, Person, Position
from visits.testing import strategies as vst

DECEMBER = horizon("2026-12-01", "2026-12-31")


def assigned(
    people: list[Person], households: list[Household], span: Horizon = DECEMBER, events: tuple[object, ...] = ()
) -> list[Assigned]:
    organisation = Organisation(units=UNITS, people=tuple(people))
    obligations = plan(BAIBUTING, households, events, span)  # type: ignore[arg-type]
    return list(assign(obligations, organisation, {h.id: h.building for h in households}, BAIBUTING.vocabulary))


def hardship(ident: str = "H1", building: str | None = "B1") -> Household:
    return Household(id=ident, circumstances=(circ("hardship", "2026-01-01"),), building=building)


def only(results: list[Assigned], rule_id: str) -> Assigned:
    [found] = [a for a in results if a.obligation.rule.id == rule_id]
    return found


class TestSubstitution:
    def test_first_ranked_group_leader_of_the_households_building(self) -> None:
        """Rank 1 at B1 takes the monthly visit; B2's leader is not involved."""
        result = only(
            assigned([person("G1", "group_leader", "B1"), person("G2", "group_leader", "B2")], [hardship()]),
            "hardship.monthly",
        )
        assert (result.assignee, result.assignment.unit, result.assignment.rank) == ("G1", "B1", 1)
        assert not result.assignment.substitute
        assert result.assignment.skipped == ()

    def test_next_rank_takes_over_when_rank_one_is_away_for_the_whole_window(self) -> None:
        """依次递补: rank 2 at the same building, with the skip recorded."""
        result = only(
            assigned(
                [
                    person("G1", "group_leader", "B1", away=("2026-11-20", "2027-01-05")),
                    person("G2", "group_leader", "B1", rank=2),
                ],
                [hardship()],
            ),
            "hardship.monthly",
        )
        assert result.assignee == "G2"
        assert result.assignment.substitute
        assert assignment_note(result.assignment) == "next in line at B1 (rank 2)"
        assert (result.assignment.choice, result.assignment.missing) == (Choice.NEXT_IN_LINE, None)
        skipped = result.assignment.skipped
        assert [(s.person, skip_reason(s)) for s in skipped] == [("G1", "absent 2026-11-20..2027-01-05")]

    def test_away_for_part_of_the_window_still_serves(self) -> None:
        """Absent 1-30 December still leaves 31 December."""
        result = only(
            assigned(
                [
                    person("G1", "group_leader", "B1", away=("2026-12-01", "2026-12-30")),
                    person("G2", "group_leader", "B1", rank=2),
                ],
                [hardship()],
            ),
            "hardship.monthly",
        )
        assert result.assignee == "G1"
        assert not result.assignment.substitute

    def test_touching_absences_are_joined(self) -> None:
        """1-15 and 16-31 December together cover the month."""
        result = only(
            assigned(
                [
                    person(
                        "G1",
                        "group_leader",
                        "B1",
                        away=("2026-12-01", "2026-12-15"),
                        more_away=("2026-12-16", "2026-12-31"),
                    ),
                    person("G2", "group_leader", "B1", rank=2),
                ],
                [hardship()],
            ),
            "hardship.monthly",
        )
        assert result.assignee == "G2"
        assert skip_reason(result.assignment.skipped[0]) == "absent 2026-12-01..2026-12-31"

    def test_nobody_left_at_the_building_goes_up_to_the_zone(self) -> None:
        """Both group leaders away: the zone's branch member takes it."""
        result = only(
            assigned(
                [
                    person("G1", "group_leader", "B1", away=("2026-12-01", "2026-12-31")),
                    person("M1", "branch_member", "Z1"),
                ],
                [hardship()],
            ),
            "hardship.monthly",
        )
        assert (result.assignee, result.assignment.role, result.assignment.unit) == ("M1", "branch_member", "Z1")
        assert assignment_note(result.assignment) == "escalated to branch_member at Z1"
        assert (result.assignment.choice, result.assignment.missing) == (Choice.ESCALATED, None)

    def test_escalation_skips_empty_levels_up_to_the_committee(self) -> None:
        """No zone or estate people: the committee answers."""
        result = only(assigned([person("K1", "committee", "C")], [hardship()]), "hardship.monthly")
        assert (result.assignee, result.assignment.role) == ("K1", "committee")
        assert result.assignment.substitute

    def test_another_accepted_role_before_escalating(self) -> None:
        """Hospital visit: committee away, so a branch member (also named by the rule) goes."""
        home = Household(id="H1", circumstances=(circ("hospitalized", "2026-12-03", "2026-12-08"),), building="B1")
        result = only(
            assigned(
                [
                    person("K1", "committee", "C", away=("2026-12-01", "2026-12-20")),
                    person("M1", "branch_member", "Z1"),
                ],
                [home],
            ),
            "hospital.visit",
        )
        assert (result.assignee, result.assignment.role) == ("M1", "branch_member")
        assert assignment_note(result.assignment) == "taken by another accepted role: branch_member at Z1"
        assert (result.assignment.choice, result.assignment.missing) == (Choice.OTHER_ROLE, None)

    def test_nobody_at_all_keeps_the_obligation_with_a_reason(self) -> None:
        """Never dropped: assignee None, and why."""
        results = assigned([person("G1", "group_leader", "B1", away=("2026-01-01", "2027-12-31"))], [hardship()])
        assert len(results) == 3
        assert all(r.assignee is None for r in results)
        assert assignment_note(results[0].assignment) == "everyone who could take it is absent for the whole window"
        assert results[0].assignment.choice is Choice.ALL_ABSENT
        assert [s.person for s in results[0].assignment.skipped] == ["G1"]

    def test_household_without_a_building_is_kept_unassigned_with_a_reason(self) -> None:
        """The planner still plans it; assignment says what is missing."""
        result = only(assigned([person("G1", "group_leader", "B1")], [hardship(building=None)]), "hardship.monthly")
        assert result.assignee is None
        assert assignment_note(result.assignment) == "household has no building in the unit tree"
        assert result.assignment.choice is Choice.NO_BUILDING

    def test_household_in_a_building_the_tree_lacks_names_it(self) -> None:
        """A typo in a household's building: unassigned, and the note quotes the building."""
        result = only(assigned([person("G1", "group_leader", "B1")], [hardship(building="B9")]), "hardship.monthly")
        assert (result.assignee, result.assignment.choice, result.assignment.building) == (
            None,
            Choice.UNKNOWN_BUILDING,
            "B9",
        )
        assert assignment_note(result.assignment) == "unknown building 'B9'"

    def test_nobody_holding_any_role_is_said_so(self) -> None:
        """A tree with the building but no people at all: no holder, nobody skipped."""
        result = only(assigned([], [hardship()]), "hardship.monthly")
        assert (result.assignee, result.assignment.choice, result.assignment.skipped) == (None, Choice.NO_HOLDER, ())
        assert assignment_note(result.assignment) == "no one holds any of the roles that could take it"


class TestLinkedRoles:
    def test_several_carers_share_households_and_keep_them(self) -> None:
        """多对一: one of three carers takes every weekly visit of the household."""
        home = Household(id="H7", circumstances=(circ("elderly_alone", "2026-01-01"),), building="B1")
        carers = [person(f"K{n}", "carer", "B1", households=("H7",)) for n in range(3)]
        weekly = [a for a in assigned(carers, [home]) if a.obligation.rule.id == "elderly.weekly"]
        assert len(weekly) == 5
        assert len({a.assignee for a in weekly}) == 1
        assert weekly[0].assignment.role == "carer" and weekly[0].assignment.unit is None

    def test_an_alarm_at_a_household_with_no_carer_says_so(self) -> None:
        """The group leader takes it, and the note says no carer could, not 'another of the rank 1'."""
        home = Household(id="H7", circumstances=(circ("elderly_alone", "2026-01-01"),), building="B1")
        ring = event("alarm", "2026-12-09", household="H7")
        result = only(assigned([person("G1", "group_leader", "B1")], [home], events=(ring,)), "elderly.alarm")
        assert result.assignee == "G1" and result.assignment.substitute
        note = "no carer for it; taken by another accepted role: group_leader at B1"
        assert assignment_note(result.assignment) == note
        assert (result.assignment.choice, result.assignment.missing) == (Choice.OTHER_ROLE, "carer")

    def test_absent_carer_is_covered_by_another_linked_carer(self) -> None:
        """Same rank, another member of the pool."""
        home = Household(id="H7", circumstances=(circ("elderly_alone", "2026-01-01"),), building="B1")
        first = [person(f"K{n}", "carer", "B1", households=("H7",)) for n in range(2)]
        usual = only(assigned(first, [home], horizon("2026-12-07", "2026-12-13")), "elderly.weekly").assignee
        away = [
            person(
                p.id, "carer", "B1", households=("H7",), away=("2026-12-01", "2026-12-31") if p.id == usual else None
            )
            for p in first
        ]
        result = only(assigned(away, [home], horizon("2026-12-07", "2026-12-13")), "elderly.weekly")
        assert result.assignee not in (None, usual)
        assert assignment_note(result.assignment) == "another of the rank 1 carers at the household's linked people"
        assert result.assignment.choice is Choice.SAME_RANK

    def test_no_linked_carer_goes_to_the_building(self) -> None:
        """Linked roles escalate to the group leader."""
        home = Household(id="H7", circumstances=(circ("elderly_alone", "2026-01-01"),), building="B1")
        result = only(
            assigned([person("G1", "group_leader", "B1")], [home], horizon("2026-12-07", "2026-12-13")),
            "elderly.weekly",
        )
        assert (result.assignee, result.assignment.role) == ("G1", "group_leader")

    def test_event_obligations_are_assigned_too(self) -> None:
        """A same-day arrival goes to the building's group leader."""
        home = Household(id="H1", building="B2")
        found = assigned([person("G2", "group_leader", "B2")], [home], events=(event("grievance", "2026-12-05"),))
        assert [(a.obligation.rule.id, a.assignee) for a in found] == [("arrive.grievance", "G2")]


class TestSpread:
    def test_committee_gift_visits_are_spread_evenly(self) -> None:
        """400 households over 4 rank-1 committee members: each gets 70-130."""
        homes = [hardship(f"H{n:03d}") for n in range(400)]
        committee = [person(f"K{n}", "committee", "C") for n in range(4)]
        counts = Counter(a.assignee for a in assigned(committee, homes) if a.obligation.rule.id == "hardship.yearly")
        assert set(counts) == {"K0", "K1", "K2", "K3"}
        assert all(70 <= c <= 130 for c in counts.values()), counts

    def test_adding_a_household_moves_nobody_else(self) -> None:
        """Rendezvous hashing: existing households keep their committee member."""
        homes = [hardship(f"H{n:03d}") for n in range(50)]
        committee = [person(f"K{n}", "committee", "C") for n in range(5)]
        before = {a.obligation.key: a.assignee for a in assigned(committee, homes)}
        after = {a.obligation.key: a.assignee for a in assigned(committee, [*homes, hardship("H999")])}
        assert {k: v for k, v in after.items() if not k.startswith("H999/")} == before


def _plan_and_assign(community: Community, span: Horizon) -> tuple[list[Obligation], list[Assigned]]:
    assert community.organisation is not None
    obligations = list(plan(BAIBUTING, community.households, community.events, span))
    buildings = {h.id: h.building for h in community.households}
    return obligations, list(assign(obligations, community.organisation, buildings, BAIBUTING.vocabulary))


class TestProperties:
    @given(vst.organised_communities(), vst.horizons())
    def test_the_choice_agrees_with_the_assignment(self, community: Community, span: Horizon) -> None:
        """Assigned iff the choice is a step; a substitute iff it is not the first; the note empty iff first."""
        steps = {Choice.FIRST, Choice.SAME_RANK, Choice.NEXT_IN_LINE, Choice.OTHER_ROLE, Choice.ESCALATED}
        for result in _plan_and_assign(community, span)[1]:
            a = result.assignment
            assert (a.assignee is not None) is (a.choice in steps)
            assert a.substitute is (a.choice in steps - {Choice.FIRST})
            assert (assignment_note(a) == "") is (a.choice is Choice.FIRST)
            assert a.missing is None or a.choice in (Choice.OTHER_ROLE, Choice.ESCALATED)
            assert (a.building is not None) is (a.choice is Choice.UNKNOWN_BUILDING)
            assert a.choice is not Choice.ALL_ABSENT or a.skipped

    @given(vst.organised_communities(), vst.horizons())
    def test_every_obligation_comes_out_exactly_once_in_order(self, community: Community, span: Horizon) -> None:
        """Whatever the absences, nothing is dropped, duplicated or reordered."""
        obligations, results = _plan_and_assign(community, span)
        assert [a.obligation for a in results] == obligations

    @given(vst.organised_communities(), vst.horizons())
    def test_an_assignee_is_never_away_for_the_whole_window(self, community: Community, span: Horizon) -> None:
        """Absences covering the window (joined if touching) exclude a person."""
        assert community.organisation is not None
        people = {p.id: p for p in community.organisation.people}
        for result in _plan_and_assign(community, span)[1]:
            if result.assignee is None:
                continue
            days = {
                result.obligation.start + dt.timedelta(days=n)
                for n in range((result.obligation.end - result.obligation.start).days + 1)
            }
            away = {
                a.start + dt.timedelta(days=n)
                for a in people[result.assignee].absences
                for n in range((a.end - a.start).days + 1)
            }
            assert not days <= away

    @given(vst.organised_communities(), vst.horizons())
    def test_assignees_hold_an_accepted_role_or_are_the_documented_substitute(
        self, community: Community, span: Horizon
    ) -> None:
        """The role served is the rule's, or the escalation role of a level above; and the person holds it."""
        assert community.organisation is not None
        people = {p.id: p for p in community.organisation.people}
        for result in _plan_and_assign(community, span)[1]:
            a, rule = result.assignment, result.obligation.rule
            if a.assignee is None:
                continue
            assert a.role is not None
            holder = people[a.assignee]
            linked = BAIBUTING.vocabulary.linked_roles()
            role_level = {t.id: t.level for t in BAIBUTING.vocabulary.roles}
            if a.role in linked:
                assert result.obligation.household in holder.households
                assert a.role in rule.roles
            else:
                assert Position(role=a.role, unit=a.unit or "", rank=a.rank or 0) in holder.positions
            if a.role not in rule.roles:
                assert a.substitute and a.choice is Choice.ESCALATED
                assert re.match(r"(no \w+ for it; )?escalated to ", assignment_note(a))
                # Levels 1-4 are the unit tree; linked people are level 5 (the household).
                depth = {"community": 1, "estate": 2, "zone": 3, "building": 4}
                first = rule.roles[0]
                first_depth = 5 if first in linked else depth[role_level[first] or ""]
                assert depth[role_level[a.role] or ""] < first_depth

    @given(vst.organised_communities(), vst.horizons(), st.data())
    def test_adding_a_household_changes_no_other_households_assignee(
        self, community: Community, span: Horizon, data: st.DataObject
    ) -> None:
        """Re-planning with one more household keeps everyone else's assignee and explanation."""
        assert community.organisation is not None
        buildings = sorted(u.id for u in community.organisation.units if u.level == "building")
        extra = data.draw(vst.households(ids=st.just("Hzz-new")))
        extra = attrs.evolve(extra, building=data.draw(st.sampled_from(buildings)))
        grown = attrs.evolve(community, households=(*community.households, extra))
        before = {a.obligation.key: a.assignment for a in _plan_and_assign(community, span)[1]}
        after = {a.obligation.key: a.assignment for a in _plan_and_assign(grown, span)[1]}
        assert {k: v for k, v in after.items() if not k.startswith("Hzz-new/")} == before
