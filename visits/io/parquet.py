"""Plans as Parquet: the CSV's columns, typed, written in batches so a city's plan fits in bounded memory.

Made with pyarrow (Apache Arrow's own Python library, Apache licence), an
optional dependency (``pip install 'visits[parquet]'``): it is imported here
only, when a Parquet file is written.  The columns are those of the CSV plan
(docs/contract.md), with their types kept: dates as dates, ``roles`` as a
list of strings, ``assigned_rank`` as an integer and ``substitute`` as a
boolean; a missing value is null.  Rows are gathered ``BATCH`` at a time and
written as one row group each, so memory does not grow with the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from visits.core.compliance import Report
from visits.io.serialise import CSV_FIELDS, Item, adjustment_to_dict, assignment_to_dict, flat_row

if TYPE_CHECKING:
    from visits.core.columnar import PlanColumns
    from visits.core.columnar_assign import AssignmentColumns, Batch

__all__ = ["BATCH", "PARQUET_MISSING", "columns_table", "columns_to_parquet", "plan_to_parquet", "report_to_parquet"]

#: Rows per row group.
BATCH = 16_384
#: What to say when pyarrow is not installed.
PARQUET_MISSING = "Parquet needs pyarrow: pip install 'visits[parquet]' (or pip install pyarrow)"

_DATES = ("start", "end", "due", "anchor", "due_adjusted_from")


def _schema(units: bool) -> Any:
    import pyarrow as pa

    types = {name: pa.date32() for name in _DATES} | {
        "roles": pa.list_(pa.string()),
        "assigned_rank": pa.int32(),
        "substitute": pa.bool_(),
    }
    fields = (*CSV_FIELDS, "unit") if units else CSV_FIELDS
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in fields])


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A :func:`~visits.io.serialise.flat_row` with its dates as dates, and no skipped person as null."""
    for name in _DATES:
        if row.get(name) is not None:
            row[name] = dt.date.fromisoformat(row[name])
    row["skipped"] = row["skipped"] or None
    return row


def plan_to_parquet(obligations: Iterable[Item], sink: BinaryIO, *, units: bool = False) -> int:
    """Write the plan to ``sink`` as Parquet; the number of rows.  ``units``: a rulebook with units' duties."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(units)
    names = schema.names
    count = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        columns: dict[str, list[Any]] = {name: [] for name in names}
        for item in obligations:
            row = _typed(flat_row(item))
            for name in names:
                columns[name].append(row.get(name))
            count += 1
            if count % BATCH == 0:
                writer.write_table(pa.table(columns, schema=schema))
                columns = {name: [] for name in names}
        if count % BATCH or count == 0:
            writer.write_table(pa.table(columns, schema=schema))
    return count


def columns_to_parquet(batches: Iterable[Batch], sink: BinaryIO, *, units: bool = False) -> int:
    """:func:`plan_to_parquet` of a plan made in columns: the same file, byte for byte, with no object per row.

    Each batch (a part's :class:`~visits.core.columnar.PlanColumns` and its
    :class:`~visits.core.columnar_assign.AssignmentColumns`) becomes an
    Arrow table (:func:`columns_table`); rows are written ``BATCH`` to a row
    group, as :func:`plan_to_parquet` groups them.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(units)
    count = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        waiting: list[Any] = []
        held = 0
        for plan, assigned in batches:
            table = columns_table(plan, assigned, schema)
            waiting.append(table)
            held += table.num_rows
            count += table.num_rows
            while held >= BATCH:
                joined = pa.concat_tables(waiting)
                writer.write_table(joined.slice(0, BATCH))
                waiting, held = [joined.slice(BATCH)], held - BATCH
        if held or count == 0:
            writer.write_table(pa.concat_tables(waiting) if waiting else schema.empty_table())
    return count


def columns_table(plan: PlanColumns, assigned: AssignmentColumns | None, schema: Any) -> Any:
    """The rows of ``plan`` as an Arrow table of ``schema`` (the CSV plan's columns, typed).

    Each column is gathered from a small table of its distinct values (per
    rule, subject, event, assignment or adjustment) by the rows' indexes.
    """
    import numpy as np
    import pyarrow as pa

    rules, n = plan.rulebook.rules, len(plan)
    units = plan.unit_count

    def take(values: list[Any], index: Any, kind: Any = None) -> Any:
        return pa.array(values, kind).take(pa.array(index))

    def nullable(values: list[Any], index: Any) -> Any:  # index -1: null
        return take([*values, None], np.where(index < 0, len(values), index))

    columns: dict[str, Any] = {
        "key": pa.array(plan.keys(), pa.string()),
        "household": take([None] * units + list(plan.subjects[units:]), plan.subject),
        "rule": take([r.id for r in rules], plan.rule),
        "role": take([r.role for r in rules], plan.rule),
        "roles": take([list(r.roles) for r in rules], plan.rule, pa.list_(pa.string())),
        "action": take([r.action for r in rules], plan.rule),
        "start": pa.array(plan.start, pa.date32()),
        "end": pa.array(plan.end, pa.date32()),
        "due": pa.array(plan.due, pa.date32()),
        "category": take([r.category for r in rules], plan.rule, pa.string()),
        "event": nullable([e.id for e in plan.events], plan.event),
        "anchor": pa.array(plan.anchor, pa.date32()),
        "calendar": take([None, "official", "provisional"], plan.calendar.astype(np.int64), pa.string()),
        "unit": take(list(plan.subjects[:units]) + [None] * (len(plan.subjects) - units), plan.subject, pa.string()),
    }
    adjusted = [adjustment_to_dict(a) or {} for a in plan.adjustments]
    for name, part in (("from", "due_adjusted_from"), ("reason", "due_adjusted_reason"), ("name", "due_adjusted_name")):
        values = [dt.date.fromisoformat(a[name]) if name == "from" else a[name] for a in adjusted]
        columns[part] = nullable(values, plan.adjustment).cast(schema.field(part).type)
    if assigned is None:
        for name in _ASSIGNED:
            columns[name] = pa.nulls(n, schema.field(name).type)
    else:
        given = [_flat_assignment(a) for a in assigned.choices]
        for name in _ASSIGNED:
            columns[name] = take([g[name] for g in given], assigned.choice, schema.field(name).type)
    return pa.table({name: columns[name] for name in schema.names}, schema=schema)


#: The columns that come from a row's assignment.
_ASSIGNED = ("assignee", "assigned_role", "assigned_unit", "assigned_rank", "substitute", "assignment_note", "skipped")


def _flat_assignment(assignment: Any) -> dict[str, Any]:
    """An assignment in the CSV plan's columns (as :func:`~visits.io.serialise.flat_row` spreads it)."""
    given = assignment_to_dict(assignment)
    skipped = "; ".join(f"{s['person']} {s['reason']}" for s in given["skipped"])
    return {
        "assignee": assignment.assignee,
        "assigned_role": given["role"],
        "assigned_unit": given["unit"],
        "assigned_rank": given["rank"],
        "substitute": given["substitute"],
        "assignment_note": given["note"],
        "skipped": skipped or None,
    }


def report_to_parquet(report: Report, columns: Sequence[str], sink: BinaryIO) -> int:
    """A status report's rows (each group, then the whole) as Parquet: the CSV's columns, counts as integers.

    The first column is named by the grouping (``rule``, ``person`` or
    ``unit``); ``rate`` is a float, null where nothing was due.  The number of
    rows is returned.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    groups = (*report.groups, report.overall)
    table = pa.table(
        {
            report.by: pa.array([g.name for g in groups], pa.string()),
            **{c: pa.array([getattr(g, c) for g in groups], pa.int64()) for c in columns},
            "rate": pa.array([g.rate for g in groups], pa.float64()),
        }
    )
    pq.write_table(table, sink, compression="zstd")
    return len(groups)
