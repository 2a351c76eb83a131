"""The status report as JSON-ready data: counts per group, the listed items with their explanations in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from visits.core.compliance import Group, Report
from visits.core.ledger import Status
from visits.io.serialise import obligation_to_dict, unmatched_detail
from visits.render.labels import explain

__all__ = ["group_to_dict", "report_to_dict", "status_to_dict"]


def group_to_dict(group: Group) -> dict[str, Any]:
    """One group's counts and rate."""
    return {
        "name": group.name,
        "total": group.total,
        "due": group.due,
        "met": group.met,
        "met_due": group.met_due,
        "late": group.late,
        "overdue": group.overdue,
        "missed": group.missed,
        "open": group.open,
        "upcoming": group.upcoming,
        "cancelled": group.cancelled,
        "rate": group.rate,
    }


def status_to_dict(status: Status, names: Mapping[str, str]) -> dict[str, Any]:
    """One status: the obligation (contract fields), its state, record and explanations."""
    out = obligation_to_dict(status.obligation)
    out.pop("assignment")
    out["assignee"] = status.assignee
    out.update(
        {
            "state": status.state.value,
            "as_of": status.as_of.isoformat(),
            "record": None if status.record is None else status.record.id,
            "late": status.late,
            "explanation": {"zh": explain(status, "zh", names), "en": explain(status, "en", names)},
        }
    )
    return out


def report_to_dict(report: Report, names: Mapping[str, str]) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "groups": [group_to_dict(g) for g in report.groups],
        "overall": group_to_dict(report.overall),
        "overdue": [status_to_dict(s, names) for s in report.overdue],
        "missed": [status_to_dict(s, names) for s in report.missed],
        "unmatched": [
            {
                "record": u.record.id,
                "household": u.record.household,
                **({"unit": u.record.unit} if u.record.unit is not None else {}),
                "person": u.record.person,
                "date": u.record.date.isoformat(),
                "action": u.record.action,
                "reason": u.reason.value,
                "detail": unmatched_detail(u),
            }
            for u in report.unmatched
        ],
    }
