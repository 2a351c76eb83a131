"""The organisation section: units, people, positions, absences, links; every problem with its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import BAIBUTING
from tests.helpers.loading import GOOD, community_lines, organised
from visits import community_from_dict, community_to_dict
from visits.cli import main
from visits.core.links import Link, apply_links, check_links, propose_links
from visits.testing import demo


class TestLoading:
    def test_a_valid_organisation_loads_and_round_trips(self) -> None:
        """Units and people become an Organisation and are written back the same."""
        community = community_from_dict(organised())
        assert community.organisation is not None
        assert [u.level for u in community.organisation.units] == [
            "community",
            "estate",
            "zone",
            "building",
        ]
        again = community_from_dict(json.loads(json.dumps(community_to_dict(community))))
        assert again == community

    def test_every_organisation_problem_at_once(self) -> None:
        """Missing parent, wrong level, cycle, unknown units and households, overlapping absences."""
        data = organised()
        data["units"] += [
            {"id": "Z2", "level": "zone", "parent": "E9"},
            {"id": "B2", "level": "building", "parent": "E1"},
            {"id": "X1", "level": "zone", "parent": "X2"},
            {"id": "X2", "level": "zone", "parent": "X1"},
            {"id": "E2", "level": "estate"},
        ]
        data["households"][0]["building"] = "B7"
        data["households"].append({"id": "H2", "building": "Z1", "circumstances": []})
        data["people"] += [
            {"id": "P4", "positions": [{"role": "group_leader", "unit": "B9"}]},
            {"id": "P5", "positions": [{"role": "branch_secretary", "unit": "Z1", "rank": 0}]},
            {"id": "P6", "positions": [{"role": "branch_secretary", "unit": "Z1"}]},
            {
                "id": "P7",
                "positions": [],
                "absences": [
                    {"start": "2026-01-01", "end": "2026-01-31"},
                    {"start": "2026-01-15", "end": "2026-02-10"},
                ],
            },
            {"id": "P8", "positions": [{"role": "carer", "unit": "B1"}], "households": ["H1", "H404"]},
        ]
        assert community_lines(data) == [
            "households[0] (H1).building: unknown building 'B7'",
            "households[1] (H2).building: 'Z1' is a zone, not a building",
            "units: must have exactly one root unit (a unit with no parent), found 2 (C, E2)",
            "units[4] (Z2).parent: unknown unit 'E9'",
            "units[5] (B2).parent: a building's parent must be a zone, 'E1' is a estate",
            "units[6] (X1).parent: cycle X1 -> X2 -> X1",
            "units[8] (E2).parent: a estate needs a parent community",
            "people[3] (P4).positions[0].unit: unknown unit 'B9'",
            "people[4] (P5).positions[0].rank: must be 1 or more, got 0",
            "people[5] (P6).positions[0].unit: a branch_secretary serves a estate, 'Z1' is a zone",
            "people[6] (P7).absences[1]: overlaps absences[0] (2026-01-01..2026-01-31 and 2026-01-15..2026-02-10)",
            "people[7] (P8).households[1]: unknown household 'H404'",
        ]

    def test_two_communities_are_refused(self) -> None:
        """The tree has one root."""
        data = organised()
        data["units"].append({"id": "C2", "level": "community", "parent": None})
        assert community_lines(data) == [
            "units: must have exactly one root unit (a unit with no parent), found 2 (C, C2)"
        ]


class TestCommands:
    def test_plan_names_an_assignee_and_explains_a_substitution(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """P1 is away all December: P2, rank 2, takes the December visit."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(organised(), ensure_ascii=False), encoding="utf-8")
        assert main(["plan", str(path), "--from", "2026-12-01", "--to", "2026-12-31"]) == 0
        found = {o["rule"]: o for o in json.loads(capsys.readouterr().out)}
        monthly = found["hardship.monthly"]
        assert monthly["assignee"] == "P2"
        assert monthly["assignment"] == {
            "role": "group_leader",
            "unit": "B1",
            "rank": 2,
            "substitute": True,
            "note": "next in line at B1 (rank 2)",
            "skipped": [{"person": "P1", "reason": "absent 2026-12-01..2026-12-31"}],
        }
        assert found["hardship.yearly"]["assignee"] is None
        assert found["hardship.yearly"]["assignment"]["note"] == "no one holds any of the roles that could take it"

    def test_load_counts_each_persons_month_and_flags_the_limit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """November: P1 has the monthly visit; with --limit 1 nobody is over, with the quarter P1 is."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(organised(), ensure_ascii=False), encoding="utf-8")
        assert main(["load", str(path), "--month", "2026-11", "--limit", "1", "--format", "json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert [(p["person"], p["obligations"], p["due"], p["over_limit"]) for p in report["people"]] == [
            ("P1", 1, 1, False)
        ]
        assert report["unassigned"] == 2  # quarterly and yearly: nobody holds those roles
        assert main(["load", str(path), "--month", "2026-11", "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[0] == (
            "2026-11: 1 people with obligations; 0 over the limit of 60; 2 obligations with nobody to take them"
        )
        assert "张丽" in out

    def test_load_needs_an_organisation_and_a_real_month(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Clear errors, exit 1."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(GOOD), encoding="utf-8")
        assert main(["load", str(path), "--month", "2026-13"]) == 1
        assert capsys.readouterr().err == "--month: not a month written YYYY-MM: '2026-13'\n"
        assert main(["load", str(path), "--month", "2026-12"]) == 1
        assert "no organisation" in capsys.readouterr().err

    def test_links_check_and_propose_with_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """P3 has one household (under 3); H2 is unlinked and gets P3, in the same building."""
        data = organised()
        data["households"].append(
            {"id": "H2", "building": "B1", "circumstances": [{"category": "elderly_alone", "start": "2026-01-01"}]}
        )
        path, target = tmp_path / "c.json", tmp_path / "linked.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert main(["links", str(path), "--propose", "-o", str(target), "--lang", "en"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == (
            "members (party members) outside 3-5 links: 0 over, 1 under; households needing a link without one: 1"
        )
        assert "under  P3: 1 households" in lines
        assert "link  P3 -> H2  (same building)" in lines
        linked = community_from_dict(json.loads(target.read_text(encoding="utf-8")))
        assert linked.organisation is not None
        assert linked.organisation.people[2].households == ("H1", "H2")


class TestLinkRules:
    def test_demo_organisation_is_within_the_bound(self) -> None:
        """Every demo party member has 3-5 households, and every household in need has a link."""
        community = demo.generate(4_000, seed=2)
        assert community.organisation is not None
        report = check_links(community.organisation, community.households, BAIBUTING.vocabulary)
        assert report.ok, report

    def test_proposals_go_to_the_building_then_the_zone_then_are_left(self) -> None:
        """Bound 4: P3 (B1, 3 links) takes H2; P4 (B2, same zone) takes H3; nobody has room for H4."""
        data = organised()
        elderly = [{"category": "elderly_alone", "start": "2026-01-01"}]
        data["units"].append({"id": "B2", "level": "building", "parent": "Z1"})
        data["households"] += [
            {"id": f"H{n}", "building": "B1", "circumstances": elderly if n in (2, 3, 4) else []} for n in range(2, 10)
        ]
        data["people"][2]["households"] = ["H1", "H5", "H6"]
        data["people"].append(
            {"id": "P4", "positions": [{"role": "party_member", "unit": "B2"}], "households": ["H7", "H8", "H9"]}
        )
        community = community_from_dict(data)
        assert community.organisation is not None
        links, left = propose_links(community.organisation, community.households, BAIBUTING.vocabulary, low=3, high=4)
        assert links == (
            Link(person="P3", household="H2", scope="building"),
            Link(person="P4", household="H3", scope="zone"),
        )
        assert left == ("H4",)
        after = check_links(
            apply_links(community.organisation, links), community.households, BAIBUTING.vocabulary, low=3, high=4
        )
        assert (after.unlinked, after.over, after.under) == (("H4",), (), ())

    def test_every_household_mode_and_the_bound_on_the_demo(self) -> None:
        """With every household in need, proposals never push anyone over the bound."""
        community = demo.generate(2_000, seed=5)
        assert community.organisation is not None
        links, left = propose_links(
            community.organisation, community.households, BAIBUTING.vocabulary, every_household=True
        )
        updated = apply_links(community.organisation, links)
        after = check_links(updated, community.households, BAIBUTING.vocabulary, every_household=True)
        assert set(after.unlinked) == set(left)
        assert not after.over
        assert len(links) + len(left) == len(
            check_links(
                community.organisation, community.households, BAIBUTING.vocabulary, every_household=True
            ).unlinked
        )

    def test_a_bad_bound_is_refused(self) -> None:
        """low must be at least 1 and at most high."""
        community = community_from_dict(organised())
        assert community.organisation is not None
        with pytest.raises(ValueError, match="1 <= low <= high"):
            check_links(community.organisation, community.households, BAIBUTING.vocabulary, low=5, high=3)
