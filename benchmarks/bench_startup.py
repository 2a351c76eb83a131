"""Start-up: how long a fresh process takes to answer ``visits --help``, to ``import visits``, and small commands.

    python benchmarks/bench_startup.py [--quick] [--runs N]

Target (issue 15): ``visits --help`` in at most 0.15 s.  Every figure is a
fresh process started from outside and timed to its exit (wall clock), the
median of ``--runs`` runs (default 11; ``--quick``: 3) with min and max, all
measured in one run so that their ratios to a bare ``python -c pass`` hold
on a machine whose speed drifts.  The small commands plan, roster and report
on a 30-household demo, so that their time is start-up, not work.  Figures
go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from visits import save_community
from visits.testing import demo


def timed(command: list[str], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds.append(time.perf_counter() - began)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs of each instead of 11")
    parser.add_argument("--runs", type=int, default=None, help="runs of each command")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 11)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        community = Path(tmp) / "c.json"
        save_community(demo.generate(30, seed=1), community)
        cli = [python, "-m", "visits"]
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "python -c 'import visits'": [python, "-c", "import visits"],
            "visits --help": [*cli, "--help"],
            "visits rules": [*cli, "rules"],
            "visits plan (30 households, a month)": [
                *cli,
                *("plan", str(community), "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv"),
            ],
            "visits roster -o r.csv": [*cli, "roster", str(community), "--month", "2026-12", "-o", f"{tmp}/r.csv"],
            "visits roster -o r.pdf": [*cli, "roster", str(community), "--month", "2026-12", "-o", f"{tmp}/r.pdf"],
        }
        bare = None
        for name, command in commands.items():
            seconds = timed(command, runs)
            median = statistics.median(seconds)
            bare = bare or median
            print(
                f"{name:40} {median:.3f} s (min {min(seconds):.3f}, max {max(seconds):.3f})"
                f"  {median / bare:5.1f}x python -c pass"
            )


if __name__ == "__main__":
    main()
