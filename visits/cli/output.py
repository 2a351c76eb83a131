"""What the commands print: output written whole or not at all, and aligned tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from visits.cli.parser import UsageError
from visits.core.assign import Assigned
from visits.core.compliance import Report
from visits.core.errors import Problem, VisitsError
from visits.core.planner import Obligation
from visits.core.text import display_width, visible
from visits.core.vocabulary import Language
from visits.core.workdays import WorkCalendar
from visits.io.files import write_atomically, write_atomically_with
from visits.io.serialise import safe_cell
from visits.io.sheets import FIXED_CREATED
from visits.render.labels import explain

if TYPE_CHECKING:
    from visits.core.columnar_assign import Batch

__all__ = [
    "SPOOL_BYTES",
    "Attempts",
    "aligned",
    "emit",
    "provisional_warning",
    "report_csv",
    "report_table",
    "source_date",
    "warn_provisional",
    "warn_provisional_columns",
    "write_columns_parquet",
    "write_report_parquet",
]

T = TypeVar("T")

#: Output for standard output is held in memory up to this size, then in a temporary file.
SPOOL_BYTES = 32 << 20


class Attempts:
    """Inputs loaded one after another, each one's problems kept, so that a command reports them all at once."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, load: Callable[[], T]) -> T | None:
        """What ``load`` returns, or ``None`` with its problems kept."""
        try:
            return load()
        except VisitsError as exc:
            self.lines.extend(exc.lines())
            return None

    def error(self) -> VisitsError:
        """Every problem kept, as one error."""
        return VisitsError([Problem(path="", message=line) for line in self.lines])


def emit(chunks: Iterable[str], output: str | None) -> None:
    """Write the output whole or not at all: to ``output`` atomically, or to stdout once it is complete.

    A problem found while the output is being produced (a festival window past
    the lunar tables, say) must not leave half a JSON array on standard
    output, so the text is spooled first (in memory, then on disk when large)
    and copied out only when every chunk has been made.
    """
    if output is not None:
        write_atomically(output, chunks, newline="")
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", newline="") as spool:
        for chunk in chunks:
            spool.write(chunk)
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout)
    sys.stdout.flush()


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as text lines with columns aligned (Chinese characters count double; the last column is free)."""
    rows = [[visible(cell) for cell in row] for row in rows]  # no escape sequence or bidi override from the data
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(
            [*(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row[:-1])), row[-1]]
        ).rstrip()
        + "\n"
        for row in rows
    ]


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


_GROUP_COLUMNS = ("total", "due", "met_due", "overdue", "missed", "open", "upcoming", "met", "late", "cancelled")


#: The status table's columns in Chinese, and the words around them.
_GROUP_COLUMNS_ZH = (
    "总数",
    "已到期",
    "到期已完成",
    "逾期",
    "未完成",
    "待完成",
    "未开始",
    "已完成",
    "逾期完成",
    "已取消",
)
_BY_ZH = {"rule": "规则", "person": "人员", "unit": "单位"}


def report_table(report: Report, names: Mapping[str, str], language: Language = "en") -> Iterator[str]:
    """The status report as text: a row per group, then the overdue obligations explained, then what met nothing.

    In Chinese the headers and the words around the table are Chinese and the
    row of all groups is 合计; the explanations are Chinese in both.
    """
    zh = language == "zh"
    columns = _GROUP_COLUMNS_ZH if zh else _GROUP_COLUMNS
    header = (_BY_ZH[report.by] if zh else report.by, *columns, "完成率" if zh else "rate")
    groups = [*report.groups, report.overall]
    rows = [header] + [
        (
            "合计" if zh and g is report.overall else g.name,
            *(str(getattr(g, c)) for c in _GROUP_COLUMNS),
            _percent(g.rate),
        )
        for g in groups
    ]
    reasons = Counter(u.reason.value for u in report.unmatched)
    if zh:
        yield f"截至 {report.as_of}：完成率 = 到期已完成 / 已到期（应完成日在此日之前的事项）\n"
    else:
        yield f"status as of {report.as_of}: rate = met / due (obligations whose due date came before that day)\n"
    yield from aligned(rows)
    yield f"\n逾期（{len(report.overdue)}）：\n" if zh else f"\noverdue ({len(report.overdue)}):\n"
    for s in report.overdue:
        yield visible(f"  {s.obligation.key}  {s.assignee or '-'}  {explain(s, 'zh', names)}") + "\n"
    if zh:
        yield f"未完成：{len(report.missed)}（清单见 --format json）\n"
        summary = "，".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "无"
        yield f"未对上任何事项的记录：{len(report.unmatched)}（{summary}）\n"
        return
    yield f"missed: {len(report.missed)} (see --format json for the list)\n"
    summary = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "none"
    yield f"records that met nothing: {len(report.unmatched)} ({summary})\n"


def report_csv(report: Report) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.by, *_GROUP_COLUMNS, "rate"])
    for g in (*report.groups, report.overall):
        rate = "" if g.rate is None else f"{g.rate:.4f}"
        writer.writerow([safe_cell(g.name), *(getattr(g, c) for c in _GROUP_COLUMNS), rate])
    yield buffer.getvalue()


def source_date() -> dt.datetime:
    """The creation date for XLSX and PDF files: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else fixed."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return FIXED_CREATED
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except (ValueError, OverflowError, OSError):
        message = f"must be a whole number of seconds since 1970-01-01, got {text[:40]!r}"
        raise VisitsError([Problem(path="SOURCE_DATE_EPOCH", message=message)]) from None


def warn_provisional(items: Iterable[T], calendar: WorkCalendar | None) -> Iterator[T]:
    """The items, unchanged; once they are all through, a warning if some rest on a provisional calendar."""
    count, years = 0, set[int]()  # counted, not kept: a streamed plan may have millions
    for item in items:
        o = item.obligation if isinstance(item, Assigned) else item
        if isinstance(o, Obligation) and o.provisional:
            count += 1
            years.update((o.due.year, (o.adjustment.nominal if o.adjustment else o.due).year))
        yield item
    provisional_warning(count, years, calendar)


def warn_provisional_columns(batches: Iterable[Batch], calendar: WorkCalendar | None) -> Iterator[Batch]:
    """:func:`warn_provisional` of a plan made in columns: each batch is a ``(PlanColumns, assignments)`` pair."""
    import numpy as np

    count, years = 0, set[int]()
    for batch in batches:
        rows = batch[0]
        provisional = rows.calendar == 2
        if provisional.any():
            count += int(provisional.sum())
            due = rows.due[provisional]
            years.update((due.astype("datetime64[Y]").astype(np.int64) + 1970).tolist())
            moved = rows.adjustment[provisional]
            years.update(rows.adjustments[a].nominal.year for a in set(moved[moved >= 0].tolist()))
        yield batch
    provisional_warning(count, years, calendar)


def provisional_warning(count: int, years: Iterable[int], calendar: WorkCalendar | None) -> None:
    """Say on stderr how many of the output's obligations assume Monday to Friday, and in which years."""
    if calendar is not None:
        years = {y for y in years if not calendar.is_official(y)}
    if count and calendar is not None:
        print(
            f"visits: warning: {calendar.name} has no official holiday schedule for "
            f"{', '.join(map(str, sorted(years)))}; {count} obligations assume Monday to Friday there "
            '(marked calendar: "provisional"). Add the schedule with --calendar when it is published.',
            file=sys.stderr,
        )


def _parquet_writer() -> Any:
    """:mod:`visits.io.parquet`, or a usage problem, before any work is done, if pyarrow is not installed."""
    from visits.io import parquet

    try:
        import pyarrow.parquet  # noqa: F401  (is it there?)
    except ImportError:
        raise UsageError(parquet.PARQUET_MISSING) from None
    return parquet


def write_columns_parquet(batches: Iterable[Batch], output: str, *, units: bool) -> None:
    """A plan made in columns (``(PlanColumns, assignments)`` pairs) as a Parquet file, whole or not at all."""
    parquet = _parquet_writer()
    write_atomically_with(output, lambda sink: parquet.columns_to_parquet(batches, sink, units=units))


def write_report_parquet(report: Report, output: str) -> None:
    """A status report's rows (its CSV's) as a Parquet file, whole or not at all."""
    parquet = _parquet_writer()
    write_atomically_with(output, lambda sink: parquet.report_to_parquet(report, _GROUP_COLUMNS, sink))
