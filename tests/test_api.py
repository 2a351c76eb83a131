"""The documented Python path: what a service that imports the library calls, and what it gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import visits
from tests.helpers import BAIBUTING, circ, horizon
from tests.helpers.roster import community
from visits.cli import main


class TestPublicFace:
    def test_every_public_name_is_importable_once(self) -> None:
        """(ruff keeps the list sorted.)"""
        assert all(hasattr(visits, name) for name in visits.__all__)
        assert len(set(visits.__all__)) == len(visits.__all__)

    def test_the_roster_types_renderers_and_use_cases_are_public(self) -> None:
        """What the roster docs call public is importable from visits itself."""
        for name in ("Roster", "RosterGroup", "RosterLine", "build_roster", "monthly_roster", "render_roster"):
            assert name in visits.__all__
        assert issubclass(visits.FontError, visits.VisitsError)
        assert visits.ROSTER_FORMATS == ("html", "pdf", "xlsx", "csv", "ics")


class TestRosters:
    @pytest.mark.parametrize("fmt", ["html", "csv", "xlsx", "ics", "pdf"])
    def test_monthly_roster_and_render_roster_give_the_command_lines_bytes(self, fmt: str, tmp_path: Path) -> None:
        """One answer: the service layer is what the command line calls."""
        c = community()
        path = tmp_path / "c.json"
        visits.save_community(c, path)
        out = tmp_path / f"r.{fmt}"
        assert main(["roster", str(path), "--month", "2026-12", "--by", "person", "-o", str(out)]) == 0
        roster = visits.monthly_roster(BAIBUTING, c, 2026, 12, by="person")
        assert visits.render_roster(roster, fmt) == out.read_bytes()  # type: ignore[arg-type]

    def test_an_unknown_format_is_refused(self) -> None:
        roster = visits.monthly_roster(BAIBUTING, community(), 2026, 12)
        with pytest.raises(ValueError, match="format must be one of html, pdf, xlsx, csv, ics, got 'docx'"):
            visits.render_roster(roster, "docx")  # type: ignore[arg-type]


class TestCommunityFiles:
    def test_save_community_writes_what_load_community_reads_back(self, tmp_path: Path) -> None:
        c = community()
        path = tmp_path / "c.json"
        visits.save_community(c, path)
        assert visits.load_community(path) == c
        assert path.read_text(encoding="utf-8") == visits.community_to_json(c)

    def test_save_community_into_a_missing_directory_is_one_line(self, tmp_path: Path) -> None:
        with pytest.raises(visits.OutputError) as caught:
            visits.save_community(community(), tmp_path / "no" / "c.json")
        assert len(caught.value.lines()) == 1 and "no such directory" in caught.value.lines()[0]


class TestAssign:
    def test_a_community_without_an_organisation_gets_every_obligation_unassigned(self) -> None:
        """assign() takes Community.organisation as it is, None included (strict mypy accepts the obvious call)."""
        homes = [visits.Household(id="H1", circumstances=(circ("hardship", "2026-01-01"),))]
        c = visits.Community(households=tuple(homes))
        obligations = list(visits.plan(BAIBUTING, c.households, c.events, horizon("2026-12-01", "2026-12-31")))
        assigned = list(
            visits.assign(obligations, c.organisation, {h.id: h.building for h in c.households}, BAIBUTING.vocabulary)
        )
        assert [a.obligation for a in assigned] == obligations
        assert {(a.assignee, a.assignment.choice) for a in assigned} == {(None, visits.Choice.NO_ORGANISATION)}
        assert {visits.assignment_note(a.assignment) for a in assigned} == {"no organisation in the community file"}
        assert dt.date(2026, 12, 1) <= min(a.obligation.due for a in assigned)


class TestExplain:
    def test_the_organisation_gives_the_names_the_command_line_prints(self) -> None:
        """explain(s, "zh", organisation) == explain(s, "zh", {id: name}); without a name, the id."""
        import attrs

        from tests.helpers.ledger import PEOPLE, states
        from tests.helpers.ledger import community as ledger_community

        named = tuple(attrs.evolve(p, name="张丽") if p.id == "G1" else p for p in PEOPLE)
        c = ledger_community(people=named)
        assert c.organisation is not None
        missed = states(c, "2026-03-01")["H1/hardship.monthly/2026-01-01/2026-01"]
        assert visits.explain(missed, "zh", c.organisation).endswith("责任人 张丽")
        assert visits.explain(missed, "zh", {"G1": "张丽"}) == visits.explain(missed, "zh", c.organisation)
        assert visits.explain(missed, "zh").endswith("责任人 G1")
        assert visits.explain(missed, "zh", {"G1": ""}).endswith("责任人 G1")  # an unnamed person is not nobody
