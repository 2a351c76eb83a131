"""The documentation says what the code does."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from tests.helpers import BAIBUTING
from visits import Horizon, plan
from visits.cli import main
from visits.testing import demo

ROOT = Path(__file__).resolve().parent.parent


def code_blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    """.ci/run must call the README's second command."""
    commands = [b.strip() for b in code_blocks(ROOT / "README.md", "sh")]
    test_command = commands[1]
    assert "pytest" in test_command and "mypy" in test_command and "ruff check" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_rule_catalogue_lists_every_rule_with_its_source_phrase() -> None:
    """docs/rules.md covers the built-in rulebook."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in BAIBUTING:
        assert f"`{rule.id}`" in text
        assert rule.source in text
        if rule.reading:
            assert rule.note in text


def test_rule_catalogue_covers_the_festivals_rulebook() -> None:
    """Every rule that baibuting-festivals changes, and every gathering, with source and reading."""
    from visits import Gathering, Rule, load_rulebook

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    festivals = load_rulebook("baibuting-festivals")
    changed = [r for r in festivals.rules if r != BAIBUTING.get(r.id)]
    assert changed
    items: list[Rule | Gathering] = [*changed, *festivals.gatherings]
    for item in items:
        assert f"`{item.id}` — {item.title}" in text
        assert item.source in text and item.note in text


def test_contract_lists_every_exported_field() -> None:
    """docs/contract.md names every JSON field and CSV column of an obligation."""
    from visits.io.serialise import CSV_FIELDS, FIELDS

    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for field in (*FIELDS, *CSV_FIELDS):
        assert f"`{field}`" in text, field


def test_python_tour_runs_and_prints_what_it_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```python block of docs/index.md runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["demo", "--households", "300", "-o", "demo.json"]) == 0
    namespace: dict[str, object] = {}
    blocks = code_blocks(ROOT / "docs" / "index.md", "python")
    assert len(blocks) >= 3
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "docs/index.md", "exec"), namespace)
        promised = [line[2:] for line in block.splitlines() if line.startswith("# H1/")]
        if promised:
            assert out.getvalue().splitlines() == promised
    test = namespace["test_every_obligation_is_due_in_its_window"]
    assert callable(test)
    test()


def test_the_python_tour_type_checks(tmp_path: Path) -> None:
    """The tour's blocks, as one module, pass mypy --strict (untyped test functions aside).

    A service developer copies these lines; an example that strict mypy
    rejects (an optional argument passed where none may be) is a trap.
    """
    from mypy import api

    module = tmp_path / "tour.py"
    module.write_text("\n".join(code_blocks(ROOT / "docs" / "index.md", "python")), encoding="utf-8")
    out, err, status = api.run(["--strict", "--allow-untyped-defs", "--allow-untyped-calls", str(module)])
    assert status == 0, out + err


def test_demo_page_figures_are_current() -> None:
    """docs/demo.md quotes the default demo's event and obligation counts."""
    text = (ROOT / "docs" / "demo.md").read_text(encoding="utf-8")
    community = demo.generate(40_000, seed=0, year=2026)
    year = Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    count = sum(1 for _ in plan(BAIBUTING, community.households, community.events, year))
    assert f"{len(community.events):,} events" in text
    assert f"{count:,} obligations" in text


def test_worked_organisation_example_gives_the_documented_assignees(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/organisation.md's table: P2 next in line, P6 by escalation and as the pool's choice."""
    assert (
        main(["plan", str(ROOT / "docs" / "example-organisation.json"), "--from", "2026-12-01", "--to", "2026-12-31"])
        == 0
    )
    found = {o["rule"]: o for o in json.loads(capsys.readouterr().out)}
    assert found["hardship.monthly"]["assignee"] == "P2"
    assert found["hardship.monthly"]["assignment"]["note"] == "next in line at B1 (rank 2)"
    assert found["hardship.quarterly"]["assignee"] == "P6"
    assert found["hardship.quarterly"]["assignment"]["note"] == "escalated to committee at C"
    assert (found["hardship.yearly"]["assignee"], found["hardship.yearly"]["assignment"]["substitute"]) == ("P6", False)
    text = (ROOT / "docs" / "organisation.md").read_text(encoding="utf-8")
    assert "| `hardship.monthly` | Dec 1–31 | P2 |" in text
