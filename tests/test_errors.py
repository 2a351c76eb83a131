"""Bad input: every problem reported at once, each with its path; never a traceback."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from tests.helpers import BAIBUTING
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
    rulebook_from_dict,
    rulebook_from_toml,
    rulebook_to_dict,
)
from visits.errors import FieldProblems
from visits.model import Category


def rulebook_lines(data: Any) -> list[str]:
    with pytest.raises(RulebookError) as caught:
        rulebook_from_dict(data)
    return caught.value.lines()


def community_lines(data: Any) -> list[str]:
    with pytest.raises(CommunityError) as caught:
        community_from_dict(data)
    return caught.value.lines()


def baibuting_dict() -> dict[str, Any]:
    return copy.deepcopy(rulebook_to_dict(BAIBUTING))


class TestRulebookErrors:
    def test_zero_interval_is_reported_with_its_path(self) -> None:
        """The example from the issue text."""
        data = baibuting_dict()
        data["rules"][10]["cadence"]["every"] = 0
        assert rulebook_lines(data) == ["rules[10].cadence.every: must be a positive integer (1..1200), got 0"]

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
            "rules[0].roles[1]: unknown role 'mayor' (expected one of: committee, branch_secretary, "
            "branch_member, group_leader, party_member, carer, contact)",
            "rules[1].cadence.period: unknown period 'fortnight' (expected one of: week, month, quarter, half, year)",
            "rules[2].action: unknown action 7 (expected one of: visit, gift_visit, contact, review, assess, "
            "accompany, assign, install, arrive)",
            "rules[3].trigger.category: unknown category 'hospitalised' (expected one of: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
            "rules[5].colour: unknown field",
            "rules[6].source: required field missing",
            "rules[7].cadence.last_day: before first_day (-5 < 5)",
            "rules[8].cadence: unknown cadence kind 'weekly' "
            "(expected one of: calendar, interval, once, span, response, festival)",
            "rules[9].reading: must be true or false, got 'yes'",
            "rules[4].id: duplicate id 'hardship.monthly' (also rules[0])",
        ]

    def test_one_object_reports_all_of_its_own_problems(self) -> None:
        """A rule with three semantic faults lists all three."""
        data = baibuting_dict()
        rule = data["rules"][0]
        rule.update(id="Bad Id", roles=[], source=" ", trigger={"events": ["alarm"]})
        assert rulebook_lines(data) == [
            "rules[0].id: must be lower-case words joined by dots, like 'hardship.monthly', got 'Bad Id'",
            "rules[0].roles: must name at least one role",
            "rules[0].source: must quote the source phrase the rule encodes",
            "rules[0].cadence: an event trigger needs a 'response' cadence, and only it",
        ]

    def test_within_must_fit_the_period(self) -> None:
        """Months 6-7 are not inside one half-year; weeks have no months."""
        data = baibuting_dict()
        data["rules"][12]["cadence"]["within"] = [6, 7]
        data["rules"][11]["cadence"]["within"] = [1, 1]
        assert rulebook_lines(data) == [
            "rules[11].cadence.within: is only allowed for month-based periods, not weeks",
            "rules[12].cadence.within: must be [first, last] months of the half with 1 <= first <= last <= 6, "
            "got [6, 7]",
        ]

    def test_a_reading_without_a_note_is_refused(self) -> None:
        """Readings must explain themselves."""
        data = baibuting_dict()
        data["rules"][4]["note"] = ""
        assert rulebook_lines(data) == ["rules[4].note: a reading must say what was chosen and why"]

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


GOOD: dict[str, Any] = {
    "households": [{"id": "H1", "circumstances": [{"category": "hardship", "start": "2026-01-01", "end": None}]}],
    "events": [{"id": "E1", "household": "H1", "kind": "family_dispute", "date": "2026-05-04", "severity": "minor"}],
}


class TestCommunityErrors:
    def test_the_contract_example_loads(self) -> None:
        """The community file from the issue text is valid."""
        community = community_from_dict(GOOD)
        assert community.households[0].circumstances[0].category is Category.HARDSHIP
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
            "households[0].circumstances[0].category: unknown category 'poor' (expected one of: hardship, "
            "hospitalized, unemployed, released, elderly_alone)",
            "households[1].circumstances[0].end: before start (2026-03-01 < 2026-04-01)",
            "households[2].circumstances[1]: overlaps circumstances[0] of the same category 'unemployed' "
            "(2026-01-01..2026-06-30 and 2026-06-30..open)",
            "households[3].circumstances[0].start: not a real date: '2026-02-30'",
            "households[4].circumstances[0].start: must be a date written YYYY-MM-DD, got '01/03/2026'",
            "events[1].kind: unknown event kind 'party' (expected one of: emergency, grievance, family_dispute, alarm)",
            "events[1].severity: unknown severity 'huge' (expected one of: minor, major)",
            "households[5].id: duplicate id 'H1' (also households[0])",
            "events[0].household: unknown household 'H9'",
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
        assert community_lines(data) == ["households[0].circumstance: unknown field"]

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
            "households[0].circumstances[0].start: out of range (0206-01-01 not in 1900-01-01..2999-12-31)"
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
        c = Circumstance(category=Category.HARDSHIP, start=dt.date(2026, 1, 1))
        with pytest.raises(FieldProblems, match="overlaps"):
            Household(id="H1", circumstances=(c, c))

    def test_planner_refuses_duplicate_household_ids(self) -> None:
        """Keys would collide; nothing is yielded."""
        h = Household(id="H1")
        with pytest.raises(VisitsError, match="duplicate household id 'H1'"):
            plan(BAIBUTING, [h, h], [], Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2)))
