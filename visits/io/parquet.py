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
from typing import Any, BinaryIO

from visits.core.compliance import Report
from visits.io.serialise import CSV_FIELDS, Item, flat_row

__all__ = ["BATCH", "PARQUET_MISSING", "plan_to_parquet", "report_to_parquet"]

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
