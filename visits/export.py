"""Obligations as JSON, JSON Lines and CSV text (the data contract).

The field names below are a contract with other services: never rename one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from visits.planner import Obligation

__all__ = ["FIELDS", "obligation_to_dict", "to_csv", "to_json", "to_jsonl"]

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
)


def obligation_to_dict(obligation: Obligation) -> dict[str, Any]:
    """The contract form of one obligation (ISO dates, enum values as strings)."""
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
    }


def _dumps(obligation: Obligation) -> str:
    return json.dumps(obligation_to_dict(obligation), ensure_ascii=False)


def to_json(obligations: Iterable[Obligation]) -> Iterator[str]:
    """A JSON array, one obligation per line, produced piece by piece."""
    yield "["
    separator = "\n"
    for obligation in obligations:
        yield separator + _dumps(obligation)
        separator = ",\n"
    yield "\n]\n" if separator != "\n" else "]\n"


def to_jsonl(obligations: Iterable[Obligation]) -> Iterator[str]:
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


def to_csv(obligations: Iterable[Obligation]) -> Iterator[str]:
    """CSV with a header row; roles joined by ``|``; cells made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for obligation in obligations:
        row = obligation_to_dict(obligation)
        row["roles"] = "|".join(row["roles"])
        writer.writerow([safe_cell(row[f]) if row[f] is not None else "" for f in FIELDS])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
