"""Bad input: every problem reported at once, each with its path; never a traceback."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.helpers import BAIBUTING
from tests.helpers.loading import GOOD, baibuting_dict, community_lines, rulebook_lines
from visits import (
    Circumstance,
    CommunityError,
    Horizon,
    Household,
    RulebookError,
    VisitsError,
    community_from_dict,
    community_from_json,
    plan,
    rulebook_from_toml,
)
from visits.core.errors import FieldProblems


class TestRulebookErrors:
    def test_zero_interval_is_reported_with_its_path(self) -> None:
        """The example from the issue text."""
        data = baibuting_dict()
        data["rules"][10]["cadence"]["every"] = 0
        assert rulebook_lines(data) == [
            "rules[10] (released.halfyearly).cadence.every: must be a positive integer (1..1200), got 0"
        ]

    def test_every_problem_of_every_rule_at_once(self) -> None:
        """Problems in several rules and several fields of one rule are all listed."""
        data = baibuting_dict()
        data["rules"][0]["roles"] = ["group_leader", "mayor"]
        data["rules"][1]["cadence"] = {"kind": "calendar", "period": "fortnight"}
        data["rules"][2]["action"] = 7
        data["rules"][3]["trigger"] = {"category": "hospitalised"}
        data["rules"][4]["id"] = "hardship.monthly"
        data["rules"][5]["colour"] = "red"
        del data["rules"][6]["source"]
        data["rules"][7]["cadence"] = {"kind": "once", "first_day": 5, "last_day": -5}
        data["rules"][8]["cadence"] = {"kind": "weekly"}
        data["rules"][9]["source"] = "  "
        data["rules"][9]["reading"] = "yes"
        assert rulebook_lines(data) == [
            "rules[0] (hardship.monthly).roles[1]: unknown role 'mayor' (this rulebook has: committee, "
            "branch_secretary, branch_member, group_leader, building_head, hygiene_officer, security_officer, "
            "culture_officer, property_officer, party_member, carer, contact)",
            "rules[1] (hardship.quarterly).cadence.period: unknown period 'fortnight' "
            "(expected one of: week, month, quarter, half, year)",
            "rules[2] (hardship.yearly).action: must be a string, got 7",
            "rules[3] (hospital.visit).trigger.category: unknown category 'hospitalised' (this rulebook has: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
            "rules[4] (hardship.monthly).id: duplicate id 'hardship.monthly' (also rules[0])",
            "rules[5] (unemployed.monthly).colour: unknown field",
            "rules[6] (unemployed.review).source: required field missing",
            "rules[7] (released.prerelease).cadence.last_day: before first_day (-5 < 5)",
            "rules[8] (released.pickup).cadence: unknown cadence kind 'weekly' "
            "(expected one of: calendar, interval, once, span, response, festival)",
            "rules[9] (released.assign).reading: must be true or false, got 'yes'",
            # hidden behind the bad 'reading' until the rule's own checks ran on the fields that could be read
            "rules[9] (released.assign).source: must quote the source phrase the rule encodes",
        ]

    def test_one_object_reports_all_of_its_own_problems(self) -> None:
        """A rule with three semantic faults lists all three."""
        data = baibuting_dict()
        rule = data["rules"][0]
        rule.update(id="Bad Id", roles=[], source=" ", trigger={"events": ["alarm"]})
        assert rulebook_lines(data) == [
            "rules[0] (Bad Id).id: must be lower-case words joined by dots, like 'hardship.monthly', got 'Bad Id'",
            "rules[0] (Bad Id).roles: must name at least one role",
            "rules[0] (Bad Id).source: must quote the source phrase the rule encodes",
            "rules[0] (Bad Id).cadence: an event trigger needs a 'response' cadence, and only it",
        ]

    def test_within_must_fit_the_period(self) -> None:
        """Months 6-7 are not inside one half-year; weeks have no months."""
        data = baibuting_dict()
        data["rules"][12]["cadence"]["within"] = [6, 7]
        data["rules"][11]["cadence"]["within"] = [1, 1]
        assert rulebook_lines(data) == [
            "rules[11] (elderly.weekly).cadence.within: is only allowed for month-based periods, not weeks",
            "rules[12] (elderly.halfyearly).cadence.within: must be [first, last] months of the half with "
            "1 <= first <= last <= 6, "
            "got [6, 7]",
        ]

    def test_a_reading_without_a_note_is_refused(self) -> None:
        """Readings must explain themselves."""
        data = baibuting_dict()
        data["rules"][4]["note"] = ""
        assert rulebook_lines(data) == [
            "rules[4] (unemployed.contact).note: a reading must say what was chosen and why"
        ]

    def test_missing_top_level_fields_and_wrong_shapes(self) -> None:
        """No name, rules not a list, an unknown top-level key."""
        assert rulebook_lines({"rules": {"a": 1}, "version": 2}) == [
            "version: unknown field",
            "name: required field missing",
            "rules: must be a list, got {'a': 1}",
        ]
        assert rulebook_lines([1, 2]) == ["a rulebook must be a table/object"]

    def test_invalid_toml_names_the_line(self) -> None:
        """The parser's position is kept."""
        with pytest.raises(RulebookError) as caught:
            rulebook_from_toml('name = "x"\n[[rules]\n')
        assert caught.value.lines()[0].startswith("not valid TOML: ")
        assert "line 2" in caught.value.lines()[0]

    def test_errors_are_value_errors(self) -> None:
        """Callers can catch the builtin they refine."""
        assert issubclass(RulebookError, VisitsError)
        assert issubclass(VisitsError, ValueError)


class TestCommunityErrors:
    def test_the_contract_example_loads(self) -> None:
        """The community file from the issue text is valid."""
        community = community_from_dict(GOOD)
        assert community.households[0].circumstances[0].category == "hardship"
        assert community.events[0].household == "H1"

    def test_every_kind_of_bad_input_at_once(self) -> None:
        """Unknown category, end before start, overlap, unknown household, malformed dates."""
        data = {
            "households": [
                {"id": "H1", "circumstances": [{"category": "poor", "start": "2026-01-01", "end": None}]},
                {"id": "H2", "circumstances": [{"category": "hardship", "start": "2026-04-01", "end": "2026-03-01"}]},
                {
                    "id": "H3",
                    "circumstances": [
                        {"category": "unemployed", "start": "2026-01-01", "end": "2026-06-30"},
                        {"category": "unemployed", "start": "2026-06-30", "end": None},
                    ],
                },
                {"id": "H4", "circumstances": [{"category": "hardship", "start": "2026-02-30", "end": None}]},
                {"id": "H5", "circumstances": [{"category": "hardship", "start": "01/03/2026"}]},
                {"id": "H1"},
            ],
            "events": [
                {"id": "E1", "household": "H9", "kind": "family_dispute", "date": "2026-05-04", "severity": "minor"},
                {"id": "E2", "household": "H1", "kind": "party", "date": "2026-05-04", "severity": "huge"},
            ],
        }
        assert community_lines(data) == [
            "households[0] (H1).circumstances[0].category: unknown category 'poor' (this rulebook has: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
            "households[1] (H2).circumstances[0].end: before start (2026-03-01 < 2026-04-01)",
            "households[2] (H3).circumstances[1]: overlaps circumstances[0] of the same category 'unemployed' "
            "(2026-01-01..2026-06-30 and 2026-06-30..open)",
            "households[3] (H4).circumstances[0].start: not a real date: '2026-02-30'",
            "households[4] (H5).circumstances[0].start: must be a date written YYYY-MM-DD, got '01/03/2026'",
            "households[5] (H1).id: duplicate id 'H1' (also households[0])",
            "events[0] (E1).household: unknown household 'H9'",
            "events[1] (E2).kind: unknown event kind 'party' "
            "(this rulebook has: emergency, grievance, family_dispute, alarm)",
            "events[1] (E2).severity: unknown severity 'huge' (this rulebook has: minor, major)",
        ]

    def test_unknown_top_level_sections_are_kept(self) -> None:
        """Sections for later features survive loading untouched."""
        data = {**GOOD, "notes": [{"id": "N1"}], "community": {"name": "百步亭社区"}}
        community = community_from_dict(data)
        assert dict(community.sections) == {"notes": [{"id": "N1"}], "community": {"name": "百步亭社区"}}
        assert community.organisation is None

    def test_unknown_household_fields_are_refused(self) -> None:
        """A typo inside a household is caught, not ignored."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["circumstance"] = []
        assert community_lines(data) == ["households[0] (H1).circumstance: unknown field"]

    def test_strings_are_not_numbers_and_ids_are_strings(self) -> None:
        """cattrs' lenient conversions are switched off."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["id"] = 17
        data["events"][0]["household"] = 17
        assert community_lines(data)[0] == "households[0].id: must be a string, got 17"

    def test_dates_outside_1900_2999_are_refused(self) -> None:
        """Typing 0206 for 2026 is caught."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["circumstances"][0]["start"] = "0206-01-01"
        assert community_lines(data) == [
            "households[0] (H1).circumstances[0].start: out of range (0206-01-01 not in 1900-01-01..2999-12-31)"
        ]

    def test_invalid_json_names_line_and_column(self) -> None:
        """A broken file is one clear problem."""
        with pytest.raises(CommunityError) as caught:
            community_from_json('{"households": [}')
        assert caught.value.lines() == ["not valid JSON: Expecting value (line 1, column 17)"]

    def test_not_an_object(self) -> None:
        """A JSON list is not a community file."""
        assert community_lines([]) == ["a community file must be a JSON object"]


class TestObjectChecks:
    def test_horizon_over_a_hundred_years_is_refused(self) -> None:
        """2026-01-01..2126-01-01 is one day too long."""
        with pytest.raises(FieldProblems, match="horizon longer than 100 years"):
            Horizon(start=dt.date(2026, 1, 1), end=dt.date(2126, 1, 1))
        assert Horizon(start=dt.date(2026, 1, 1), end=dt.date(2125, 12, 31))

    def test_household_built_in_python_checks_itself(self) -> None:
        """The library API refuses overlapping circumstances too."""
        c = Circumstance(category="hardship", start=dt.date(2026, 1, 1))
        with pytest.raises(FieldProblems, match="overlaps"):
            Household(id="H1", circumstances=(c, c))

    def test_planner_refuses_duplicate_household_ids(self) -> None:
        """Keys would collide; nothing is yielded."""
        h = Household(id="H1")
        with pytest.raises(VisitsError, match="duplicate household id 'H1'"):
            plan(BAIBUTING, [h, h], [], Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2)))


def _json_lines(text: str) -> list[str]:
    with pytest.raises(CommunityError) as caught:
        community_from_json(text)
    return caught.value.lines()


class TestMalformedShapes:
    """The inputs a mutation fuzzer found crashing the loader, each now one located line."""

    def test_a_string_where_an_object_belongs_in_a_list(self) -> None:
        """{"households": ["x"]}."""
        assert community_lines({"households": ["x"]}) == ["households[0]: must be a table/object, got 'x'"]

    def test_a_string_where_a_list_belongs_is_one_line_not_one_per_character(self) -> None:
        """circumstances = "hardship": one problem."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["circumstances"] = "hardship"
        assert community_lines(data) == ["households[0] (H1).circumstances: must be a list, got 'hardship'"]

    @pytest.mark.parametrize("ident", [{"a": 1}, ["H1"]])
    def test_an_object_or_list_used_as_an_id(self, ident: object) -> None:
        """Refused with its path; the events that name households are checked without crashing."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["id"] = ident
        lines = community_lines(data)
        assert lines[0].startswith("households[0].id: must be a string, got ")
        assert "events[0] (E1).household: unknown household 'H1'" in lines

    def test_non_table_entries_in_a_rulebooks_rules(self) -> None:
        """rules = [5, "x"]: two lines."""
        data = baibuting_dict()
        data["rules"] = [5, "x"]
        assert rulebook_lines(data) == [
            "rules[0]: must be a table/object, got 5",
            "rules[1]: must be a table/object, got 'x'",
        ]

    def test_non_table_entries_in_a_calendars_closed_days(self) -> None:
        """closed = ["x"]."""
        from visits.io.convert import calendar_file_from_dict

        with pytest.raises(VisitsError) as caught:
            calendar_file_from_dict({"closed": ["x"]})
        assert caught.value.lines() == ["closed[0]: must be a table/object, got 'x'"]

    def test_deeply_nested_arrays(self) -> None:
        """Nesting Python's parser cannot follow is a problem, not a RecursionError."""
        assert _json_lines('{"households": ' + "[" * 100_000 + "]" * 100_000 + "}") == [
            "not readable: nested too deeply"
        ]
        with pytest.raises(RulebookError, match="nested too deeply"):
            rulebook_from_toml("name = " + "[" * 100_000 + "]" * 100_000)

    def test_integers_too_long_to_convert(self) -> None:
        """5,000 digits: refused before structuring, in JSON and TOML."""
        [line] = _json_lines('{"households": [], "x": ' + "7" * 5000 + "}")
        assert line.startswith("not readable: Exceeds the limit (4300 digits)")
        with pytest.raises(RulebookError, match="not readable: Exceeds the limit"):
            rulebook_from_toml("name = " + "7" * 5000)

    def test_duplicate_keys_in_a_json_object(self) -> None:
        """JSON would keep the last 'households' and lose the first: refused, with the path of each."""
        text = '{"households": [{"id": "H1", "name": "a", "name": "b"}], "households": []}'
        assert _json_lines(text) == [
            "households: duplicate key (a JSON object may name each key once)",
        ]
        text = '{"households": [{"id": "H1", "name": "a", "name": "b"}]}'
        assert _json_lines(text) == ["households[0] (H1).name: duplicate key (a JSON object may name each key once)"]


class TestHostileText:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("\ud800", "contains a lone surrogate (U+D800)"),
            ("a\x00b", "contains a control character (U+0000)"),
            ("\x1b[31m", "contains a control character (U+001B)"),
            ("两行\n地址", "contains a line break (U+000A)"),
            ("一\u2028二", "contains a line break (U+2028)"),
        ],
    )
    def test_text_no_name_contains_is_refused_at_load(self, text: str, message: str) -> None:
        """In a name and an address, with their paths, rather than a crash in a renderer."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["name"] = text
        data["households"][0]["address"] = text
        assert community_lines(data) == [
            f"households[0] (H1).name: {message}",
            f"households[0] (H1).address: {message}",
        ]

    def test_a_community_name_with_a_line_break_is_refused(self) -> None:
        """It titles every roster (and once broke ICS through an assert)."""
        data = copy.deepcopy(GOOD)
        data["community"] = {"name": "百步亭\r\nX-INJECTED:1"}
        assert community_lines(data) == ["community.name: contains a line break (U+000D)"]

    def test_a_rule_title_with_a_line_break_and_a_multi_line_note(self) -> None:
        """Titles are one line; notes and sources may span lines."""
        data = baibuting_dict()
        data["rules"][3]["title"] = "住院\n看望"
        assert rulebook_lines(data) == ["rules[3] (hospital.visit).title: contains a line break (U+000A)"]


class TestNoFollowOnErrors:
    def test_a_unit_that_fails_its_own_check_is_not_unknown_elsewhere(self) -> None:
        """A building with a bad name: one line, not also 'unknown building' for its households."""
        from tests.helpers.loading import organised

        data = organised()
        data["units"][3]["name"] = "1栋\n2栋"
        assert community_lines(data) == ["units[3] (B1).name: contains a line break (U+000A)"]

    def test_a_zone_that_fails_its_own_check_is_not_unknown_to_its_buildings_or_their_people(self) -> None:
        """A zone with a bad name: one line, not also 'unknown unit' for its building or the people there."""
        from tests.helpers.loading import organised

        data = organised()
        data["units"][2]["name"] = "片区\r"
        data["people"].append({"id": "P9", "positions": [{"role": "branch_member", "unit": "Z1"}]})
        assert community_lines(data) == ["units[2] (Z1).name: contains a line break (U+000D)"]

    def test_a_household_that_fails_its_own_check_is_not_unknown_to_its_links(self) -> None:
        """A household with a bad address: one line, not also 'unknown household' for a carer linked to it."""
        from tests.helpers.loading import organised

        data = organised()
        data["households"][0]["address"] = "\x00"
        data["people"].append({"id": "P9", "positions": [{"role": "carer", "unit": "B1"}], "households": ["H1"]})
        assert community_lines(data) == ["households[0] (H1).address: contains a control character (U+0000)"]


class TestEveryRuleProblemAtOnce:
    def test_an_unknown_action_does_not_hide_the_rules_other_problems(self) -> None:
        """roles = [] and due_days = -1 are reported beside the unknown action, not after it is fixed."""
        data = baibuting_dict()
        data["rules"][0].update(action="hug", roles=[], due_days=-1)
        data["rules"][1]["roles"] = []
        data["rules"][3]["cadence"] = {"kind": "span", "open_days": "30"}
        data["rules"][3]["reading"] = True
        data["rules"][3]["note"] = " "
        assert rulebook_lines(data) == [
            "rules[0] (hardship.monthly).roles: must name at least one role",
            "rules[0] (hardship.monthly).due_days: must be 0 or more, got -1",
            "rules[0] (hardship.monthly).action: unknown action 'hug' (this rulebook has: visit, gift_visit, "
            "contact, review, assess, accompany, assign, install, arrive)",
            "rules[1] (hardship.quarterly).roles: must name at least one role",
            "rules[3] (hospital.visit).cadence.open_days: must be an integer, got '30'",
            "rules[3] (hospital.visit).note: a reading must say what was chosen and why",
        ]


class TestOneLinePerProblem:
    def test_a_key_with_a_line_break_or_escape_stays_on_one_line(self) -> None:
        """An unknown field named 'rea\\nson' or '\\x1b[2J': the path is written out, the problem is one line."""
        data = copy.deepcopy(GOOD)
        data["households"][0]["rea\nson"] = 1
        data["households"][0]["\x1b[2J"] = 1
        assert community_lines(data) == [
            "households[0] (H1).<U+001B>[2J: unknown field",
            "households[0] (H1).rea<U+000A>son: unknown field",
        ]


class TestCalendarFileDates:
    def test_a_closure_at_the_end_of_time_is_out_of_range_not_an_overflow(self) -> None:
        """closed = [{ start = 9999-12-30, end = 9999-12-31 }]: two located lines (once an OverflowError)."""
        from visits.io.convert import calendar_file_from_dict

        with pytest.raises(VisitsError) as caught:
            calendar_file_from_dict({"closed": [{"start": "9999-12-30", "end": "9999-12-31"}]})
        assert caught.value.lines() == [
            "closed[0].start: out of range (9999-12-30 not in 1900-01-01..2999-12-31)",
            "closed[0].end: out of range (9999-12-31 not in 1900-01-01..2999-12-31)",
        ]
