"""One call from a community to its compliance report, and the report's JSON form.

Pure composition of the core: plan → assign → match records → status as of a
date → counts per group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from visits.core.assign import Assigned, Assignment, OrgIndex, assign
from visits.core.community import Community, Horizon
from visits.core.ledger import (
    Group,
    Report,
    State,
    Status,
    Tally,
    cancelled,
    make_report,
    match,
    past_due,
    state_of,
    status_of,
)
from visits.core.organisation import Level, Organisation
from visits.core.planner import Obligation, plan
from visits.core.rules import Rulebook
from visits.core.workdays import WorkCalendar
from visits.io.serialise import obligation_to_dict

__all__ = ["GROUPINGS", "assigned_plan", "report_to_dict", "status_report"]

GROUPINGS = ("unit", "person", "rule")
_NO_ORGANISATION = Assignment(assignee=None, note="no organisation in the community file")


def assigned_plan(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    index: OrgIndex | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> Iterator[Assigned]:
    """The plan with assignees (none, with a note, if the community has no organisation)."""
    obligations = plan(rulebook, community.households, community.events, horizon, calendar=calendar)
    if community.organisation is None:
        return (Assigned(obligation=o, assignment=_NO_ORGANISATION) for o in obligations)
    buildings = {h.id: h.building for h in community.households}
    return assign(obligations, community.organisation, buildings, index=index)


def _estates(organisation: Organisation | None, community: Community) -> dict[str, str]:
    """Household id -> the estate (苑区) its building belongs to."""
    if organisation is None:
        return {}
    parent = {u.id: u.parent for u in organisation.units}
    level = {u.id: u.level for u in organisation.units}
    out = {}
    for household in community.households:
        unit = household.building
        while unit is not None and level.get(unit) not in (Level.ESTATE, None):
            unit = parent.get(unit)
        if unit is not None and level.get(unit) is Level.ESTATE:
            out[household.id] = unit
    return out


def status_report(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    as_of: dt.date,
    by: str = "rule",
    *,
    calendar: WorkCalendar | None = None,
) -> Report:
    """The compliance report of ``community`` for obligations in ``horizon``, as of ``as_of``.

    ``by`` groups by ``rule``, ``person`` (the assignee) or ``unit`` (the
    household's estate).  Only records dated on or before ``as_of`` count.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, got {by!r}")
    buildings = {h.id: h.building for h in community.households}
    index = None if community.organisation is None else OrgIndex(community.organisation, buildings)
    assigned = list(assigned_plan(rulebook, community, horizon, index, calendar=calendar))
    records = [v for v in community.visits if v.date <= as_of]
    matching = match(records, assigned, community.organisation, buildings, index=index)
    keys = (a.obligation.key for a in assigned)
    removed = cancelled(rulebook, community.households, horizon, keys, calendar=calendar)
    estates = _estates(community.organisation, community)
    group_of: Callable[[Obligation, str | None], str] = {
        "rule": lambda o, _: o.rule.id,
        "person": lambda _, assignee: assignee or "(nobody)",
        "unit": lambda o, _: estates.get(o.household, "(no unit)"),
    }[by]
    # Count (group, state, due, late) combinations directly; build Status
    # objects only for the items the report lists.
    counts: Counter[tuple[str, State, bool, bool]] = Counter()
    listed: list[Status] = []
    met = matching.met
    for item in assigned:
        o = item.obligation
        visit = met.get(o.key)
        state = state_of(o, visit, as_of)
        late = state is State.MET and visit is not None and visit.date > o.due
        counts[group_of(o, item.assignment.assignee), state, past_due(o, as_of), late] += 1
        if state is State.OVERDUE or state is State.MISSED:
            listed.append(status_of(item, matching, as_of))
    for o, _circumstance in removed:
        counts[group_of(o, None), State.CANCELLED, False, False] += 1
    tallies: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for (group, state, is_due, late), n in counts.items():
        tallies[group].add(state, is_due, late, n)
        overall.add(state, is_due, late, n)
    return make_report(as_of, by, tallies, overall, listed, matching.unmatched)


def _group_to_dict(group: Group) -> dict[str, Any]:
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
            "record": None if status.visit is None else status.visit.id,
            "late": status.late,
            "explanation": {"zh": status.explain("zh", names), "en": status.explain("en", names)},
        }
    )
    return out


def report_to_dict(report: Report, names: Mapping[str, str]) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "groups": [_group_to_dict(g) for g in report.groups],
        "overall": _group_to_dict(report.overall),
        "overdue": [status_to_dict(s, names) for s in report.overdue],
        "missed": [status_to_dict(s, names) for s in report.missed],
        "unmatched": [
            {
                "record": u.visit.id,
                "household": u.visit.household,
                "person": u.visit.person,
                "date": u.visit.date.isoformat(),
                "action": u.visit.action.value,
                "reason": u.reason.value,
                "detail": u.detail,
            }
            for u in report.unmatched
        ],
    }
