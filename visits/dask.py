"""Plans and status reports over partitions of households, on Dask (``pip install 'visits[dask]'``).

Planning, assignment and matching records are per household: a household's
obligations depend only on the rulebook, the organisation and that household
(its circumstances, events and records).  So a community in the lines layout
(:mod:`visits.io.lines`: a head with the organisation, then a household per
line) splits into partitions that any number of workers plan on their own.
Each partition writes its own Parquet file; a status report is counted per
partition and the counts added.  The units' duties, owed once by the
organisation, are planned by one task of their own.

    import visits, visits.dask
    head, households = visits.dask.read_lines("city.jsonl")
    visits.dask.plan_to_parquet(rulebook, head, households, year, "plan/")

The results are those of one process: the files ``part-00000.parquet``
(the duties), ``part-00001.parquet``, ... read in order hold the rows
``visits plan --format parquet`` writes, and :func:`status_report` returns
:func:`visits.status_report`'s report.  docs/scale.md says how to run it on a
cluster and what it costs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask.bag as db
from dask.base import compute
from dask.delayed import delayed

from visits import scale, service
from visits.core.assign import OrgIndex
from visits.core.community import Community, Horizon
from visits.core.compliance import Group, Report
from visits.core.rules import Rulebook
from visits.core.vocabulary import ReportGrouping
from visits.core.workdays import WorkCalendar
from visits.io import lines as lines_io
from visits.io import parquet
from visits.io.files import write_atomically_with

__all__ = ["merged_reports", "plan_to_parquet", "read_lines", "status_report"]

_COUNTS = ("total", "due", "met", "met_due", "late", "overdue", "missed", "open", "upcoming", "cancelled")


def read_lines(path: str | Path, *, vocabulary: Any = None, blocksize: int | str = "64MiB") -> tuple[Community, db.Bag]:
    """The head of a lines file (checked now) and its household lines as a bag, cut into ``blocksize`` partitions.

    ``vocabulary`` (a rulebook's) checks the head's words as well.
    """
    with open(path, encoding="utf-8-sig") as file:
        head = lines_io.head_from_text(file.readline(), vocabulary)
    return head, db.read_text(str(path), blocksize=blocksize)


def _part(rulebook: Rulebook, head: Community, texts: Iterable[str], index: int) -> Community:
    """One partition's households (text lines, the head's line left out) as a community."""
    placed = []
    for n, text in enumerate(texts, start=1):
        if text.strip() and not lines_io.is_lines(text):  # the head opens the first partition
            place = f"partition {index}, line {n}"
            placed.append((place, lines_io.parse_line(text, place)))
    return lines_io.part_from_lines(placed, head, rulebook.vocabulary)


#: Per worker process: the organisation's lookups, built once for the head every task of a run shares.
_INDEXES: dict[int, tuple[Community, OrgIndex]] = {}


def _index(rulebook: Rulebook, head: Community, part: Community) -> OrgIndex | None:
    """The head organisation's lookups for ``part``'s households, built once per worker, not once per partition."""
    if head.organisation is None:
        return None
    found = _INDEXES.get(id(head))
    if found is None or found[0] is not head:
        _INDEXES.clear()  # a new run: forget the last one's head
        found = _INDEXES[id(head)] = (head, OrgIndex(head.organisation, {}, rulebook.vocabulary))
    return scale.part_index(found[1], part)


def _inputs(
    rulebook: Rulebook, head: Community, texts: Sequence[str] | None, index: int
) -> tuple[Community, bool, OrgIndex | None]:
    """What a task works on: a partition's households (or, with no texts, the head and its duties) and lookups."""
    community = head if texts is None else _part(rulebook, head, texts, index)
    return community, texts is None, _index(rulebook, head, community)


def _plan_part(
    texts: Sequence[str] | None,
    index: int,
    rulebook: Rulebook,
    head: Community,
    horizon: Horizon,
    calendar: WorkCalendar | None,
    directory: str,
) -> tuple[str, int]:
    """Plan one partition (or, with no texts, the units' duties) into ``part-NNNNN.parquet``."""
    community, duties, lookups = _inputs(rulebook, head, texts, index)
    # In columns, as `visits plan --format parquet` writes it (visits.scale.planned_columns).
    batch = scale.planned_columns(
        rulebook, community, horizon, calendar=calendar, index=lookups, duties=duties, checked=not duties
    )
    path = Path(directory) / f"part-{index:05d}.parquet"
    rows = 0

    def fill(sink: Any) -> None:
        nonlocal rows
        rows = parquet.columns_to_parquet([batch], sink, units=rulebook.has_duties())

    write_atomically_with(path, fill)
    return str(path), rows


def plan_to_parquet(
    rulebook: Rulebook,
    head: Community,
    households: db.Bag,
    horizon: Horizon,
    directory: str | Path,
    *,
    calendar: WorkCalendar | None = None,
) -> list[tuple[str, int]]:
    """Plan every partition of ``households`` on the current Dask scheduler; each file written and its rows.

    ``part-00000.parquet`` holds the units' duties (no rows without an
    organisation), ``part-00001.parquet`` the first partition's households, and
    so on.  The calendar defaults to China's, as for :func:`visits.plan`.
    """
    calendar = service.working_calendar(rulebook, calendar)
    Path(directory).mkdir(parents=True, exist_ok=True)
    shared = _shared(rulebook, head, horizon, calendar)
    tasks = [delayed(_plan_part)(None, 0, *shared, str(directory))]
    for i, partition in enumerate(households.to_delayed(), start=1):
        tasks.append(delayed(_plan_part)(partition, i, *shared, str(directory)))
    return list(compute(*tasks))


def _shared(rulebook: Rulebook, head: Community, horizon: Horizon, calendar: WorkCalendar | None) -> list[Any]:
    """What every task needs, as one node of the graph each (sent to a worker once, not once per task)."""
    return [delayed(value, traverse=False) for value in (rulebook, head, horizon, calendar)]


def _status_part(
    texts: Sequence[str] | None,
    index: int,
    rulebook: Rulebook,
    head: Community,
    horizon: Horizon,
    calendar: WorkCalendar | None,
    as_of: dt.date,
    by: ReportGrouping,
) -> Report:
    community, duties, lookups = _inputs(rulebook, head, texts, index)
    return service.status_report(
        rulebook, community, horizon, as_of, by, calendar=calendar, duties=duties, index=lookups, checked=not duties
    )


def status_report(
    rulebook: Rulebook,
    head: Community,
    households: db.Bag,
    horizon: Horizon,
    as_of: dt.date,
    by: ReportGrouping = "rule",
    *,
    calendar: WorkCalendar | None = None,
) -> Report:
    """:func:`visits.status_report` of the whole community, counted per partition on Dask and added up."""
    calendar = service.working_calendar(rulebook, calendar)
    shared = _shared(rulebook, head, horizon, calendar)
    tasks = [delayed(_status_part)(None, 0, *shared, as_of, by)]
    for i, partition in enumerate(households.to_delayed(), start=1):
        tasks.append(delayed(_status_part)(partition, i, *shared, as_of, by))
    return merged_reports(compute(*tasks))


def merged_reports(reports: Sequence[Report]) -> Report:
    """One report from the reports of disjoint parts of a community (same day, same grouping).

    Counts are added per group; the overdue and missed items are merged in
    the report's order (due date, then key), the unmatched records in the
    matcher's (date, then id).
    """
    if not reports:
        raise ValueError("merged_reports() needs at least one report")
    first = reports[0]
    if any(r.as_of != first.as_of or r.by != first.by for r in reports):
        raise ValueError("merged_reports(): the reports must share their day and grouping")
    tallies: dict[str, Counter[str]] = {}
    for report in reports:
        for found in report.groups:
            tallies.setdefault(found.name, Counter()).update({f: getattr(found, f) for f in _COUNTS})
    overall: Counter[str] = Counter()
    for report in reports:
        overall.update({f: getattr(report.overall, f) for f in _COUNTS})

    def group(name: str, counts: Counter[str]) -> Group:
        return Group(name=name, **{f: counts[f] for f in _COUNTS})

    def listed(which: str) -> tuple[Any, ...]:
        items = [s for r in reports for s in getattr(r, which)]
        return tuple(sorted(items, key=lambda s: (s.obligation.due, s.obligation.key)))

    unmatched = sorted((u for r in reports for u in r.unmatched), key=lambda u: (u.record.date, u.record.id))
    return Report(
        as_of=first.as_of,
        by=first.by,
        groups=tuple(group(name, tallies[name]) for name in sorted(tallies)),
        overall=group("all", overall),
        overdue=listed("overdue"),
        missed=listed("missed"),
        unmatched=tuple(unmatched),
    )
