"""Compliance status for the 40,000-household demo with a year of records.

    python benchmarks/bench_status.py

Target (issue 5): status in under 2 s.  Each measurement runs in a fresh child
process (the garbage collector's work depends on what else is in memory), with
the community generated in memory first; the report covers 2026 as of
31 December.  It is measured twice: with the community frozen out of the
garbage collector's reach (``gc.freeze()``, as the command line does after
loading) and without.  The command line, which also reads the 20 MB JSON file, is
timed separately.  Figures go to docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from visits import Horizon, community_to_dict, load_rulebook, status_report
from visits.testing import demo

YEAR = Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
AS_OF = dt.date(2026, 12, 31)


def child(freeze: bool) -> None:
    community = demo.generate(40_000, seed=0, with_visits=True)
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
    if "--child" in sys.argv:
        child("--freeze" in sys.argv)
        return
    first: dict[str, float] = {}
    for label, flags in (
        ("status_report, community frozen (as the CLI does)", ["--freeze"]),
        ("status_report, nothing frozen", []),
    ):
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--child", *flags], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        ]
        times = sorted(r["seconds"] for r in runs)
        first = runs[0]
        verdict = "met" if statistics.median(times) < 2 else "NOT met"
        print(
            f"{label}: best {times[0]:.2f} s, median {statistics.median(times):.2f} s, worst {times[-1]:.2f} s"
            f" (3 fresh processes); target < 2 s: {verdict}"
        )
    print(
        f"  40,000 households, {first['records']:.0f} visit records, {first['obligations']:.0f} obligations in 2026;"
        f" overall rate {first['rate']:.1%}, {first['unmatched']:.0f} records met nothing"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.json"
        community = demo.generate(40_000, seed=0, with_visits=True)
        path.write_text(json.dumps(community_to_dict(community), ensure_ascii=False), encoding="utf-8")
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "visits", "status", str(path), "--as-of", AS_OF.isoformat()],
            capture_output=True,
            check=True,
        )
        size = path.stat().st_size / 2**20
        print(f"  visits status (command line, reading {size:.0f} MiB of JSON): {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
