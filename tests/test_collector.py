"""The cyclic garbage collector is paused while loading and while a command runs, and given back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from visits import load_community
from visits.cli import main
from visits.core.errors import CommunityError
from visits.io.files import community_to_json
from visits.testing import demo


@pytest.fixture
def community(tmp_path: Path) -> Path:
    path = tmp_path / "c.json"
    path.write_text(community_to_json(demo.generate(20, seed=1, with_visits=True)), encoding="utf-8")
    return path


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether the collector was enabled each time a loader built objects (seen from inside the pause)."""
    seen: list[bool] = []
    real = gc.disable

    def disable() -> None:
        real()
        seen.append(gc.isenabled())

    monkeypatch.setattr(gc, "disable", disable)
    yield seen
    gc.enable()


def test_loading_pauses_the_collector_and_gives_it_back(community: Path, watched: list[bool]) -> None:
    assert gc.isenabled()
    assert len(load_community(community).households) == 20
    assert watched == [False] and gc.isenabled()


def test_a_failed_load_gives_it_back_too(tmp_path: Path, watched: list[bool]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"households": [{"id": ""}]}', encoding="utf-8")
    with pytest.raises(CommunityError):
        load_community(bad)
    assert watched == [False] and gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off(community: Path) -> None:
    gc.disable()
    try:
        load_community(community)
        assert main(["status", str(community), "--as-of", "2026-12-31"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_command_runs_with_it_paused_and_gives_it_back(community: Path, watched: list[bool]) -> None:
    assert main(["status", str(community), "--as-of", "2026-12-31"]) == 0
    assert watched and not any(watched) and gc.isenabled()
    assert main(["status", str(community) + ".missing", "--as-of", "2026-12-31"]) == 1
    assert gc.isenabled()
