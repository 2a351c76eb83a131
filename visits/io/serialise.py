"""Obligations as JSON, JSON Lines and CSV text (the data contract).

The field names below are a contract with other services: never rename one.
So are the English sentences the contract carries (an assignment's ``note``,
a skipped person's ``reason``, an unmatched record's ``detail``): the core
gives codes and ids, and :func:`assignment_note`, :func:`skip_reason` and
:func:`unmatched_detail` make the sentences, here and nowhere else.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from visits.core.assign import Assigned, Assignment, Choice, Skip
from visits.core.ledger import Reason, Unmatched
from visits.core.planner import Obligation
from visits.core.workdays import Adjustment

__all__ = [
    "CSV_FIELDS",
    "FIELDS",
    "adjustment_to_dict",
    "assignment_note",
    "assignment_to_dict",
    "flat_row",
    "obligation_to_dict",
    "skip_reason",
    "to_csv",
    "to_json",
    "to_jsonl",
    "unmatched_detail",
    "written",
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


#: The sentence of each way nobody could take an obligation.
_NOBODY = {
    Choice.NO_ORGANISATION: "no organisation in the community file",
    Choice.NO_BUILDING: "household has no building in the unit tree",
    Choice.NO_HOLDER: "no one holds any of the roles that could take it",
    Choice.ALL_ABSENT: "everyone who could take it is absent for the whole window",
}


def assignment_note(assignment: Assignment) -> str:
    """How an assignment was reached, in English; empty for a first choice.

    >>> assignment_note(Assignment(assignee="P2", choice=Choice.NEXT_IN_LINE, role="group_leader",
    ...                            unit="B1", rank=2, substitute=True))
    'next in line at B1 (rank 2)'
    """
    choice = assignment.choice
    if choice is Choice.FIRST:
        return ""
    if choice is Choice.UNKNOWN_BUILDING:
        return f"unknown building {assignment.building!r}"
    if choice in _NOBODY:
        return _NOBODY[choice]
    role = assignment.role or ""
    where = assignment.unit or "the household's linked people"
    missing = "" if assignment.missing is None else f"no {assignment.missing} for it; "
    if choice is Choice.ESCALATED:
        return f"{missing}escalated to {role} at {where}"
    if choice is Choice.OTHER_ROLE:
        return f"{missing}taken by another accepted role: {role} at {where}"
    if choice is Choice.SAME_RANK:
        return f"another of the rank {assignment.rank} {role}s at {where}"
    return f"next in line at {where} (rank {assignment.rank})"


def skip_reason(skip: Skip) -> str:
    """Why a person was passed over, in English (``absent 2026-12-01..2026-12-31``)."""
    return f"absent {skip.start}..{skip.end}"


def unmatched_detail(unmatched: Unmatched) -> str:
    """Why a record met nothing, in one English sentence."""
    record = unmatched.record
    rules = ", ".join(unmatched.rules)
    return {
        Reason.NO_ORGANISATION: "no organisation in the community file, so the visitor's role cannot be checked",
        Reason.NO_ACTION: f"no obligation at {record.subject} asks for {record.action!r}",
        Reason.OUTSIDE_WINDOW: f"{record.date} is outside every window of {rules} at {record.subject}",
        Reason.NOT_ELIGIBLE: f"{record.person} may not fulfil {rules} at {record.subject}",
        Reason.ALREADY_MET: f"what it fits was already met by {', '.join(unmatched.met_by)}",
    }[unmatched.reason]


def assignment_to_dict(assignment: Assignment) -> dict[str, Any]:
    """The contract form of an assignment explanation."""
    return {
        "role": assignment.role,
        "unit": assignment.unit,
        "rank": assignment.rank,
        "substitute": assignment.substitute,
        "note": assignment_note(assignment),
        "skipped": [{"person": s.person, "reason": skip_reason(s)} for s in assignment.skipped],
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
    the due date (or found no working day to move it to).  A unit's duty has
    ``household`` null and one more field, ``unit``, last; no other
    obligation has it.
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
        "role": rule.role,
        "roles": list(rule.roles),
        "action": rule.action,
        "start": obligation.start.isoformat(),
        "end": obligation.end.isoformat(),
        "due": obligation.due.isoformat(),
        "category": category,
        "event": obligation.event,
        "anchor": obligation.anchor.isoformat(),
        "assignee": None if assignment is None else assignment.assignee,
        "assignment": None if assignment is None else assignment_to_dict(assignment),
        "calendar": obligation.calendar,
        "due_adjusted": adjustment_to_dict(obligation.adjustment),
        **({"unit": obligation.unit} if obligation.unit is not None else {}),
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


def flat_row(item: Item) -> dict[str, Any]:
    """One obligation in the columns of the CSV (and Parquet) plan: the assignment and the adjustment flattened.

    Values are as in the contract (``roles`` a list, ``assigned_rank`` a
    number, ``substitute`` a boolean, dates ISO text); ``skipped`` is joined
    into one text.  Each format writes them in its own way.
    """
    row = obligation_to_dict(item)
    assignment = row.pop("assignment") or {}
    row["assigned_role"] = assignment.get("role")
    row["assigned_unit"] = assignment.get("unit")
    row["assigned_rank"] = assignment.get("rank")
    row["substitute"] = assignment.get("substitute")
    row["assignment_note"] = assignment.get("note")
    row["skipped"] = "; ".join(f"{s['person']} {s['reason']}" for s in assignment.get("skipped", ()))
    adjusted = row.pop("due_adjusted") or {}
    row["due_adjusted_from"] = adjusted.get("from")
    row["due_adjusted_reason"] = adjusted.get("reason")
    row["due_adjusted_name"] = adjusted.get("name")
    return row


def _csv_row(item: Item) -> dict[str, Any]:
    """:func:`flat_row` as CSV text: roles joined with ``|``, the rank as digits, the substitute flag yes or no."""
    row = flat_row(item)
    row["roles"] = "|".join(row["roles"])
    rank, substitute = row["assigned_rank"], row["substitute"]
    row["assigned_rank"] = None if rank is None else str(rank)
    row["substitute"] = None if substitute is None else ("yes" if substitute else "no")
    return row


def to_csv(obligations: Iterable[Item], *, units: bool = False) -> Iterator[str]:
    """CSV with a header row; roles joined by ``|``; cells made formula-safe.

    With ``units`` (a rulebook with units' duties) a last column, ``unit``,
    names the unit whose duty a row is (empty for a household's).
    """
    fields = (*CSV_FIELDS, "unit") if units else CSV_FIELDS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for obligation in obligations:
        row = _csv_row(obligation)
        writer.writerow([safe_cell(row[f]) if row.get(f) is not None else "" for f in fields])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def written(fmt: str, obligations: Iterable[Item], *, units: bool = False) -> Iterator[str]:
    """The plan in ``fmt`` (``json``, ``jsonl`` or ``csv``); ``units``: a rulebook with units' duties."""
    if fmt == "csv":
        return to_csv(obligations, units=units)
    if fmt == "jsonl":
        return to_jsonl(obligations)
    if fmt == "json":
        return to_json(obligations)
    raise ValueError(f"unknown plan format {fmt!r} (expected csv, json or jsonl)")
