"""Obligations as JSON, JSON Lines and CSV text (the data contract).

The field names below are a contract with other services: never rename one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from visits.core.assign import Assigned, Assignment
from visits.core.planner import Obligation
from visits.core.workdays import Adjustment

__all__ = [
    "CSV_FIELDS",
    "FIELDS",
    "adjustment_to_dict",
    "assignment_to_dict",
    "obligation_to_dict",
    "to_csv",
    "to_json",
    "to_jsonl",
]

#: The fields of an exported obligation, in order.
FIELDS = (
    "key",
    "household",
    "rule",
    "role",
    "roles",
    "action",
    "start",
    "end",
    "due",
    "category",
    "event",
    "anchor",
    "assignee",
    "assignment",
    "calendar",
    "due_adjusted",
)
#: The CSV columns: the fields above, with the assignment and the due-date
#: adjustment spread over columns.
CSV_FIELDS = (
    *FIELDS[: FIELDS.index("assignment")],
    "assigned_role",
    "assigned_unit",
    "assigned_rank",
    "substitute",
    "assignment_note",
    "skipped",
    "calendar",
    "due_adjusted_from",
    "due_adjusted_reason",
    "due_adjusted_name",
)

Item = Obligation | Assigned


def assignment_to_dict(assignment: Assignment) -> dict[str, Any]:
    """The contract form of an assignment explanation."""
    return {
        "role": None if assignment.role is None else assignment.role.value,
        "unit": assignment.unit,
        "rank": assignment.rank,
        "substitute": assignment.substitute,
        "note": assignment.note,
        "skipped": [{"person": s.person, "reason": s.reason} for s in assignment.skipped],
    }


def adjustment_to_dict(adjustment: Adjustment | None) -> dict[str, Any] | None:
    """The contract form of a due-date adjustment: the date it was moved from, and why."""
    if adjustment is None:
        return None
    return {"from": adjustment.nominal.isoformat(), "reason": adjustment.reason.value, "name": adjustment.name}


def obligation_to_dict(item: Item) -> dict[str, Any]:
    """The contract form of one obligation (ISO dates, enum values as strings).

    ``assignee`` and ``assignment`` are null for an obligation that was not
    assigned (a community file without an organisation).  ``calendar`` is
    null for rules that count calendar days, else ``official`` or
    ``provisional``; ``due_adjusted`` is null unless a working-day rule moved
    the due date (or found no working day to move it to).
    """
    if isinstance(item, Assigned):
        obligation, assignment = item.obligation, item.assignment
    else:
        obligation, assignment = item, None
    rule = obligation.rule
    category = rule.category
    return {
        "key": obligation.key,
        "household": obligation.household,
        "rule": rule.id,
        "role": rule.role.value,
        "roles": [r.value for r in rule.roles],
        "action": rule.action.value,
        "start": obligation.start.isoformat(),
        "end": obligation.end.isoformat(),
        "due": obligation.due.isoformat(),
        "category": None if category is None else category.value,
        "event": obligation.event,
        "anchor": obligation.anchor.isoformat(),
        "assignee": None if assignment is None else assignment.assignee,
        "assignment": None if assignment is None else assignment_to_dict(assignment),
        "calendar": obligation.calendar,
        "due_adjusted": adjustment_to_dict(obligation.adjustment),
    }


def _dumps(obligation: Item) -> str:
    return json.dumps(obligation_to_dict(obligation), ensure_ascii=False)


def to_json(obligations: Iterable[Item]) -> Iterator[str]:
    """A JSON array, one obligation per line, produced piece by piece."""
    yield "["
    separator = "\n"
    for obligation in obligations:
        yield separator + _dumps(obligation)
        separator = ",\n"
    yield "\n]\n" if separator != "\n" else "]\n"


def to_jsonl(obligations: Iterable[Item]) -> Iterator[str]:
    """One JSON object per line."""
    for obligation in obligations:
        yield _dumps(obligation) + "\n"


#: A cell starting with one of these could run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Neutralise a spreadsheet formula by prefixing an apostrophe.

    >>> safe_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("H1")
    'H1'
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_row(item: Item) -> dict[str, Any]:
    row = obligation_to_dict(item)
    row["roles"] = "|".join(row["roles"])
    assignment = row.pop("assignment") or {}
    row["assigned_role"] = assignment.get("role")
    row["assigned_unit"] = assignment.get("unit")
    rank = assignment.get("rank")
    row["assigned_rank"] = None if rank is None else str(rank)
    substitute = assignment.get("substitute")
    row["substitute"] = None if substitute is None else ("yes" if substitute else "no")
    row["assignment_note"] = assignment.get("note")
    row["skipped"] = "; ".join(f"{s['person']} {s['reason']}" for s in assignment.get("skipped", ()))
    adjusted = row.pop("due_adjusted") or {}
    row["due_adjusted_from"] = adjusted.get("from")
    row["due_adjusted_reason"] = adjusted.get("reason")
    row["due_adjusted_name"] = adjusted.get("name")
    return row


def to_csv(obligations: Iterable[Item]) -> Iterator[str]:
    """CSV with a header row; roles joined by ``|``; cells made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for obligation in obligations:
        row = _csv_row(obligation)
        writer.writerow([safe_cell(row[f]) if row[f] is not None else "" for f in CSV_FIELDS])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
