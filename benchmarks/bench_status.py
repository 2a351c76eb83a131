"""Compliance status for the 40,000-household demo with a year of records.

    python benchmarks/bench_status.py [--quick] [--runs N]

Targets: status in under 2 s (issue 5); ``status_report()`` within 0.3 s and
``visits status`` within 1.5 s end to end (issue 15).  Each measurement runs in a fresh child
process (the garbage collector's work depends on what else is in memory), with
the community generated in memory first; the report covers 2026 as of
31 December.  It is measured twice: with the community frozen out of the
garbage collector's reach (``gc.freeze()``, as the command line does after
loading) and without.  The command line, which also reads the 20 MB JSON file, is
timed separately.  Each figure is the median of ``--runs`` fresh processes
(default 3) with min and max; ``--quick`` makes 4,000 households.  Figures
go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from visits import Horizon, community_to_dict, load_rulebook, status_report
from visits.testing import demo

from measure import Timing, wall  # isort: skip  (benchmarks/measure.py, beside this file)

YEAR = Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
AS_OF = dt.date(2026, 12, 31)


def child(households: int, freeze: bool) -> None:
    community = demo.generate(households, seed=0, with_visits=True)
    rulebook = load_rulebook()
    if freeze:  # what the command line does once the community is loaded
        gc.freeze()
    began = time.perf_counter()
    report = status_report(rulebook, community, YEAR, AS_OF, "rule")
    seconds = time.perf_counter() - began
    print(
        json.dumps(
            {
                "seconds": seconds,
                "records": len(community.visits),
                "obligations": report.overall.total,
                "rate": report.overall.rate,
                "unmatched": len(report.unmatched),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 households instead of 40,000")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--freeze", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--households", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    households = args.households or (4_000 if args.quick else 40_000)
    if args.child:
        child(households, args.freeze)
        return
    first: dict[str, float] = {}
    for label, flags in (
        ("status_report, community frozen (as the CLI does)", ["--freeze"]),
        ("status_report, nothing frozen", []),
    ):
        command = [sys.executable, __file__, "--child", "--households", str(households), *flags]
        runs = [
            json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
            for _ in range(args.runs)
        ]
        timing = Timing(tuple(r["seconds"] for r in runs))
        first = runs[0]
        verdicts = ", ".join(
            f"target {sign} {limit:g} s: {'met' if timing.median < limit else 'NOT met'}"
            for sign, limit in (("<", 2.0), ("<=", 0.3))
        )
        print(f"{label}: {timing}, fresh processes; {verdicts}")
    print(
        f"  {households:,} households, {first['records']:.0f} visit records, {first['obligations']:.0f} obligations"
        f" in 2026; overall rate {first['rate']:.1%}, {first['unmatched']:.0f} records met nothing"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.json"
        community = demo.generate(households, seed=0, with_visits=True)
        path.write_text(json.dumps(community_to_dict(community), ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-m", "visits", "status", str(path), "--as-of", AS_OF.isoformat()]
        whole = Timing(tuple(wall(command) for _ in range(args.runs)))
        size = path.stat().st_size / 2**20
        verdict = "met" if whole.median <= 1.5 else "NOT met"
        print(f"  visits status (command line, reading {size:.0f} MiB of JSON): {whole}; target <= 1.5 s: {verdict}")


if __name__ == "__main__":
    main()
