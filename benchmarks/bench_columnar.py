"""The columnar planner beside the object planner, a naive rrule expansion and a bare numpy expansion.

    python benchmarks/bench_columnar.py            # the 40,000-household demo's year, 7 rounds
    python benchmarks/bench_columnar.py --quick    # 3 rounds

Targets (issue 15): the planner at least 50x the naive expansion, and at
least 1/4 of a numpy expansion of the same calendar cadences with working-day
due dates, measured in the same run.  Figures go to docs/performance.md.

After one round not counted, each round runs every contender once, one after the other, so that a busy
spell of the shared machine slows all of them; the ratios are medians of the
rounds' own ratios, with min and max.  Times count planning only: the
community is generated, and turned into a household table, beforehand (that
conversion is timed on its own).

"The same calendar cadences": the numpy expansion knows only calendar
cadences, so it and the columnar planner are also run on the built-in
rulebook cut down to its calendar rules (same obligations, counted), as well
as the columnar planner on the whole rulebook.  The numpy expansion is what
an expert would write for that subset alone: slice each rule's period table
per circumstance, cut the ends, look the due date up in a precomputed
last-working-day array.  It makes no keys, no calendar status, no
adjustments and no order; the planner does all four.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import statistics
import time
from collections.abc import Callable

import attrs
import numpy as np

from visits import Calendar, CategoryTrigger, HouseholdTable, Rulebook, WorkCalendar, assign, china, load_rulebook, plan
from visits.core.assign import OrgIndex
from visits.core.columnar import plan_columns
from visits.core.columnar_assign import assign_columns
from visits.core.windows import expander
from visits.testing import demo

from bench_plan import YEAR, naive  # isort: skip  (beside this file)
from measure import Timing  # isort: skip

EPOCH = dt.date(1970, 1, 1).toordinal()


def day(date: dt.date) -> int:
    return date.toordinal() - EPOCH


def calendar_only(rulebook: Rulebook) -> Rulebook:
    return attrs.evolve(rulebook, rules=tuple(r for r in rulebook.rules if isinstance(r.cadence, Calendar)))


def numpy_expansion(rulebook: Rulebook, table: HouseholdTable, calendar: WorkCalendar) -> Callable[[], int]:
    """A bare numpy expansion of ``rulebook``'s calendar rules; the working-day array is built beforehand."""
    low, high = day(YEAR.start) - 400, day(YEAR.end) + 400
    h_start, h_end = day(YEAR.start), day(YEAR.end)
    days = np.arange(low, high + 1)
    working = np.array([calendar.is_working(dt.date.fromordinal(int(d) + EPOCH)) for d in days])
    last_working = np.maximum.accumulate(np.where(working, days, -(1 << 40)))
    prepared = []
    for rule in rulebook.rules:
        cadence, trigger = rule.cadence, rule.trigger
        assert isinstance(cadence, Calendar) and isinstance(trigger, CategoryTrigger)
        periods = expander(cadence, YEAR)(dt.date.min, None, None)  # the periods (or their months) in the year
        chosen = np.flatnonzero(table.c_category == table.categories.index(trigger.category))
        prepared.append(
            (
                np.array([day(w[0]) for w in periods]),
                np.array([day(w[1]) for w in periods]),
                table.c_start[chosen],
                table.c_end[chosen],
            )
        )

    def run() -> int:
        count = 0
        for t_start, t_end, c_start, c_end in prepared:
            first = np.searchsorted(t_end, c_start)
            n = np.maximum(np.searchsorted(t_start, c_end, side="right") - first, 0)
            src = np.repeat(np.arange(len(c_start)), n)
            index = first[src] + np.arange(len(src)) - np.repeat(np.cumsum(n) - n, n)
            start = np.maximum(t_start[index], c_start[src])
            end = np.minimum(t_end[index], c_end[src])
            keep = (start <= h_end) & (h_start <= end)
            start, end = start[keep], end[keep]
            due = last_working[end - low]
            due = np.where(due >= start, due, end)
            count += len(due)
        return count

    return run


def rounds(contenders: dict[str, Callable[[], int]], runs: int) -> tuple[dict[str, Timing], dict[str, int]]:
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    counts: dict[str, int] = {}
    for run in contenders.values():
        run()  # a round not counted: the calendar's caches, the first imports
    for _ in range(runs):
        for name, run in contenders.items():
            gc.collect()  # so that no contender pays for the garbage of the one before
            began = time.perf_counter()
            counts[name] = run()
            seconds[name].append(time.perf_counter() - began)
    return {name: Timing(tuple(s)) for name, s in seconds.items()}, counts


def ratio(times: dict[str, Timing], slow: str, fast: str) -> str:
    """How many times faster ``fast`` is than ``slow``: median of the rounds' ratios (min-max)."""
    each = [a / b for a, b in zip(times[slow].seconds, times[fast].seconds, strict=True)]
    return f"{statistics.median(each):.1f}x (rounds {min(each):.1f}-{max(each):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 7")
    parser.add_argument("--households", type=int, default=40_000, help="size of the demo community (default 40,000)")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    print(f"Python {platform.python_version()} on {platform.machine()}; numpy {np.__version__}")
    rulebook, calendar = load_rulebook(), china()
    community = demo.generate(args.households, seed=0)
    assert community.organisation is not None
    units = community.organisation.units
    households, events = community.households, community.events
    began = time.perf_counter()
    table = HouseholdTable.from_households(households, events)
    print(f"{args.households:,} households; household table built in {time.perf_counter() - began:.3f} s")
    subset = calendar_only(rulebook)
    contenders: dict[str, Callable[[], int]] = {
        "object planner": lambda: sum(1 for _ in plan(rulebook, households, events, YEAR, units=units)),
        "naive rrule": lambda: sum(1 for _ in naive(rulebook, households, events, YEAR)),
        "columnar planner": lambda: len(plan_columns(rulebook, table, YEAR, calendar=calendar, units=units)),
        "columnar, calendar rules": lambda: len(plan_columns(subset, table, YEAR, calendar=calendar)),
        "numpy, calendar rules": numpy_expansion(subset, table, calendar),
        "columnar + keys": lambda: len(plan_columns(rulebook, table, YEAR, calendar=calendar, units=units).keys()),
    }
    times, counts = rounds(contenders, runs)
    for name, timing in times.items():
        rate = counts[name] / timing.median
        print(f"  {name:<26}: {timing}  {counts[name]:>9,} obligations  {rate:>13,.0f} /s")
    print(f"  columnar ÷ naive rrule            : {ratio(times, 'naive rrule', 'columnar planner')}  (target >= 50x)")
    print(f"  columnar ÷ object planner         : {ratio(times, 'object planner', 'columnar planner')}")
    subset_ratio = ratio(times, "columnar, calendar rules", "numpy, calendar rules")
    print(f"  numpy ÷ columnar, calendar rules  : {subset_ratio}  (target <= 4x)")
    # Assignment alone: the plan made beforehand, the organisation's lookups built once.
    organisation = community.organisation
    buildings = {h.id: h.building for h in households}
    index = OrgIndex(organisation, buildings, rulebook.vocabulary)
    objects = list(plan(rulebook, households, events, YEAR, units=units))
    columns = plan_columns(rulebook, table, YEAR, calendar=calendar, units=units)
    assigners: dict[str, Callable[[], int]] = {
        "assign() objects": lambda: sum(
            1 for _ in assign(objects, organisation, buildings, rulebook.vocabulary, index=index)
        ),
        "assign_columns()": lambda: len(
            assign_columns(columns, organisation, buildings, rulebook.vocabulary, index=index)
        ),
    }
    times, counts = rounds(assigners, runs)
    for name, timing in times.items():
        print(f"  {name:<26}: {timing}  {counts[name]:>9,} obligations")
    print(f"  assign() ÷ assign_columns()       : {ratio(times, 'assign() objects', 'assign_columns()')}")


if __name__ == "__main__":
    main()
