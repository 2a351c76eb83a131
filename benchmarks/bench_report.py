"""The supervisor's twelve-month report for the 40,000-household demo with a year of records.

    python benchmarks/bench_report.py [--quick] [--runs N]

Target (issue 16): the twelve-month report renders in under 5 s.  Each run is
a fresh process with the community generated in memory first (and frozen out
of the garbage collector's reach, as the command line does after loading);
it times the report's numbers (``visits.supervising.supervision``: one
planning, assignment and matching of the year, then a snapshot per month)
and the page (``report_html``: three heat maps drawn by matplotlib and the
tables), separately and together.  The command line, which also reads the
file, is timed end to end.  Medians of ``--runs`` (default 3) with min and max;
``--quick`` makes 4,000 households.  Figures go to docs/performance.md.
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

from visits import load_rulebook, save_community
from visits.testing import demo

from measure import Timing, wall  # isort: skip  (benchmarks/measure.py, beside this file)

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def child(households: int) -> None:
    from visits.render.report_page import report_html
    from visits.supervising import report_names, supervision

    community = demo.generate(households, seed=0, with_visits=True)
    rulebook = load_rulebook()
    gc.freeze()
    began = time.perf_counter()
    report = supervision(rulebook, community, FIRST, LAST)
    numbers = time.perf_counter() - began
    page = report_html(report, report_names(rulebook, community, "zh"), "zh")
    whole = time.perf_counter() - began
    print(json.dumps({"numbers": numbers, "page": whole - numbers, "whole": whole, "bytes": len(page)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 households instead of 40,000")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--households", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    households = args.households or (4_000 if args.quick else 40_000)
    if args.child:
        child(households)
        return
    command = [sys.executable, __file__, "--child", "--households", str(households)]
    runs = [
        json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout) for _ in range(args.runs)
    ]
    for key, label in (("numbers", "the numbers"), ("page", "the page"), ("whole", "numbers and page")):
        print(f"{label}: {Timing(tuple(r[key] for r in runs))}")
    whole = Timing(tuple(r["whole"] for r in runs))
    verdict = "met" if whole.median < 5 else "NOT met"
    print(
        f"  {households:,} households, twelve months, page {runs[0]['bytes'] / 2**20:.1f} MiB; target < 5 s: {verdict}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.json"
        save_community(demo.generate(households, seed=0, with_visits=True), path)
        cli = [sys.executable, "-m", "visits", "report", str(path), "--from", "2026-01", "--to", "2026-12"]
        cli += ["-o", str(Path(folder) / "r.html")]
        print(f"  visits report (command line, reading the file): {Timing(tuple(wall(cli) for _ in range(args.runs)))}")


if __name__ == "__main__":
    main()
