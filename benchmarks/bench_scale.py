"""What planning and reporting cost as households grow: one process, and partitions on Dask.

    python benchmarks/bench_scale.py                    # 10,000, 100,000 and 1,000,000 households
    python benchmarks/bench_scale.py --quick            # 10,000 and 100,000
    python benchmarks/bench_scale.py --sizes 20000      # any sizes

For each size: the demo community with a year of records is generated and
written in the lines layout (docs/scale.md); then the year is planned and
assigned into Parquet, and the status report as of 31 December counted, once
in this process (the whole-file JSON loaded, then ``visits.assigned_plan``
and ``visits.status_report`` over the community in memory) and once on a ``distributed.LocalCluster`` of two
worker processes (``visits.dask``), which read the lines file themselves.
Each figure is one run (a million households takes minutes); the machine is
shared, so read the ratios more than the seconds.  Figures go to
docs/scale.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

import visits
import visits.dask as vd
from visits.io import parquet
from visits.io.lines import community_to_lines
from visits.testing import demo

YEAR = visits.Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
AS_OF = dt.date(2026, 12, 31)


def seconds(began: float) -> str:
    return f"{time.perf_counter() - began:8.1f} s"


def one_size(households: int, client: Client, directory: Path) -> None:
    rulebook = visits.load_rulebook()
    began = time.perf_counter()
    community = demo.generate(households, seed=0, with_visits=True)
    print(f"{households:>10,} households, {len(community.visits):,} records: generated in {seconds(began)}")
    path = directory / f"city-{households}.jsonl"
    began = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for line in community_to_lines(community):
            out.write(line + "\n")
    print(f"    lines file written            {seconds(began)}  ({path.stat().st_size / 2**20:,.0f} MiB)")
    whole = directory / f"city-{households}.json"
    visits.save_community(community, whole)
    began = time.perf_counter()
    community = visits.load_community(whole, rulebook.vocabulary)
    print(f"    one process: load the JSON    {seconds(began)}  ({whole.stat().st_size / 2**20:,.0f} MiB)")
    began = time.perf_counter()
    sink = io.BytesIO()
    rows = parquet.plan_to_parquet(visits.assigned_plan(rulebook, community, YEAR), sink, units=False)
    print(f"    one process: plan to Parquet  {seconds(began)}  ({rows:,} rows)")
    began = time.perf_counter()
    visits.status_report(rulebook, community, YEAR, AS_OF, "unit")
    print(f"    one process: status report    {seconds(began)}")
    del community, sink
    head, bag = vd.read_lines(path, vocabulary=rulebook.vocabulary, blocksize="16MiB")
    began = time.perf_counter()
    written = vd.plan_to_parquet(rulebook, head, bag, YEAR, directory / f"plan-{households}")
    total = sum(n for _, n in written)
    print(f"    Dask, 2 workers: plan         {seconds(began)}  ({total:,} rows in {len(written)} files)")
    began = time.perf_counter()
    vd.status_report(rulebook, head, bag, YEAR, AS_OF, "unit")
    print(f"    Dask, 2 workers: status       {seconds(began)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 and 100,000 households only")
    parser.add_argument("--sizes", type=int, nargs="*", help="household counts to measure")
    args = parser.parse_args()
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000])
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        for n in sizes:
            one_size(n, client, Path(tmp))


if __name__ == "__main__":
    main()
