"""The grid-managed example community (examples/grid-community): its own words, no code change."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.helpers import horizon
from visits import (
    CommunityError,
    assigned_plan,
    community_from_dict,
    load_community,
    load_rulebook,
    monthly_roster,
    render_roster,
)
from visits.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "grid-community"
RULES = EXAMPLE / "rules.toml"
COMMUNITY = EXAMPLE / "community.json"
#: Words only Baibuting's rulebook has; none may appear in this community's outputs.
BAIBUTING_WORDS = ("党小组长", "支部书记", "苑区", "片区", "社区党委", "group_leader", "branch_secretary", "hardship")


@pytest.fixture(scope="module")
def december() -> list[tuple[str, str | None, str | None, str]]:
    rulebook = load_rulebook(RULES)
    community = load_community(COMMUNITY, rulebook.vocabulary)
    return [
        (a.obligation.key, a.assignee, a.assignment.role, a.assignment.choice.value)
        for a in assigned_plan(rulebook, community, horizon("2026-12-01", "2026-12-31"))
    ]


class TestPlanned:
    def test_the_vocabulary_is_the_examples_own(self) -> None:
        """Four levels from the street down, five roles, three categories of its own."""
        v = load_rulebook(RULES).vocabulary
        assert v.ids("levels") == ("street", "community", "grid", "building")
        assert v.ids("categories") == ("disabled", "elderly_alone", "low_income")
        assert v.answering() == {
            "street": "street_officer",
            "community": "community_secretary",
            "grid": "grid_worker",
            "building": "building_head",
        }

    def test_every_obligation_is_assigned_within_its_own_roles(
        self, december: list[tuple[str, str | None, str | None, str]]
    ) -> None:
        """22 obligations in December 2026, each with a person of a grid role."""
        assert len(december) == 22
        assert {role for _, _, role, _ in december} == {"grid_worker", "community_secretary", "volunteer"}
        assert all(person is not None for _, person, _, _ in december)

    def test_the_absent_grid_worker_is_covered_by_the_next_in_line(
        self, december: list[tuple[str, str | None, str | None, str]]
    ) -> None:
        """P03 is away all December: the grid's rank-2 worker P04 takes every window inside it."""
        found = {key: (person, choice) for key, person, _, choice in december}
        assert found["H02/disabled.monthly/2024-01-01/2026-12"] == ("P04", "next_in_line")
        assert found["H01/fall.arrive/E2"] == ("P04", "next_in_line")
        assert found["H06/complaint.arrive/E1"] == ("P05", "first")  # the other grid's worker is in
        # a window that starts in November is not covered by December's absence
        assert found["H04/elderly.fortnightly/2026-11-20/n1"] == ("P03", "first")

    def test_linked_volunteers_call_the_households_they_are_linked_to(
        self, december: list[tuple[str, str | None, str | None, str]]
    ) -> None:
        """Five ISO weeks touch December 2026 (W49-W53) for each of the two elderly households."""
        calls = [(key, person) for key, person, role, _ in december if role == "volunteer"]
        assert len(calls) == 10 and {person for _, person in calls} == {"P08"}

    def test_a_category_the_rulebook_lacks_is_refused_with_what_it_has(self) -> None:
        """The example's own categories are named in the message, not Baibuting's."""
        data = json.loads(COMMUNITY.read_text(encoding="utf-8"))
        data["households"][5]["circumstances"] = [{"category": "hardship", "start": "2026-01-01"}]
        with pytest.raises(CommunityError) as caught:
            community_from_dict(data, load_rulebook(RULES).vocabulary)
        assert caught.value.lines() == [
            "households[5] (H06).circumstances[0].category: unknown category 'hardship' "
            "(this rulebook has: disabled, elderly_alone, low_income)"
        ]


class TestRendered:
    @pytest.mark.parametrize("fmt", ["csv", "html", "ics", "xlsx", "pdf"])
    def test_the_roster_renders_in_every_format(self, fmt: str, tmp_path: Path) -> None:
        """The command line writes the December roster; the text formats carry the example's words only."""
        target = tmp_path / f"roster.{fmt}"
        argv = ["roster", str(COMMUNITY), "--rules", str(RULES), "--month", "2026-12", "-o", str(target)]
        assert main(argv) == 0
        data = target.read_bytes()
        assert data
        if fmt in ("csv", "html", "ics"):
            text = data.decode("utf-8")
            assert "网格员" in text and "志愿者" in text
            assert fmt == "csv" or "示例网格社区" in text  # a CSV row has no title
            assert not [word for word in BAIBUTING_WORDS if word in text]

    def test_the_roster_lines_name_the_examples_roles(self) -> None:
        """By person: the grid workers, the secretary and the volunteer, each with their role's title."""
        rulebook = load_rulebook(RULES)
        community = load_community(COMMUNITY, rulebook.vocabulary)
        roster = monthly_roster(rulebook, community, 2026, 12, by="person")
        roles = {(line.assignee_name, line.role) for group in roster.groups for line in group.lines}
        assert roles == {
            ("郑海燕", "网格员"),
            ("王志强", "网格员"),
            ("冯丽", "网格员"),
            ("吴秀兰", "社区书记"),
            ("杨帆", "志愿者"),
        }
        rows = list(csv.reader(io.StringIO(render_roster(roster, "csv").decode("utf-8-sig"))))
        assert len(rows) > 20

    def test_a_redacted_roster_hides_its_sensitive_categories(self, tmp_path: Path) -> None:
        """残疾人 and 低保户 are sensitive in this rulebook: the redacted roster names no task or rule."""
        target = tmp_path / "red.csv"
        argv = ["roster", str(COMMUNITY), "--rules", str(RULES), "--month", "2026-12", "--redact", "-o", str(target)]
        assert main(argv) == 0
        text = target.read_text(encoding="utf-8-sig")
        neutral = text.replace("走访联系", "").replace("代为走访", "")  # the one task and the substitute's word
        assert "走访联系" in text
        for word in ("残疾人", "低保户", "独居老人", "disabled", "low_income", "走访", "电话问候", "网格员", "志愿者"):
            assert word not in neutral

    def test_the_readme_commands_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`visits rules` and `visits plan` as the example's README gives them."""
        assert main(["rules", "--rules", str(RULES)]) == 0
        assert capsys.readouterr().out.startswith("grid-example：6 条规则，0 项社区活动\n")
        argv = ["plan", str(COMMUNITY), "--rules", str(RULES), "--from", "2026-12-01", "--to", "2026-12-31"]
        assert main([*argv, "--format", "csv"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert len(rows) == 22 and {r["assigned_role"] for r in rows} >= {"grid_worker", "volunteer"}
