"""Plan one year of the demo community; compare with a naive rrule expansion.

    python benchmarks/bench_plan.py            # 40,000 and 1,000,000 households
    python benchmarks/bench_plan.py --quick    # 40,000 only

Targets (issue 2): the planner's object API at least 5x the naive expansion;
a 40,000-household year in under 0.2 s; 1,000,000 households streamed with
peak memory under 200 MiB.  Issue 3: assignment adds at most 2x to the
planner's time on the 40,000-household year.  Figures go to
docs/performance.md.

Times are medians of several runs with min and max, counting only planning
(the community is generated first).  The 1,000,000-household run happens in
a fresh child process, and its peak memory is the child's own high-water mark
(``VmHWM``, not ``ru_maxrss``, which a forked child inherits from this
process: benchmarks/measure.py); households are generated one at a time and
streamed through ``plan_sorted``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from dateutil import rrule

from visits import (
    Assigned,
    Calendar,
    CategoryTrigger,
    Event,
    EventTrigger,
    Horizon,
    Household,
    Interval,
    Obligation,
    Once,
    Period,
    Rulebook,
    Span,
    assign,
    load_rulebook,
    plan,
    plan_sorted,
)
from visits.core.periods import label, next_start, start_of
from visits.testing import demo

from measure import Timing, peak_mib, timed  # isort: skip  (benchmarks/measure.py, beside this file)

YEAR = Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
ONE_DAY = dt.timedelta(days=1)
_FREQ: dict[Period, tuple[Literal[0, 1, 2, 3, 4, 5, 6], int]] = {
    Period.WEEK: (rrule.WEEKLY, 1),
    Period.MONTH: (rrule.MONTHLY, 1),
    Period.QUARTER: (rrule.MONTHLY, 3),
    Period.HALF: (rrule.MONTHLY, 6),
    Period.YEAR: (rrule.YEARLY, 1),
}


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def naive(
    rulebook: Rulebook, households: Iterable[Household], events: Iterable[Event], horizon: Horizon
) -> Iterator[Obligation]:
    """One dateutil.rrule per household, rule and circumstance or event.

    This is how a scheduler is often first written.  It is the speed baseline,
    not a reference: rrule(MONTHLY) from the 31st skips short months, which is
    exactly the drift the planner avoids (counts may differ slightly).
    """
    events_of: dict[str, list[Event]] = collections.defaultdict(list)
    for event in events:
        events_of[event.household].append(event)
    until = _at(horizon.end)
    for household in households:
        for rule in rulebook.rules:
            prefix = f"{household.id}/{rule.id}/"
            trigger = rule.trigger
            if isinstance(trigger, EventTrigger):
                for event in events_of.get(household.id, ()):
                    if trigger.matches(event.kind, event.severity):
                        for when in rrule.rrule(rrule.DAILY, count=1, dtstart=_at(event.date)):
                            day = when.date()
                            end = day + dt.timedelta(days=rule.cadence.within_days)  # type: ignore[union-attr]
                            yield Obligation(
                                key=prefix + event.id,
                                household=household.id,
                                rule=rule,
                                start=day,
                                end=end,
                                due=end,
                                anchor=day,
                                event=event.id,
                            )
                continue
            for c in household.circumstances:
                if not isinstance(trigger, CategoryTrigger) or c.category != trigger.category:
                    continue
                last = c.end or dt.date.max
                cadence = rule.cadence
                lo, hi = max(c.start, horizon.start), min(last, horizon.end)
                if isinstance(cadence, Calendar):
                    freq, interval = _FREQ[cadence.period]
                    first = start_of(cadence.period, lo)
                    for when in rrule.rrule(freq, interval=interval, dtstart=_at(first), until=_at(hi)):
                        p_start = when.date()
                        p_end = next_start(cadence.period, p_start) - ONE_DAY
                        if cadence.within is not None:
                            p_start = p_start.replace(month=cadence.within[0])
                        start, end = max(p_start, c.start), min(p_end, last)
                        if start <= end and horizon.overlaps(start, end):
                            yield Obligation(
                                key=f"{prefix}{c.start}/{label(cadence.period, p_start)}",
                                household=household.id,
                                rule=rule,
                                start=start,
                                end=end,
                                due=end,
                                anchor=c.start,
                            )
                elif isinstance(cadence, Interval):
                    dates = [
                        w.date()
                        for w in rrule.rrule(rrule.MONTHLY, interval=cadence.every, dtstart=_at(c.start), until=until)
                    ]
                    for k, start in enumerate(dates[:-1]):
                        end = min(dates[k + 1] - ONE_DAY, last)
                        if start <= hi and end >= lo:
                            yield Obligation(
                                key=f"{prefix}{c.start}/n{k + 1}",
                                household=household.id,
                                rule=rule,
                                start=start,
                                end=end,
                                due=end,
                                anchor=c.start,
                            )
                else:
                    offset = cadence.first_day if isinstance(cadence, Once) else 0
                    for when in rrule.rrule(rrule.DAILY, count=1, dtstart=_at(c.start + dt.timedelta(days=offset))):
                        start = when.date()
                        if isinstance(cadence, Once):
                            end = min(c.start + dt.timedelta(days=cadence.last_day), last)
                        else:
                            assert isinstance(cadence, Span)
                            end = c.end or c.start + dt.timedelta(days=cadence.open_days - 1)
                        if start <= end and horizon.overlaps(start, end):
                            yield Obligation(
                                key=f"{prefix}{c.start}/once",
                                household=household.id,
                                rule=rule,
                                start=start,
                                end=end,
                                due=end,
                                anchor=c.start,
                            )


def consumed(runs: int, make: Callable[[], Iterator[object]]) -> tuple[Timing, int]:
    """The timing of ``runs`` full consumptions, and the obligation count."""
    return timed(lambda: sum(1 for _ in make()), runs)


def forty_thousand(runs: int) -> None:
    rulebook = load_rulebook()
    community = demo.generate(40_000, seed=0)
    households, events = community.households, community.events
    planner, planner_n = consumed(runs, lambda: plan(rulebook, households, events, YEAR))
    naive_timing, naive_n = consumed(max(3, runs // 2), lambda: naive(rulebook, households, events, YEAR))
    planner_s, naive_s = planner.median, naive_timing.median
    print(f"40,000 households, one year ({len(events)} events); medians")
    print(f"  planner : {planner}  {planner_n:>8} obligations  {planner_n / planner_s:>12,.0f} /s")
    print(f"  naive   : {naive_timing}  {naive_n:>8} obligations  {naive_n / naive_s:>12,.0f} /s")
    print(f"  ratio   : planner is {(planner_n / planner_s) / (naive_n / naive_s):.1f}x the naive expansion")
    print(f"  target  : 40,000-household year under 0.2 s: {'met' if planner_s < 0.2 else 'NOT met'}")
    assert community.organisation is not None
    organisation = community.organisation
    buildings = {h.id: h.building for h in households}
    words = rulebook.vocabulary

    def planned_and_assigned() -> Iterator[Assigned]:
        return assign(plan(rulebook, households, events, YEAR), organisation, buildings, words)

    both, both_n = consumed(runs, planned_and_assigned)
    both_s = both.median
    added = both_s - planner_s
    print(f"  plan + assign : {both}  {both_n:>8} assigned ({len(organisation.people)} people)")
    print(
        f"  assignment adds {added:.3f} s = {added / planner_s:.2f}x the planner's time "
        f"(total {both_s / planner_s:.2f}x planning alone)"
    )
    print(f"  target  : assignment adds at most 2x: {'met' if added <= 2 * planner_s else 'NOT met'}")


def million_child(generate_only: bool) -> None:
    """Run in a child process: stream 1,000,000 households, report time and its own peak memory."""
    rulebook = load_rulebook()
    began = time.perf_counter()
    stream = demo.households_and_events(1_000_000, seed=0)
    items: Iterable[object] = stream if generate_only else plan_sorted(rulebook, stream, YEAR)
    count = sum(1 for _ in items)
    seconds = time.perf_counter() - began
    print(f"{seconds:.2f} {count} {peak_mib():.1f}")


def million() -> None:
    def child(*flags: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, __file__, "--million-child", *flags], capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    gen_s, households, gen_peak = child("--generate-only")
    total_s, obligations, peak = child()
    plan_s = float(total_s) - float(gen_s)
    print("1,000,000 households, one year, streamed (generated on the fly)")
    print(f"  generate only     : {float(gen_s):.2f} s, peak RSS {gen_peak} MiB ({households} households)")
    print(f"  generate + plan   : {float(total_s):.2f} s, peak RSS {peak} MiB, {obligations} obligations")
    print(f"  planning alone    : about {plan_s:.2f} s  ({int(obligations) / plan_s:,.0f} obligations/s)")
    print(f"  target            : peak under 200 MiB: {'met' if float(peak) < 200 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs of each, and no 1,000,000-household run")
    parser.add_argument("--million-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.million_child:
        million_child(args.generate_only)
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}")
    forty_thousand(3 if args.quick else 7)
    if not args.quick:
        million()


if __name__ == "__main__":
    main()
