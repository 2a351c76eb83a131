"""Progress on long work: what the library tells a listener, and what a terminal shows (nothing elsewhere)."""

from __future__ import annotations

import datetime as dt
import fcntl
import itertools
import os
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given

from tests.helpers import BAIBUTING
from tests.helpers.roster import roster
from visits import Community, Horizon, RosterFormat, assigned_plan, plan, save_community, status_report
from visits.render.rosters import render_roster
from visits.testing import demo
from visits.testing.strategies import horizons, organised_communities

Calls = list[tuple[int, int]]
YEAR = Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))


def listener() -> tuple[Calls, Callable[[int, int], None]]:
    calls: Calls = []
    return calls, lambda done, total: calls.append((done, total))


def _well_told(calls: Calls, total: int) -> None:
    """From (0, total) to (total, total), never going back, always of the same total."""
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert all(a <= b for (a, _), (b, _) in itertools.pairwise(calls))


@given(community=organised_communities(), horizon=horizons())
def test_planning_with_a_listener_plans_the_same_and_tells_it_every_household(
    community: Community, horizon: Horizon
) -> None:
    calls, progress = listener()
    told = list(assigned_plan(BAIBUTING, community, horizon, progress=progress))
    assert told == list(assigned_plan(BAIBUTING, community, horizon))
    _well_told(calls, len(community.households))


def test_the_count_rises_as_the_households_are_planned() -> None:
    """Each obligation of a household comes after the listener heard of the households before it."""
    community = demo.generate(60, seed=3)
    calls, progress = listener()
    seen: list[tuple[str | None, int]] = []
    ids = sorted(h.id for h in community.households)
    for o in plan(BAIBUTING, community.households, community.events, YEAR, progress=progress):
        seen.append((o.household, calls[-1][0]))
    for household, done in seen:
        if household is not None:
            assert done == ids.index(household)  # the households before this one, in id order
    _well_told(calls, 60)
    places = {ids.index(h) for h, _ in seen if h is not None}
    assert {d for d, _ in calls} == {0, 60} | places and len(places) > 5  # told at each household along the way


def test_a_status_report_tells_its_planning() -> None:
    community = demo.generate(40, seed=2, with_visits=True)
    calls, progress = listener()
    told = status_report(BAIBUTING, community, YEAR, YEAR.end, progress=progress)
    assert told == status_report(BAIBUTING, community, YEAR, YEAR.end)
    _well_told(calls, 40)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "ics"])
def test_the_long_formats_tell_each_group_and_write_the_same_bytes(fmt: RosterFormat) -> None:
    made = roster()
    calls, progress = listener()
    data = render_roster(made, fmt, progress=progress)
    assert data == render_roster(made, fmt)
    groups = len(made.groups)
    assert groups > 1 and calls == [(n, groups) for n in range(1, groups + 1)]


def _on_a_terminal(args: list[str], env: dict[str, str], out: Path) -> str:
    """Run ``visits ARGS``, standard error on a 100-column pseudo-terminal, stdout to ``out``; what it showed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    command = [sys.executable, "-m", "visits", *args]
    with (
        out.open("wb") as sink,
        subprocess.Popen(command, stdout=sink, stderr=slave, stdin=subprocess.DEVNULL, env=env) as child,
    ):
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child has gone and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert child.wait() == 0
    os.close(master)
    return shown.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def community_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "c.json"
    save_community(demo.generate(300, seed=1), path)
    return path


def test_a_terminal_sees_a_bar_and_a_pipe_sees_none(community_file: Path, tmp_path: Path) -> None:
    args = ["plan", str(community_file), "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"]
    env = {**os.environ, "VISITS_PROGRESS_DELAY": "0"}  # no waiting: the bar shows however quick the work
    shown = _on_a_terminal(args, env, tmp_path / "out.csv")
    out = (tmp_path / "out.csv").read_bytes()
    assert "planning" in shown and "/300 [" in shown  # the bar, with its total
    assert "planning" not in shown.split("visits: warning")[1]  # gone before the warning is printed
    piped = subprocess.run([sys.executable, "-m", "visits", *args], capture_output=True, env=env, check=True)
    assert piped.stdout == out  # the output is the same with or without a bar
    assert b"planning" not in piped.stderr and b"%|" not in piped.stderr


def test_quick_work_shows_no_bar_on_a_terminal(community_file: Path, tmp_path: Path) -> None:
    """A bar waits for the delay before it shows: with an hour's delay, this work is quick work."""
    env = {**os.environ, "VISITS_PROGRESS_DELAY": "3600"}
    shown = _on_a_terminal(["status", str(community_file), "--as-of", "2026-12-31"], env, tmp_path / "out.txt")
    assert "planning" not in shown and "%|" not in shown
