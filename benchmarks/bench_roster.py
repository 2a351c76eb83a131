"""The December roster of the 40,000-household demo in every format.

    python benchmarks/bench_roster.py

Target (issue 4): every format under 5 s.  Each format is timed from the
assigned plan (planning and assigning are timed once, separately), building
the roster model and rendering it, best of 3.  Figures go to
docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from visits import Horizon, load_rulebook
from visits.core.roster import Roster
from visits.core.rostering import build_roster
from visits.render.formats import to_csv, to_html, to_ics, to_xlsx
from visits.render.labels import roster_words
from visits.render.pdf import to_pdf
from visits.service import assigned_plan
from visits.testing import demo

DECEMBER = Horizon(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
FORMATS: dict[str, Callable[[Roster], bytes]] = {
    "html": to_html,
    "pdf": to_pdf,
    "xlsx": to_xlsx,
    "csv": to_csv,
    "ics": to_ics,
}


def main() -> None:
    community = demo.generate(40_000, seed=0)
    rulebook = load_rulebook()
    began = time.perf_counter()
    assigned = list(assigned_plan(rulebook, community, DECEMBER))
    print(f"40,000 households, December 2026: plan + assign {time.perf_counter() - began:.2f} s")

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
        best, size = float("inf"), 0
        for _ in range(3):
            began = time.perf_counter()
            size = len(render(build()))
            best = min(best, time.perf_counter() - began)
        verdict = "met" if best < 5 else "NOT met"
        print(f"  {name:<5} {best:6.2f} s  {size / 2**20:6.1f} MiB   target < 5 s: {verdict}")


if __name__ == "__main__":
    main()
