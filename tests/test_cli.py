"""The command line, run in-process: output formats, bad input, no partial output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.loading import GOOD
from visits.cli import main
from visits.testing import demo


def write(tmp_path: Path, data: Any, name: str = "community.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestPlan:
    def test_json_is_an_array_of_contract_objects(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every contract field is present, dates are ISO, due is in the window."""
        code, out, _ = run(capsys, "plan", str(write(tmp_path, GOOD)), "--from", "2026-05-01", "--to", "2026-05-31")
        assert code == 0
        found = json.loads(out)
        assert [o["rule"] for o in found] == [
            "hardship.monthly",
            "hardship.quarterly",
            "hardship.yearly",
            "arrive.dispute",
        ]
        first = found[0]
        assert {"key", "household", "rule", "role", "action", "start", "end", "due"} <= set(first)
        assert first == {
            "key": "H1/hardship.monthly/2026-01-01/2026-05",
            "household": "H1",
            "rule": "hardship.monthly",
            "role": "group_leader",
            "roles": ["group_leader"],
            "action": "visit",
            "start": "2026-05-01",
            "end": "2026-05-31",
            "due": "2026-05-29",
            "category": "hardship",
            "event": None,
            "anchor": "2026-01-01",
            "assignee": None,
            "assignment": None,
            "calendar": "official",
            "due_adjusted": {"from": "2026-05-31", "reason": "weekend", "name": ""},
        }

    def test_empty_plan_is_an_empty_json_array(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Valid JSON even when nothing is due."""
        code, out, _ = run(
            capsys, "plan", str(write(tmp_path, {"households": []})), "--from", "2026-01-01", "--to", "2026-01-01"
        )
        assert (code, json.loads(out)) == (0, [])

    def test_jsonl_and_csv_carry_the_same_obligations(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Three formats, one plan."""
        path = str(write(tmp_path, GOOD))
        span = ("--from", "2026-01-01", "--to", "2026-12-31")
        as_json = json.loads(run(capsys, "plan", path, *span)[1])
        as_jsonl = [json.loads(line) for line in run(capsys, "plan", path, *span, "--format", "jsonl")[1].splitlines()]
        rows = list(csv.DictReader(io.StringIO(run(capsys, "plan", path, *span, "--format", "csv")[1])))
        assert as_jsonl == as_json
        assert [r["key"] for r in rows] == [o["key"] for o in as_json]
        assert rows[0]["event"] == "" and rows[-1]["event"] == "E1"

    def test_csv_neutralises_formulas(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An id that looks like a formula is written with a leading apostrophe."""
        data = {
            "households": [{"id": '=HYPERLINK("http://x")', "circumstances": GOOD["households"][0]["circumstances"]}]
        }
        _, out, _ = run(
            capsys, "plan", str(write(tmp_path, data)), "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv"
        )
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["household"] for r in rows} == {'\'=HYPERLINK("http://x")'}

    def test_output_file_and_custom_rulebook(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--rules PATH.toml loads another community's rules; -o writes a file."""
        rules = tmp_path / "mine.toml"
        rules.write_text(
            'name = "mine"\n[categories.hardship]\ntitle = "困难家庭"\nsensitive = false\n'
            '[roles.party_member]\ntitle = "党员"\nlinked = true\n[actions.visit]\ntitle = "走访"\n'
            '[severities.minor]\ntitle = "小事"\n[events.family_dispute]\ntitle = "家庭纠纷"\nseverities = ["minor"]\n'
            '[[rules]]\nid = "hardship.fortnightly"\ntrigger = { category = "hardship" }\n'
            'roles = ["party_member"]\naction = "visit"\ncadence = { kind = "interval", every = 2, unit = "weeks" }\n'
            'source = "每两周看望一次"\n',
            encoding="utf-8",
        )
        target = tmp_path / "plan.json"
        code, out, _ = run(
            capsys,
            "plan",
            str(write(tmp_path, GOOD)),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--rules",
            str(rules),
            "-o",
            str(target),
        )
        assert (code, out) == (0, "")
        found = json.loads(target.read_text(encoding="utf-8"))
        assert [(o["start"], o["end"]) for o in found] == [
            ("2026-01-01", "2026-01-14"),
            ("2026-01-15", "2026-01-28"),
            ("2026-01-29", "2026-02-11"),
        ]


class TestBadInput:
    def test_every_problem_one_line_each_exit_one_and_no_output_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Community, rulebook and horizon problems are all reported in one run."""
        bad = {"households": [{"id": "H1", "circumstances": [{"category": "poor", "start": "2026-13-01"}]}]}
        rules = tmp_path / "bad.toml"
        rules.write_text('name = "x"\n[[rules]]\nid = "a.b"\n', encoding="utf-8")
        target = tmp_path / "plan.json"
        code, out, err = run(
            capsys,
            "plan",
            str(write(tmp_path, bad)),
            "--from",
            "2026-01-01",
            "--to",
            "2200-01-01",
            "--rules",
            str(rules),
            "-o",
            str(target),
        )
        assert code == 1
        assert out == ""
        assert not target.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "community.json"]
        lines = err.splitlines()
        assert f"{rules}: rules[0] (a.b).trigger: required field missing" in lines
        # Which categories exist is the rulebook's to say; with the rulebook broken, 'poor' cannot be judged.
        assert not any("unknown category" in line for line in lines)
        assert (
            f"{tmp_path / 'community.json'}: households[0] (H1).circumstances[0].start: not a real date: '2026-13-01'"
            in lines
        )
        assert "--to: horizon longer than 100 years (2026-01-01..2200-01-01)" in lines
        assert "Traceback" not in err

    def test_an_existing_output_file_is_left_untouched_on_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """No partial output: the old file survives a failed run."""
        target = tmp_path / "plan.json"
        target.write_text("previous", encoding="utf-8")
        code, _, _ = run(
            capsys,
            "plan",
            str(tmp_path / "missing.json"),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "-o",
            str(target),
        )
        assert code == 1
        assert target.read_text(encoding="utf-8") == "previous"
        assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]

    def test_missing_file_and_end_before_start(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each is one clear line."""
        code, _, err = run(capsys, "plan", str(tmp_path / "nope.json"), "--from", "2026-02-01", "--to", "2026-01-01")
        assert code == 1
        assert err.splitlines() == [
            f"{tmp_path / 'nope.json'}: no such file",
            "--to: before start (2026-01-01 < 2026-02-01)",
        ]

    def test_malformed_date_on_the_command_line_is_a_usage_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """argparse exits 2 with a message naming the value."""
        with pytest.raises(SystemExit) as caught:
            main(["plan", str(write(tmp_path, GOOD)), "--from", "2026-1-1", "--to", "2026-12-31"])
        assert caught.value.code == 2
        assert "not a date written YYYY-MM-DD: '2026-1-1'" in capsys.readouterr().err

    def test_unknown_builtin_rulebook_name_is_a_missing_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A name that is neither built in nor a file."""
        code, _, err = run(capsys, "rules", "--rules", "shanghai")
        assert (code, err) == (1, "shanghai: no such file\n")


class TestRulesAndDemo:
    def test_rules_table_lists_every_rule_with_its_source(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One line per rule; readings starred."""
        code, out, _ = run(capsys, "rules", "--lang", "en")
        lines = out[: out.index("\nvocabulary (")].splitlines()
        assert code == 0
        assert lines[0] == "baibuting: 19 rules, 0 gatherings"
        assert len(lines) == 2 + 19
        monthly = next(line for line in lines if line.startswith("hardship.monthly "))
        assert (
            "group_leader" in monthly
            and "monthly" in monthly
            and monthly.endswith("  困难家庭必访，党小组长每月看望一次")
        )
        contact = next(line for line in lines if line.startswith("unemployed.contact "))
        assert "* 下岗失业人员必访" in contact

    def test_rules_as_toml_reads_back(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A community starts its own rulebook from the exported one."""
        _, out, _ = run(capsys, "rules", "--format", "toml")
        copy = tmp_path / "copy.toml"
        copy.write_text(out, encoding="utf-8")
        assert (
            run(capsys, "rules", "--rules", str(copy), "--format", "json")[1]
            == run(capsys, "rules", "--format", "json")[1]
        )

    def test_demo_is_deterministic_for_a_seed_and_plans(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Same seed, same bytes; another seed, another community; the result plans."""
        a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
        assert run(capsys, "demo", "--households", "500", "--seed", "3", "-o", str(a))[0] == 0
        run(capsys, "demo", "--households", "500", "--seed", "3", "-o", str(b))
        run(capsys, "demo", "--households", "500", "--seed", "4", "-o", str(c))
        assert a.read_bytes() == b.read_bytes() != c.read_bytes()
        code, out, _ = run(capsys, "plan", str(a), "--from", "2026-01-01", "--to", "2026-12-31", "--format", "jsonl")
        assert code == 0 and len(out.splitlines()) > 500

    def test_installed_console_script_runs(self, tmp_path: Path) -> None:
        """`python -m visits` and the entry point behave like main()."""
        done = subprocess.run(
            [sys.executable, "-m", "visits", "rules", "--lang", "en"], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0 and done.stdout.startswith("baibuting: 19 rules")


class TestDemoShape:
    def test_shape_matches_the_published_structure_at_40000(self) -> None:
        """7 estates, 21 zones, about 820 buildings (seed 001)."""
        shape = demo.shape_for(40_000)
        assert (shape.estates, shape.zones) == (7, 21)
        assert abs(shape.buildings - 820) < 10

    def test_category_shares_follow_the_documented_figures(self) -> None:
        """Within sampling error of SHARES for 40,000 households."""
        community = demo.generate(40_000, seed=1)
        n = len(community.households)
        for category, share in demo.SHARES.items():
            count = sum(any(c.category is category for c in h.circumstances) for h in community.households)
            assert abs(count / n - share) < 4 * (share * (1 - share) / n) ** 0.5 + 1e-9, category
        assert abs(len(community.events) / n - demo.EVENTS_PER_HOUSEHOLD_YEAR) < 0.02

    def test_every_household_is_in_a_building_of_the_unit_tree(self) -> None:
        """Buildings named by households exist in the units section."""
        community = demo.generate(2_000, seed=0)
        assert community.organisation is not None
        buildings = {u.id for u in community.organisation.units if u.level == "building"}
        assert {h.building for h in community.households} <= buildings
        assert all(h.building is not None for h in community.households)
