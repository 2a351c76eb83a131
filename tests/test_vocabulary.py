"""A rulebook declares its vocabulary: categories, events, severities, levels, roles and actions."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, horizon, month_roster
from tests.helpers.loading import GOOD, organised
from tests.helpers.roster import community
from visits import (
    Calendar,
    Community,
    CommunityError,
    Household,
    Period,
    RulebookError,
    Term,
    Vocabulary,
    assigned_plan,
    check_community,
    community_from_dict,
    load_rulebook,
    roster_words,
)
from visits.cli import main
from visits.core.assign import Assigned
from visits.core.cadence import Cadence, Festival, Interval, IntervalUnit, Once, Response, Span
from visits.core.community import Horizon
from visits.core.extending import differences
from visits.core.organisation import Absence, Organisation, Person, Position, Unit, UnitTree
from visits.core.rules import CategoryTrigger, EventTrigger, Rule, Rulebook, Trigger, UnitTrigger
from visits.core.teams import TeamGap, team_gaps
from visits.core.vocabulary import TABLES
from visits.render.labels import describe
from visits.testing import strategies as vst


class TestDeclared:
    def test_the_baibuting_vocabulary_is_todays(self) -> None:
        """Five categories, four event kinds, two severities, four levels, twelve roles, nine actions."""
        v = BAIBUTING.vocabulary
        assert v.ids("levels") == ("community", "estate", "zone", "building")
        assert [len(v.ids(t)) for t in TABLES] == [5, 4, 2, 4, 12, 9]
        assert [r.id for r in v.roles if r.linked] == ["party_member", "carer", "contact"]
        assert {r.id: r.level for r in v.roles if not r.linked} == {
            "committee": "community",
            "branch_secretary": "estate",
            "branch_member": "zone",
            "group_leader": "building",
            **dict.fromkeys(v.term("levels", "building").team[1:], "building"),  # type: ignore[union-attr]
        }
        assert v.answering() == {
            "community": "committee",
            "estate": "branch_secretary",
            "zone": "branch_member",
            "building": "group_leader",
        }

    def test_titles_by_language_fall_back_to_the_id(self) -> None:
        """An English title left out shows the id."""
        v = Vocabulary(actions=(Term(id="call", title="电话"), Term(id="visit", title="走访", title_en="Visit")))
        assert v.titles("actions", "zh") == {"call": "电话", "visit": "走访"}
        assert v.titles("actions", "en") == {"call": "call", "visit": "Visit"}

    def test_an_unknown_id_names_what_the_table_has(self) -> None:
        """The message lists the declared ids in order, or says the table is empty."""
        v = BAIBUTING.vocabulary
        assert v.unknown("severities", "urgent") == "unknown severity 'urgent' (this rulebook has: minor, major)"
        assert Vocabulary().unknown("roles", "grid_worker") == (
            "unknown role 'grid_worker' (this rulebook declares no roles: add a [roles.grid_worker] table)"
        )

    def test_the_rules_command_lists_every_term(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`visits rules` ends with the vocabulary, one line per term."""
        assert main(["rules", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        listed = out[out.index("vocabulary (") :].splitlines()[2:]
        expected = [(t, term.id) for t in TABLES for term in getattr(BAIBUTING.vocabulary, t)]
        assert [tuple(line.split()[:2]) for line in listed] == expected
        assert "roles       group_leader      党小组长" in out


class TestExtending:
    def test_a_term_is_overridden_field_by_field(self, tmp_path: Path) -> None:
        """Naming a term gives only what changes: the title changes, the flag and English title stay."""
        path = tmp_path / "mine.toml"
        path.write_text('extends = "baibuting"\n[roles.group_leader]\ntitle = "楼长"\n', encoding="utf-8")
        mine = load_rulebook(path)
        leader = mine.vocabulary.term("roles", "group_leader")
        assert leader == Term(
            id="group_leader", title="楼长", title_en="group leader", description="楼栋党小组长", level="building"
        )
        assert mine.vocabulary.ids("roles") == BAIBUTING.vocabulary.ids("roles")

    def test_a_new_term_is_added_at_the_end_of_its_table(self, tmp_path: Path) -> None:
        """A rulebook may add an action of its own and a rule that asks for it."""
        path = tmp_path / "mine.toml"
        path.write_text(
            'extends = "baibuting"\n[actions.call]\ntitle = "电话问候"\ntitle_en = "Phone call"\n'
            '[[rules]]\nid = "elderly.call"\ntrigger = { category = "elderly_alone" }\nroles = ["carer"]\n'
            'action = "call"\ncadence = { kind = "calendar", period = "week" }\nsource = "每周电话问候"\n',
            encoding="utf-8",
        )
        mine = load_rulebook(path)
        assert mine.vocabulary.ids("actions")[-1] == "call"
        assert mine.get("elderly.call").action == "call"

    def test_roster_words_come_from_the_rulebook(self, tmp_path: Path) -> None:
        """Renaming a role in the rulebook renames it on the roster: no word is fixed in code."""
        path = tmp_path / "mine.toml"
        path.write_text('extends = "baibuting"\n[roles.group_leader]\ntitle = "楼栋长"\n', encoding="utf-8")
        mine = load_rulebook(path)
        assert roster_words("zh", mine.vocabulary).roles["group_leader"] == "楼栋长"
        before = month_roster(BAIBUTING, community(), 2026, 12)
        after = month_roster(mine, community(), 2026, 12)
        roles_before = [line.role for g in before.groups for line in g.lines]
        roles_after = [line.role for g in after.groups for line in g.lines]
        assert "党小组长" in roles_before and "党小组长" not in roles_after
        assert roles_after == [("楼栋长" if r == "党小组长" else r) for r in roles_before]


def checked_lines(data: dict[str, Any]) -> list[str]:
    """The problems of a community file read against the Baibuting vocabulary."""
    with pytest.raises(CommunityError) as caught:
        community_from_dict(data, BAIBUTING.vocabulary)
    return caught.value.lines()


class TestCommunityAgainstTheRulebook:
    def test_the_good_file_passes(self) -> None:
        """The reference community with its organisation reads against the vocabulary."""
        community = community_from_dict(organised(), BAIBUTING.vocabulary)
        check_community(BAIBUTING, community)
        assert community.households[0].building == "B1"

    @pytest.mark.parametrize(
        ("where", "change", "expected"),
        [
            (("households", 0, "circumstances", 0), {"category": "poor"}, "].category: unknown category"),
            (("events", 0), {"kind": "fire"}, "events[0] (E1).kind: unknown event kind 'fire'"),
            (("events", 0), {"severity": "huge"}, "events[0] (E1).severity: unknown severity 'huge'"),
            (("visits", 0), {"action": "vist"}, "visits[0] (V1).action: unknown action 'vist'"),
            (("units", 2), {"level": "grid"}, "units[2] (Z1).level: unknown level 'grid'"),
            (("people", 1, "positions", 0), {"role": "grid_worker"}, "positions[0].role: unknown role 'grid_worker'"),
        ],
    )
    def test_a_community_made_without_the_vocabulary_is_checked_before_it_is_planned(
        self, where: tuple[str | int, ...], change: dict[str, str], expected: str
    ) -> None:
        """Each table's unknown id is found in a community built without the rulebook, alone among good ones."""
        data = organised()
        data["visits"] = [{"id": "V1", "household": "H1", "person": "P1", "date": "2026-02-03", "action": "visit"}]
        check_community(BAIBUTING, community_from_dict(data))
        target: Any = data
        for step in where:
            target = target[step]
        target.update(change)
        with pytest.raises(CommunityError) as caught:
            check_community(BAIBUTING, community_from_dict(data))
        [line] = caught.value.lines()
        assert expected in line

    def test_every_unknown_id_at_once_with_what_the_rulebook_has(self) -> None:
        """A category, an event kind, a severity, an action, a level and a role, all reported, each with its place."""
        data = organised()
        data["households"][0]["circumstances"][0]["category"] = "poor"
        data["events"][0].update(kind="fire", severity="huge")
        data["visits"] = [{"id": "V1", "household": "H1", "person": "P1", "date": "2026-02-03", "action": "vist"}]
        data["units"][2]["level"] = "grid"
        data["people"][1]["positions"][0]["role"] = "grid_worker"
        assert checked_lines(data) == [
            "households[0] (H1).circumstances[0].category: unknown category 'poor' (this rulebook has: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
            "events[0] (E1).kind: unknown event kind 'fire' (this rulebook has: emergency, grievance, "
            "family_dispute, alarm)",
            "events[0] (E1).severity: unknown severity 'huge' (this rulebook has: minor, major)",
            "units[2] (Z1).level: unknown level 'grid' (this rulebook has: community, estate, zone, building)",
            "people[1] (P2).positions[0].role: unknown role 'grid_worker' (this rulebook has: committee, "
            "branch_secretary, branch_member, group_leader, building_head, hygiene_officer, security_officer, "
            "culture_officer, property_officer, party_member, carer, contact)",
            "visits[0] (V1).action: unknown action 'vist' (this rulebook has: visit, gift_visit, contact, review, "
            "assess, accompany, assign, install, arrive)",
        ]

    def test_an_unknown_id_is_reported_beside_the_records_other_problems(self) -> None:
        """A household whose date is wrong still has its category checked: nothing hides another problem."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["circumstances"][0].update(category="poor", start="2026-02-30")
        lines = checked_lines(data)
        assert lines == [
            "households[0] (H1).circumstances[0].start: not a real date: '2026-02-30'",
            "households[0] (H1).circumstances[0].category: unknown category 'poor' (this rulebook has: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
        ]

    def test_units_and_positions_must_fit_the_levels(self) -> None:
        """A zone under the community, a group leader at a zone, a household in a zone: each in the file's words."""
        data = organised()
        data["units"][2]["parent"] = "C"
        data["people"][0]["positions"][0]["unit"] = "Z1"
        data["households"][0]["building"] = "Z1"
        assert checked_lines(data) == [
            "households[0] (H1).building: 'Z1' is a zone, not a building",
            "units[2] (Z1).parent: a zone's parent must be a estate, 'C' is a community",
            "people[0] (P1).positions[0].unit: a group_leader serves a building, 'Z1' is a zone",
        ]

    def test_the_root_is_a_unit_of_the_top_level(self) -> None:
        """Two roots, one of them a zone; an estate with a parent is fine, a community with one is not."""
        data = organised()
        data["units"][2]["parent"] = None
        assert checked_lines(data) == [
            "units: must have exactly one root unit (a unit with no parent), found 2 (C, Z1)",
            "units[2] (Z1).parent: a zone needs a parent estate",
        ]
        data = organised()
        data["units"].append({"id": "C2", "level": "community", "parent": "C"})
        assert checked_lines(data) == ["units[4] (C2).parent: the community is the root and has no parent"]

    def test_a_severity_the_kind_does_not_allow(self, tmp_path: Path) -> None:
        """A rulebook may give a kind fewer severities; an event of another severity is refused."""
        path = tmp_path / "mine.toml"
        path.write_text('extends = "baibuting"\n[events.alarm]\nseverities = ["major"]\n', encoding="utf-8")
        mine = load_rulebook(path)
        data = copy.deepcopy(GOOD)
        data["events"][0].update(kind="alarm", severity="minor")
        with pytest.raises(CommunityError) as caught:
            community_from_dict(data, mine.vocabulary)
        assert caught.value.lines() == [
            "events[0] (E1).severity: an event of kind 'alarm' may not be 'minor' (it may be: major)"
        ]

    def test_the_python_api_checks_too(self) -> None:
        """A community built in Python with an unknown category is refused by the use cases, not planned silently."""
        community = Community(households=(Household(id="H1", circumstances=(circ("poor", "2026-01-01"),)),))
        with pytest.raises(CommunityError, match=r"households\[0\] \(H1\)\.circumstances\[0\]\.category: unknown"):
            list(assigned_plan(BAIBUTING, community, horizon("2026-01-01", "2026-01-31")))

    def test_the_command_line_reports_and_writes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`visits plan` with a category the rulebook lacks: exit 1, the file's name and place, no output."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["circumstances"][0]["category"] = "disabled"
        path = tmp_path / "c.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code = main(["plan", str(path), "--from", "2026-01-01", "--to", "2026-01-31"])
        out, err = capsys.readouterr()
        assert (code, out) == (1, "")
        assert err == (
            f"{path}: households[0] (H1).circumstances[0].category: unknown category 'disabled' "
            "(this rulebook has: hardship, hospitalized, unemployed, released, elderly_alone)\n"
        )


class TestRuleOverrides:
    def test_a_rule_named_by_id_changes_only_what_it_gives(self, tmp_path: Path) -> None:
        """Only the cadence: the trigger, roles, action, source and titles stay the base's."""
        path = tmp_path / "mine.toml"
        path.write_text(
            'extends = "baibuting"\n[[rules]]\nid = "hardship.monthly"\n'
            'cadence = { kind = "calendar", period = "week" }\n',
            encoding="utf-8",
        )
        mine = load_rulebook(path)
        base, rule = BAIBUTING.get("hardship.monthly"), mine.get("hardship.monthly")
        assert rule == attrs.evolve(base, cadence=Calendar(period=Period.WEEK))
        assert [r.id for r in mine.rules] == [r.id for r in BAIBUTING.rules]

    def test_the_festivals_rulebook_is_the_difference_it_reads_as(self) -> None:
        """Its two rules change titles, cadence, note (and reading) only; everything else is inherited."""
        festivals = load_rulebook("baibuting-festivals")
        changed = {
            c.id: c.fields for c in differences(BAIBUTING, festivals) if c.kind == "changed" and c.what == "rule"
        }
        assert changed == {
            "hardship.yearly": ("cadence", "reading", "note", "title", "title_en"),
            "elderly.halfyearly": ("cadence", "note", "title", "title_en"),  # already a reading in the base
        }
        text = (Path(__file__).resolve().parent.parent / "visits" / "data" / "baibuting-festivals.toml").read_text(
            encoding="utf-8"
        )
        assert "trigger =" not in text and "action =" not in text

    def test_an_override_that_breaks_the_rule_says_where(self, tmp_path: Path) -> None:
        """An event trigger over a calendar cadence: the rule's own check, at the file's rule."""
        path = tmp_path / "mine.toml"
        path.write_text(
            'extends = "baibuting"\n[[rules]]\nid = "hardship.monthly"\ntrigger = { events = ["alarm"] }\n',
            encoding="utf-8",
        )
        with pytest.raises(RulebookError) as caught:
            load_rulebook(path)
        assert caught.value.lines() == [
            f"{path}: rules[0] (hardship.monthly).cadence: an event trigger needs a 'response' cadence, and only it"
        ]

    def test_a_gathering_named_by_id_changes_only_what_it_gives(self, tmp_path: Path) -> None:
        """Moving the Mid-Autumn dinner a day keeps its title, invitees and roles."""
        path = tmp_path / "mine.toml"
        path.write_text(
            'extends = "baibuting-festivals"\n[[gatherings]]\nid = "mid_autumn.dinner"\nday = 1\n', encoding="utf-8"
        )
        mine = load_rulebook(path)
        before = load_rulebook("baibuting-festivals").gatherings[0]
        assert mine.gatherings[0] == attrs.evolve(before, day=1)


def _renamed(table: str, ident: str) -> str:
    return f"{table[:3]}_{ident}"


def _rename_vocabulary(v: Vocabulary) -> Vocabulary:
    def term(table: str, t: Term) -> Term:
        return attrs.evolve(
            t,
            id=_renamed(table, t.id),
            level=None if t.level is None else _renamed("levels", t.level),
            severities=tuple(_renamed("severities", s) for s in t.severities),
        )

    return Vocabulary(**{table: tuple(term(table, t) for t in getattr(v, table)) for table in TABLES})


def _rename_rule(rule: Rule) -> Rule:
    trigger = rule.trigger
    new: Trigger
    if isinstance(trigger, CategoryTrigger):
        new = CategoryTrigger(category=_renamed("categories", trigger.category))
    elif isinstance(trigger, UnitTrigger):
        new = UnitTrigger(level=_renamed("levels", trigger.level))
    else:
        severities = trigger.severities
        new = EventTrigger(
            events=tuple(_renamed("events", k) for k in trigger.events),
            severities=None if severities is None else tuple(_renamed("severities", s) for s in severities),
        )
    return attrs.evolve(
        rule,
        trigger=new,
        roles=tuple(_renamed("roles", r) for r in rule.roles),
        action=_renamed("actions", rule.action),
    )


def _rename_community(c: Community) -> Community:
    homes = tuple(
        attrs.evolve(
            h,
            circumstances=tuple(attrs.evolve(x, category=_renamed("categories", x.category)) for x in h.circumstances),
        )
        for h in c.households
    )
    events = tuple(
        attrs.evolve(
            e,
            kind=_renamed("events", e.kind),
            severity=None if e.severity is None else _renamed("severities", e.severity),
        )
        for e in c.events
    )
    assert c.organisation is not None
    units = tuple(attrs.evolve(u, level=_renamed("levels", u.level)) for u in c.organisation.units)
    people = tuple(
        attrs.evolve(p, positions=tuple(attrs.evolve(q, role=_renamed("roles", q.role)) for q in p.positions))
        for p in c.organisation.people
    )
    return attrs.evolve(c, households=homes, events=events, organisation=Organisation(units=units, people=people))


@st.composite
def _planned(draw: st.DrawFn) -> tuple[Rulebook, Community, Horizon]:
    """A vocabulary of any shape, a rulebook over it, and an organised community in its words."""
    vocabulary = draw(vst.vocabularies())
    rulebook = draw(vst.rulebooks(max_rules=4, vocabulary=vocabulary))
    community = draw(vst.organised_communities(max_households=5, vocabulary=vocabulary))
    return rulebook, community, draw(vst.horizons(max_days=200))


def _shown(item: Assigned) -> tuple[object, ...]:
    o, a = item.obligation, item.assignment
    return (o.key, o.start, o.end, o.due, o.calendar, a.assignee, a.role, a.unit, a.rank, a.choice, a.missing)


#: Each example plans, assigns and (for renaming) plans again over a vocabulary of any shape: fewer of them.
_FEWER = settings(max_examples=60)


class TestAnyVocabulary:
    @_FEWER
    @given(_planned(), st.randoms(use_true_random=False))
    def test_plans_are_deterministic_and_independent_of_input_order(
        self, planned: tuple[Rulebook, Community, Horizon], rng: random.Random
    ) -> None:
        """The same obligations and assignments, whatever order the households and events come in."""
        rulebook, community, span = planned
        homes, events = list(community.households), list(community.events)
        rng.shuffle(homes)
        rng.shuffle(events)
        shuffled = attrs.evolve(community, households=tuple(homes), events=tuple(events))
        first = sorted(_shown(a) for a in assigned_plan(rulebook, community, span))
        assert first == sorted(_shown(a) for a in assigned_plan(rulebook, community, span))
        assert first == sorted(_shown(a) for a in assigned_plan(rulebook, shuffled, span))

    @_FEWER
    @given(_planned())
    def test_every_assignee_holds_the_role_at_the_households_chain_or_its_links(
        self, planned: tuple[Rulebook, Community, Horizon]
    ) -> None:
        """A unit role is held at the unit of its level above the household's building; a linked role, for it."""
        rulebook, community, span = planned
        assert community.organisation is not None
        tree = UnitTree(community.organisation.units)
        people = {p.id: p for p in community.organisation.people}
        building = {h.id: h.building for h in community.households}
        for item in assigned_plan(rulebook, community, span):
            a = item.assignment
            if a.assignee is None:
                continue
            assert a.role is not None
            term = rulebook.vocabulary.term("roles", a.role)
            assert term is not None
            holder = people[a.assignee]
            if term.linked:
                assert item.obligation.subject in holder.households
            else:
                assert term.level is not None
                assert tree.chain(building[item.obligation.subject]).get(term.level) == a.unit
                assert any(q.role == a.role and q.unit == a.unit for q in holder.positions)

    @_FEWER
    @given(_planned())
    def test_renaming_every_id_renames_the_plan_and_changes_nothing_else(
        self, planned: tuple[Rulebook, Community, Horizon]
    ) -> None:
        """Categories, events, severities, levels, roles and actions renamed consistently: the same plan, renamed."""
        rulebook, community, span = planned
        renamed_book = attrs.evolve(
            rulebook,
            rules=tuple(_rename_rule(r) for r in rulebook.rules),
            vocabulary=_rename_vocabulary(rulebook.vocabulary),
        )
        before = list(assigned_plan(rulebook, community, span))
        after = list(assigned_plan(renamed_book, _rename_community(community), span))
        assert len(before) == len(after)
        for old, new in zip(before, after, strict=True):
            a, b = old.assignment, new.assignment
            expected = attrs.evolve(
                a,
                role=None if a.role is None else _renamed("roles", a.role),
                missing=None if a.missing is None else _renamed("roles", a.missing),
            )
            assert b == expected
            assert new.obligation == attrs.evolve(old.obligation, rule=_rename_rule(old.obligation.rule))


class TestLadderFromTheVocabulary:
    """The first role declared at a level answers for it; the others there are never escalated to."""

    @staticmethod
    def _assigned(role_order: tuple[str, ...]) -> tuple[str | None, str]:
        terms = {
            "head": Term(id="head", title="楼长", level="bottom"),
            "deputy": Term(id="deputy", title="副楼长", level="bottom"),
            "boss": Term(id="boss", title="主任", level="top"),
            "friend": Term(id="friend", title="结对人", linked=True),
        }
        vocabulary = Vocabulary(
            categories=(Term(id="c", title="类", sensitive=False),),
            levels=(Term(id="top", title="上"), Term(id="bottom", title="下")),
            roles=tuple(terms[r] for r in role_order),
            actions=(Term(id="visit", title="走访"),),
        )
        rule = Rule(
            id="c.monthly",
            trigger=CategoryTrigger(category="c"),
            roles=("friend",),
            action="visit",
            cadence=Calendar(period=Period.MONTH),
            source="s",
        )
        book = Rulebook(name="ladder", rules=(rule,), vocabulary=vocabulary)
        units = (Unit(id="T", level="top"), Unit(id="B", level="bottom", parent="T"))
        people = (
            Person(id="D", positions=(Position(role="deputy", unit="B"),)),
            Person(id="K", positions=(Position(role="boss", unit="T"),)),
        )
        home = Household(id="H1", building="B", circumstances=(circ("c", "2026-01-01"),))
        community = Community(households=(home,), organisation=Organisation(units=units, people=people))
        [item] = assigned_plan(book, community, horizon("2026-03-01", "2026-03-31"))
        return item.assignee, item.assignment.choice.value

    def test_a_second_role_at_the_building_is_not_the_ones_escalated_to(self) -> None:
        """head is declared first at the bottom level: nobody holds it, so the ladder goes up to the boss."""
        assert self._assigned(("head", "deputy", "boss", "friend")) == ("K", "escalated")

    def test_declaring_it_first_makes_it_the_one(self) -> None:
        """With deputy declared before head, the deputy answers for the building."""
        assert self._assigned(("deputy", "head", "boss", "friend")) == ("D", "escalated")


class TestTeams:
    """两长四员: the six seats of a building's team, and the buildings where one is empty."""

    TEAM = (
        "group_leader",
        "building_head",
        "hygiene_officer",
        "security_officer",
        "culture_officer",
        "property_officer",
    )

    @staticmethod
    def _organisation(*seats: tuple[str, str, int]) -> Organisation:
        units = (
            Unit(id="C", level="community"),
            Unit(id="E", level="estate", parent="C"),
            Unit(id="Z", level="zone", parent="E"),
            Unit(id="B1", level="building", parent="Z"),
            Unit(id="B2", level="building", parent="Z"),
        )
        people = tuple(
            Person(
                id=f"P{n}",
                positions=(Position(role=role, unit=unit, rank=rank),),
                absences=(Absence(start=d("2026-01-01"), end=d("2026-12-31")),) if n == 0 else (),
            )
            for n, (role, unit, rank) in enumerate(seats)
        )
        return Organisation(units=units, people=people)

    def test_the_baibuting_building_team_is_the_six_of_the_text(self) -> None:
        """党小组长、楼栋长和卫生委员、治安委员、文体委员、物业房管员, in that order, the group leader first."""
        v = BAIBUTING.vocabulary
        building = v.term("levels", "building")
        assert building is not None and building.team == self.TEAM
        assert [v.titles("roles", "zh")[r] for r in self.TEAM] == [
            "党小组长",
            "楼栋长",
            "卫生委员",
            "治安委员",
            "文体委员",
            "物业房管员",
        ]

    def test_a_full_team_is_not_listed_and_an_empty_seat_is(self) -> None:
        """B1 has all six (one away all year, one at rank 2: still held); B2 only a group leader.

        Units of the levels above have no team and are never listed."""
        seats = [(role, "B1", 2 if role == "culture_officer" else 1) for role in self.TEAM]
        organisation = self._organisation(*seats, ("group_leader", "B2", 1), ("branch_member", "Z", 1))
        assert team_gaps(organisation, BAIBUTING.vocabulary) == (
            TeamGap(unit="B2", level="building", missing=self.TEAM[1:]),
        )

    def test_missing_seats_keep_the_teams_order(self) -> None:
        """Whatever order people come in, the missing roles are listed as the team declares them."""
        organisation = self._organisation(("security_officer", "B1", 1), ("building_head", "B1", 1))
        gaps = team_gaps(organisation, BAIBUTING.vocabulary)
        assert gaps[0] == TeamGap(
            unit="B1",
            level="building",
            missing=("group_leader", "hygiene_officer", "culture_officer", "property_officer"),
        )
        assert [g.unit for g in gaps] == ["B1", "B2"]

    @pytest.mark.parametrize(
        ("team", "message"),
        [
            (["group_leader", "mayor"], "levels.building.team[1]: unknown role 'mayor'"),
            (["group_leader", "committee"], "levels.building.team[1]: 'committee' does not serve at the building"),
            (["group_leader", "group_leader"], "levels.building.team: names a role twice"),
        ],
    )
    def test_a_team_names_roles_of_its_own_level_once(self, team: list[str], message: str, tmp_path: Path) -> None:
        path = tmp_path / "mine.toml"
        path.write_text(f'extends = "baibuting"\n[levels.building]\nteam = {json.dumps(team)}\n', encoding="utf-8")
        with pytest.raises(RulebookError) as caught:
            load_rulebook(path)
        assert [line for line in caught.value.lines() if message in line]

    def test_the_teams_command(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """In Chinese by default, in English with --lang en, and as JSON; a rulebook with no team says so."""
        path = tmp_path / "c.json"
        data = organised()
        path.write_text(json.dumps(data), encoding="utf-8")
        assert main(["teams", str(path)]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "楼栋团队有空缺：1 个（共 1 个）"
        assert out[2].split() == ["B1", "1栋", "楼栋长、卫生委员、治安委员、文体委员、物业房管员"]
        assert main(["teams", str(path), "--lang", "en"]) == 0
        assert capsys.readouterr().out.startswith("building teams with an empty seat: 1 of 1\nunit")
        assert main(["teams", str(path), "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == [
            {"unit": "B1", "level": "building", "missing": list(self.TEAM[1:])}
        ]
        grid = Path(__file__).resolve().parent.parent / "examples" / "grid-community"
        code = main(["teams", str(grid / "community.json"), "--rules", str(grid / "rules.toml")])
        captured = capsys.readouterr()
        assert (code, captured.out) == (1, "")
        assert captured.err.endswith("no level of the rulebook declares a team ([levels.<id>] team = [...])\n")


class TestRulesInChinese:
    """`visits rules` speaks Chinese by default, with the vocabulary's titles; `--lang en` keeps ids."""

    def test_the_table_names_things_by_their_titles(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["rules", "--rules", "baibuting-festivals"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == "baibuting-festivals（继承 baibuting）：19 条规则，2 项社区活动"
        assert lines[1].split() == ["规则", "对象", "角色", "事项", "周期", "应完成日", "依据（*", "为本规则的解读）"]
        row = {line.split()[0]: line.split() for line in lines if line[:1].isascii() and line[:1].isalpha()}
        assert row["hardship.yearly"][1:6] == ["困难家庭", "社区党委", "慰问", "春节前20天", "末个工作日"]
        assert row["released.assign"][1:5] == ["刑释人员", "支部书记", "指派专人", "一次，开始当天至后6天"]
        assert row["arrive.escalate"][1] == "事件：突发事件、不满情绪、家庭纠纷（大事）"
        assert "  修改规则 hardship.yearly（cadence、reading、note、title、title_en）" in lines
        assert "    周期：每年 → 春节前20天" in lines
        assert any(line.split()[:3] == ["角色", "building_head", "楼栋长"] for line in lines)
        assert any(line.split()[:2] == ["层级", "building"] and "团队：党小组长、楼栋长" in line for line in lines)

    @pytest.mark.parametrize(
        ("cadence", "zh"),
        [
            (Calendar(period=Period.HALF), "每半年"),
            (Calendar(period=Period.YEAR, within=(1, 3)), "每年，第1至3个月"),
            (Interval(every=2, unit=IntervalUnit.WEEKS), "自开始起每2周"),
            (Once(first_day=5, last_day=5), "一次，开始后5天"),
            (Span(open_days=14), "整个期间（未结束时为前14天）"),
            (Festival(festivals=("中秋节",), first_day=0, last_day=0), "中秋节当天"),
            (Festival(festivals=("重阳节",), first_day=-3, last_day=3), "重阳节前3天至后3天"),
            (Response(within_days=2, working_days=True), "2个工作日内"),
            (Response(within_days=0), "当天"),
        ],
    )
    def test_every_cadence_kind_reads_in_chinese(self, cadence: Cadence, zh: str) -> None:
        assert describe(cadence, "zh") == zh


class TestTablesInChinese:
    """Every command's text table is Chinese by default, with the vocabulary's titles (English with --lang en)."""

    def test_load_status_links_and_calendar(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "c.json"
        path.write_text(json.dumps(organised()), encoding="utf-8")
        assert main(["load", str(path), "--month", "2026-12"]) == 0
        load = capsys.readouterr().out.splitlines()
        assert load[0] == "2026-12：1 人有待办事项；0 人超过上限 60；2 项无人可接"  # no secretary, no committee
        assert load[1].split() == ["人员", "姓名", "待办", "本月到期", "职务"]
        assert load[2].split()[-1] == "党小组长@B1"
        assert main(["status", str(path), "--as-of", "2026-12-31"]) == 0
        status = capsys.readouterr().out.splitlines()
        assert status[0] == "截至 2026-12-31：完成率 = 到期已完成 / 已到期（应完成日在此日之前的事项）"
        assert status[1].split()[:3] == ["规则", "总数", "已到期"] and status[1].split()[-1] == "完成率"
        assert any(line.startswith("合计 ") for line in status)
        assert any(line.startswith("逾期（") for line in status)
        assert main(["links", str(path)]) == 0
        links = capsys.readouterr().out
        assert links.startswith("联系户数不在 3-5 之间的成员（党员）：0 人超过，1 人不足；")
        assert main(["calendar", "--year", "2026"]) == 0
        calendar = capsys.readouterr().out.splitlines()
        assert calendar[0].endswith("2026 年：正式安排")
        assert calendar[1].split() == ["日期", "上班/休息", "来源", "名称"]
        assert "2026-10-10  周六  上班       国务院安排  国庆节" in calendar
        assert "节日：" in calendar


class TestSeverityOfAKind:
    """The message lists every severity the kind allows, or says it allows none."""

    @pytest.mark.parametrize(
        ("extra", "kind", "allowed"),
        [
            ('[severities.urgent]\ntitle = "紧急"\n', "alarm", "minor, major"),
            ('[events.fire]\ntitle = "火警"\n', "fire", "none"),
        ],
    )
    def test_the_allowed_severities_are_named(self, extra: str, kind: str, allowed: str, tmp_path: Path) -> None:
        path = tmp_path / "mine.toml"
        path.write_text(f'extends = "baibuting"\n{extra}', encoding="utf-8")
        mine = load_rulebook(path)
        data = copy.deepcopy(GOOD)
        data["events"][0].update(kind=kind, severity="urgent" if kind == "alarm" else "minor")
        with pytest.raises(CommunityError) as caught:
            community_from_dict(data, mine.vocabulary)
        severity = data["events"][0]["severity"]
        assert caught.value.lines() == [
            f"events[0] (E1).severity: an event of kind {kind!r} may not be {severity!r} (it may be: {allowed})"
        ]
