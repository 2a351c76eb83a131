"""A rulebook declares its vocabulary: categories, events, severities, levels, roles and actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import BAIBUTING, month_roster
from tests.helpers.roster import community
from visits import Term, Vocabulary, load_rulebook, roster_words
from visits.cli import main
from visits.core.vocabulary import TABLES


class TestDeclared:
    def test_the_baibuting_vocabulary_is_todays(self) -> None:
        """Five categories, four event kinds, two severities, four levels, seven roles, nine actions."""
        v = BAIBUTING.vocabulary
        assert v.ids("levels") == ("community", "estate", "zone", "building")
        assert [len(v.ids(t)) for t in TABLES] == [5, 4, 2, 4, 7, 9]
        assert [r.id for r in v.roles if r.linked] == ["party_member", "carer", "contact"]
        assert {r.id: r.level for r in v.roles if not r.linked} == {
            "committee": "community",
            "branch_secretary": "estate",
            "branch_member": "zone",
            "group_leader": "building",
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
        assert main(["rules"]) == 0
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
