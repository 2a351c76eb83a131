"""Every validation message of the rulebook, community and calendar loaders, each triggered once.

A coverage run of the rest of the suite showed which checks no test reached;
each is here with the exact line a user reads.  The messages that other
modules already pin (tests/test_errors.py, tests/test_org.py, ...) are not
repeated.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import BAIBUTING
from tests.helpers.loading import GOOD, baibuting_dict, community_lines, organised, rulebook_lines
from visits import VisitsError, load_community, load_rulebook
from visits.core.cadence import Festival
from visits.core.errors import FieldProblems
from visits.core.rules import Rulebook
from visits.core.vocabulary import Term, Vocabulary
from visits.io.convert import calendar_file_from_dict
from visits.io.files import output_problem
from visits.render.labels import describe

_GATHERING = {
    "id": "g.x",
    "title": "团圆宴",
    "festival": "中秋节",
    "invites": ["hardship"],
    "source": "s",
    "roles": ["committee"],
}


def _event_rule(data: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = next(r for r in data["rules"] if "events" in r["trigger"])
    return rule


RULEBOOK_CASES: dict[str, tuple[Callable[[dict[str, Any]], object], list[str]]] = {
    "no festival named": (
        lambda d: d["rules"][2].update(cadence={"kind": "festival", "festivals": [], "first_day": -20, "last_day": -1}),
        ["rules[2] (hardship.yearly).cadence.festivals: must name at least one festival"],
    ),
    "within not a pair": (
        lambda d: d["rules"][6]["cadence"].update(within=3),
        ["rules[6] (unemployed.review).cadence.within: must be a list of two integers [first, last], got 3"],
    ),
    "trigger not a table": (
        lambda d: d["rules"][0].update(trigger="x"),
        [
            "rules[0] (hardship.monthly).trigger: must be a table/object "
            "({ category = ... }, { events = [...] } or { level = ... }), got 'x'"
        ],
    ),
    "trigger with neither": (
        lambda d: d["rules"][0].update(trigger={}),
        [
            "rules[0] (hardship.monthly).trigger: must have 'category' (a circumstance), "
            "'events' (a list of event kinds) or 'level' (a unit's duty)"
        ],
    ),
    "trigger of two kinds": (
        lambda d: d["rules"][0].update(trigger={"level": "building", "category": "hardship"}),
        [
            "rules[0] (hardship.monthly).trigger: "
            "must have one of 'category', 'events' or 'level', not 'category' and 'level'"
        ],
    ),
    "unit duty of an unknown level": (
        lambda d: d["rules"][0].update(trigger={"level": "estat"}),
        [
            "rules[0] (hardship.monthly).trigger.level: unknown level 'estat' "
            "(this rulebook has: community, estate, zone, building)"
        ],
    ),
    "unit duty counted from a start": (
        lambda d: d["rules"][0].update(trigger={"level": "estate"}, cadence={"kind": "interval", "every": 2}),
        [
            "rules[0] (hardship.monthly).cadence: a unit's duty needs a 'calendar' or 'festival' cadence "
            "(a unit has no start to count from), got 'interval'"
        ],
    ),
    "unit duty of a lower role": (
        lambda d: d["rules"][0].update(trigger={"level": "estate"}),
        [
            "rules[0] (hardship.monthly).roles[0]: role 'group_leader' sits at 'building', below 'estate': "
            "a unit's duty needs a role at its level or above"
        ],
    ),
    "unit duty of a linked role": (
        lambda d: d["rules"][0].update(trigger={"level": "building"}, roles=["carer", "group_leader"]),
        [
            "rules[0] (hardship.monthly).roles[0]: role 'carer' is linked to households: "
            "a unit's duty needs a role of a unit"
        ],
    ),
    "name not a string": (lambda d: d.update(name=5), ["name: must be a string, got 5"]),
    "name blank": (lambda d: d.update(name=" "), ["name: must not be empty"]),
    "unknown due": (
        lambda d: d.update(due="soon"),
        ["due: unknown due 'soon' (expected one of: window_end, last_working_day)"],
    ),
    "no rules": (lambda d: d.pop("rules"), ["rules: required field missing"]),
    "categories not a table": (
        lambda d: d.update(categories=5),
        ["categories: must be a table of categories, got 5"],
    ),
    "new category without a title": (
        lambda d: d["categories"].update(poor={"sensitive": True}),
        ["categories.poor.title: required field missing"],
    ),
    "unknown role in a rule": (
        lambda d: d["rules"][4].update(roles=["grid_workr"]),
        [
            "rules[4] (unemployed.contact).roles[0]: unknown role 'grid_workr' (this rulebook has: committee, "
            "branch_secretary, branch_member, group_leader, building_head, hygiene_officer, security_officer, "
            "culture_officer, property_officer, party_member, carer, contact)"
        ],
    ),
    "unknown action, event kind and severity": (
        lambda d: (
            d["rules"][0].update(action="vist"),
            d["rules"][-1]["trigger"].update(events=["fire"], severities=["huge"]),
        ),
        [
            "rules[0] (hardship.monthly).action: unknown action 'vist' (this rulebook has: visit, gift_visit, contact, "
            "review, assess, accompany, assign, install, arrive)",
            "rules[18] (arrive.escalate).trigger.events[0]: unknown event kind 'fire' (this rulebook has: emergency, "
            "grievance, family_dispute, alarm)",
            "rules[18] (arrive.escalate).trigger.severities[0]: unknown severity 'huge' "
            "(this rulebook has: minor, major)",
        ],
    ),
    "role at an undeclared level": (
        lambda d: d["roles"].update(grid_worker={"title": "网格员", "level": "grid"}),
        ["roles.grid_worker.level: unknown level 'grid' (this rulebook has: community, estate, zone, building)"],
    ),
    "role neither at a level nor linked": (
        lambda d: d["roles"].update(grid_worker={"title": "网格员"}),
        ["roles.grid_worker: needs a level (level = ...) or linked = true"],
    ),
    "role both at a level and linked": (
        lambda d: d["roles"].update(grid_worker={"title": "网格员", "level": "zone", "linked": True}),
        ["roles.grid_worker.linked: a role either serves at a level or is linked to households, not both"],
    ),
    "a field of another table": (
        lambda d: d["actions"].update(call={"title": "电话", "sensitive": True}),
        ["actions.call.sensitive: unknown field"],
    ),
    "event with an undeclared severity": (
        lambda d: d["events"]["alarm"].update(severities=["minor", "urgent"]),
        ["events.alarm.severities: unknown severity 'urgent' (this rulebook has: minor, major)"],
    ),
    "an id with a capital": (
        lambda d: d["levels"].update(Grid={"title": "网格"}),
        ["levels.Grid: an id must be lower-case letters, digits, _ or -, got 'Grid'"],
    ),
    "too many levels": (
        lambda d: d["levels"].update({f"l{n}": {"title": f"层{n}"} for n in range(3)}),
        ["levels: must declare 2 to 6 levels, got 7"],
    ),
    "category not a table": (
        lambda d: d["categories"].update(released=5),
        ['categories.released: must be a table like { title = "…" }, got 5'],
    ),
    "category without its flag": (
        lambda d: d["categories"].update(released={}),
        ["categories.released.sensitive: required field missing (true or false)"],
    ),
    "category with another field": (
        lambda d: d["categories"].update(released={"sensitive": True, "colour": "red"}),
        ["categories.released.colour: unknown field"],
    ),
    "no event kind": (
        lambda d: _event_rule(d)["trigger"].update(events=[]),
        ["rules[14] (elderly.alarm).trigger.events: must name at least one event kind"],
    ),
    "no severity": (
        lambda d: _event_rule(d)["trigger"].update(severities=[]),
        [
            "rules[14] (elderly.alarm).trigger.severities: must name at least one severity "
            "(or be left out: any severity)"
        ],
    ),
    "a role twice": (
        lambda d: d["rules"][0].update(roles=["group_leader", "group_leader"]),
        ["rules[0] (hardship.monthly).roles: names a role twice"],
    ),
    "a gathering wrong in every field": (
        lambda d: d.update(
            gatherings=[
                dict(
                    _GATHERING,
                    id="Bad",
                    title=" ",
                    festival="春季",
                    invites=[],
                    roles=[],
                    day=400,
                    source=" ",
                    reading=True,
                    note="",
                )
            ]
        ),
        [
            "gatherings[0] (Bad).id: must be lower-case words joined by dots, like 'mid_autumn.dinner', got 'Bad'",
            "gatherings[0] (Bad).title: must not be empty",
            "gatherings[0] (Bad).festival: unknown festival '春季'; known: 元旦, 情人节, 妇女节, 植树节, 愚人节, "
            "劳动节, 青年节, 护士节, 儿童节, 建军节, 教师节, 国庆节, 平安夜, 圣诞节, 除夕, 春节, 元宵节, 龙头节, "
            "上巳节, 端午节, 七夕, 中元节, 中秋节, 重阳节, 腊八节, 母亲节, 父亲节, 感恩节, 清明, 冬至, "
            "末伏, 初伏, 中伏",
            "gatherings[0] (Bad).invites: must name at least one category",
            "gatherings[0] (Bad).roles: must name at least one role",
            "gatherings[0] (Bad).day: must be a day offset (-366..366), got 400",
            "gatherings[0] (Bad).source: must quote the source phrase the gathering encodes",
            "gatherings[0] (Bad).note: a reading must say what was chosen and why",
        ],
    ),
    "a gathering with a role twice": (
        lambda d: d.update(gatherings=[dict(_GATHERING, roles=["committee", "committee"])]),
        ["gatherings[0] (g.x).roles: names a role twice"],
    ),
    "a gathering id twice": (
        lambda d: d.update(gatherings=[_GATHERING, _GATHERING]),
        ["gatherings[1] (g.x).id: duplicate id 'g.x' (also gatherings[0])"],
    ),
}


@pytest.mark.parametrize("case", sorted(RULEBOOK_CASES))
def test_rulebook_message(case: str) -> None:
    """Each rulebook check, with the exact line a user reads."""
    change, expected = RULEBOOK_CASES[case]
    data = baibuting_dict()
    change(data)
    assert rulebook_lines(data) == expected


COMMUNITY_CASES: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[dict[str, Any]], object], list[str]]] = {
    "no households section": (
        lambda: copy.deepcopy(GOOD),
        lambda d: d.pop("households"),
        ["households: required field missing"],  # and no 'unknown household' for the events
    ),
    "a community name that is not text": (
        lambda: copy.deepcopy(GOOD),
        lambda d: d.update(community={"name": 5}),
        ["community.name: must be a string, got 5"],
    ),
    "an id with surrounding spaces": (
        lambda: copy.deepcopy(GOOD),
        lambda d: d["households"][0].update(id=" H1"),
        [
            "households[0].id: must be a non-empty id without surrounding spaces, got ' H1'",
            "events[0] (E1).household: unknown household 'H1'",  # ' H1' is not 'H1'
        ],
    ),
    "a community unit with a parent": (
        organised,
        lambda d: d["units"][0].update(parent="E1"),
        # no 'found 0 root units': the cycle is why
        ["units[0] (C).parent: cycle C -> E1 -> C", "units[0] (C).parent: the community is the root and has no parent"],
    ),
    "a record with every field of its own wrong": (
        organised,
        lambda d: d.update(
            visits=[{"id": " V1", "unit": " E1", "person": "P1", "date": "1800-01-01", "action": "visit"}]
        ),
        [
            "visits[0].id: must be a non-empty id without surrounding spaces, got ' V1'",
            "visits[0].date: out of range (1800-01-01 not in 1900-01-01..2999-12-31)",
            "visits[0].unit: must be a non-empty id without surrounding spaces, got ' E1'",
        ],
    ),
    "a record of a household with a trailing space": (
        organised,
        lambda d: d.update(
            visits=[{"id": "V1", "household": "H1 ", "person": "P1", "date": "2026-01-01", "action": "visit"}]
        ),
        ["visits[0] (V1).household: must be a non-empty id without surrounding spaces, got 'H1 '"],
    ),
    "a household linked twice and a person twice": (
        organised,
        lambda d: (d["people"][0].update(households=["H1", "H1"]), d["people"].append(copy.deepcopy(d["people"][1]))),
        ["people[0] (P1).households[1]: lists 'H1' twice", "people[3] (P2).id: duplicate id 'P2' (also people[1])"],
    ),
}


@pytest.mark.parametrize("case", sorted(COMMUNITY_CASES))
def test_community_message(case: str) -> None:
    """Each community check, with the exact line."""
    make, change, expected = COMMUNITY_CASES[case]
    data = make()
    change(data)
    assert community_lines(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], ["a calendar file must be a table/object"]),
        (
            {"closed": [{"start": "2026-01-01", "end": "2027-06-01"}]},
            ["closed[0].end: a range covers at most 366 days, got 2026-01-01..2027-06-01"],
        ),
        ({"years": [{"year": 1800}]}, ["years[0].year: must be a year (1900..2999), got 1800"]),
        ({"years": [{"year": 2027}, {"year": 2027}]}, ["years[1].year: 2027 is also years[0]"]),
    ],
)
def test_calendar_message(data: object, expected: list[str]) -> None:
    """Each calendar-file check."""
    with pytest.raises(VisitsError) as caught:
        calendar_file_from_dict(data)
    assert caught.value.lines() == expected


class TestFilesAndObjects:
    def test_a_file_that_is_not_utf8(self, tmp_path: Path) -> None:
        """A GBK-encoded file (as some office software saves) names the first byte that is not UTF-8."""
        path = tmp_path / "gbk.json"
        before = '{"households": [{"id": "H1", "name": "'
        path.write_bytes((before + '王伟"}]}').encode("gbk"))
        with pytest.raises(VisitsError) as caught:
            load_community(path)
        assert caught.value.lines() == [f"{path}: not UTF-8 text (byte {len(before)})"]

    @pytest.mark.parametrize(
        ("start", "said"),
        [
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "a PDF document"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Excel (.xls) or Word (.doc) file: save it as .xlsx"),
            (b"\x89PNG\r\n\x1a\n\x00", "a PNG picture"),
            (b"\xff\xd8\xff\xe0\x00", "a JPEG picture"),
        ],
    )
    def test_a_file_of_another_kind_is_named(self, tmp_path: Path, start: bytes, said: str) -> None:
        """A roster PDF or an old .xls picked by mistake: the refusal says what the file is."""
        path = tmp_path / "community.json"
        path.write_bytes(start + bytes(range(128, 256)))
        with pytest.raises(VisitsError) as caught:
            load_community(path)
        assert caught.value.lines() == [f"{path}: {said}, not a community file (JSON, JSON Lines or an .xlsx workbook)"]

    def test_extends_that_is_not_a_name(self, tmp_path: Path) -> None:
        """extends = 5: one line naming the field."""
        path = tmp_path / "mine.toml"
        path.write_text("extends = 5\n", encoding="utf-8")
        with pytest.raises(VisitsError) as caught:
            load_rulebook(path)
        assert caught.value.lines() == [f"{path}: extends: must be a rulebook name or path, got 5"]

    def test_output_problems_found_before_any_work(self, tmp_path: Path) -> None:
        """A directory, a missing directory, a file where a directory should be; None when writable."""
        (tmp_path / "file").write_text("x", encoding="utf-8")
        assert output_problem(tmp_path) == "is a directory"
        assert output_problem(tmp_path / "missing" / "r.csv") == f"no such directory: {tmp_path / 'missing'}"
        assert output_problem(tmp_path / "file" / "r.csv") == f"not a directory: {tmp_path / 'file'}"
        assert output_problem(tmp_path / "r.csv") is None

    def test_checks_only_the_python_api_can_reach(self) -> None:
        """A duplicate rule id or a category declared twice, built directly rather than loaded."""
        rule = baibuting_rule()
        with pytest.raises(FieldProblems, match=r"rules\[1\].id: duplicate rule id 'hardship.monthly'"):
            Rulebook(name="x", rules=(rule, rule), vocabulary=BAIBUTING.vocabulary)
        twice = (Term(id="hardship", title="困难家庭", sensitive=True),) * 2
        with pytest.raises(FieldProblems, match=r"categories\.hardship: declared twice"):
            Vocabulary(categories=twice)

    def test_festival_windows_are_described_by_their_days(self) -> None:
        """A festival cadence reads 'the 20 days before 春节', 'day 0 from 中秋节', 'days -3..3 from 中秋节'."""
        assert describe(Festival(festivals=("春节",), first_day=-20, last_day=-1)) == "the 20 days before 春节"
        assert describe(Festival(festivals=("中秋节",), first_day=0, last_day=0)) == "day 0 from 中秋节"
        assert describe(Festival(festivals=("中秋节",), first_day=-3, last_day=3)) == "days -3..3 from 中秋节"


def baibuting_rule() -> Any:
    from tests.helpers import BAIBUTING

    return BAIBUTING.rules[0]
