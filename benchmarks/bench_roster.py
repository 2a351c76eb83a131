"""The December roster of the 40,000-household demo in every format.

    python benchmarks/bench_roster.py [--quick] [--runs N]

Targets: every format under 5 s (issue 4); the PDF within 2 s and every
other format within 1 s (issue 15).  Each format is timed from the
assigned plan (planning and assigning are timed once, separately), building
the roster model and rendering it: the median of ``--runs`` (default 3) with
min and max.  ``--quick`` makes 4,000 households.  Figures go to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable

from visits import Horizon, load_rulebook
from visits.core.roster import Roster
from visits.core.rostering import build_roster
from visits.render.formats import to_csv, to_ics, to_xlsx
from visits.render.html import to_html
from visits.render.labels import roster_words
from visits.render.pdf import to_pdf
from visits.service import assigned_plan
from visits.testing import demo

from measure import timed  # isort: skip  (benchmarks/measure.py, beside this file)

DECEMBER = Horizon(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
FORMATS: dict[str, Callable[[Roster], bytes]] = {
    "html": to_html,
    "pdf": to_pdf,
    "xlsx": to_xlsx,
    "csv": to_csv,
    "ics": to_ics,
}

#: Seconds each format may take (issue 15).
TARGETS = {"html": 1.0, "pdf": 2.0, "xlsx": 1.0, "csv": 1.0, "ics": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 households instead of 40,000")
    parser.add_argument("--runs", type=int, default=3, help="runs of each format (default 3)")
    args = parser.parse_args()
    households = 4_000 if args.quick else 40_000
    community = demo.generate(households, seed=0)
    rulebook = load_rulebook()
    began = time.perf_counter()
    assigned = list(assigned_plan(rulebook, community, DECEMBER))
    print(f"{households:,} households, December 2026: plan + assign {time.perf_counter() - began:.2f} s")

    def build() -> Roster:
        return build_roster(
            assigned,
            year=2026,
            month=12,
            households=community.households,
            organisation=community.organisation,
            levels=rulebook.vocabulary.ids("levels"),
            words=roster_words("zh", rulebook.vocabulary),
            community="百步亭社区",
        )

    began = time.perf_counter()
    roster = build()
    print(f"  roster model: {time.perf_counter() - began:.2f} s, {len(roster.groups)} groups, {roster.lines} lines")
    for name, render in FORMATS.items():
        timing, size = timed(_size_of(render, build), args.runs)
        target = TARGETS[name]
        verdict = "met" if timing.median <= target else "NOT met"
        print(f"  {name:<5} {timing}  {size / 2**20:6.1f} MiB   target <= {target} s: {verdict}")


def _size_of(render: Callable[[Roster], bytes], build: Callable[[], Roster]) -> Callable[[], int]:
    """One run: build the roster model, render it, and give the file's size."""
    return lambda: len(render(build()))


if __name__ == "__main__":
    main()
