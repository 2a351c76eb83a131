"""The ledger side: visit records matched to obligations, status as of a date, compliance.

All pure.  Nothing reads a clock: every status is computed *as of* a date the
caller gives, from the records dated on or before it, so any past day can be
replayed.

Matching
    A record satisfies an obligation when the household and action match, the
    record's date lies in the window, and the person holds one of the rule's
    roles at the household's units (or is linked to it in such a role), at
    any rank, or is the obligation's assignee (which is how a documented
    substitute from a higher level counts; see :mod:`visits.core.assign`).  A record satisfies at
    most one obligation of each rule, and an obligation is met by at most one
    record.  Records are taken in date order (then id); for each rule, a record
    goes to the fitting unmet obligation that it was assigned to, else the one
    due first, then the smallest key.  A record that satisfies nothing is
    reported with the first reason that applies: no obligation of the
    household asks for the action; the date is outside every window that
    does; the person may not fulfil any of those; they were already met.

States (as of a date D)
    ``met`` (a record dated on or before D; ``late`` if after the due date),
    ``upcoming`` (D before the window), ``open`` (in the window, not yet due),
    ``overdue`` (past due, window still open), ``missed`` (window closed), and
    ``cancelled`` (the circumstance ended before the window opened; see
    :func:`cancelled`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import attrgetter

import attrs

from visits.core.assign import Assigned, Eligibility, OrgIndex
from visits.core.community import Circumstance, Horizon, Household, Visit
from visits.core.organisation import Organisation
from visits.core.periods import ONE_DAY
from visits.core.planner import Obligation, plan
from visits.core.rules import Rulebook
from visits.core.vocabulary import Action, Language, ReportGrouping
from visits.core.workdays import WorkCalendar

__all__ = [
    "Group",
    "Matching",
    "Reason",
    "Report",
    "Row",
    "State",
    "Status",
    "Tally",
    "Unmatched",
    "cancelled",
    "compliance",
    "counted",
    "match",
    "past_due",
    "state_of",
    "status_of",
    "statuses",
]


class Reason(enum.StrEnum):
    """Why a record satisfies no obligation."""

    NO_ACTION = "no_action"
    OUTSIDE_WINDOW = "outside_window"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_MET = "already_met"
    NO_ORGANISATION = "no_organisation"


@attrs.frozen(kw_only=True)
class Unmatched:
    """A record that satisfies nothing, and why (a reason code and a sentence)."""

    visit: Visit
    reason: Reason
    detail: str


@attrs.frozen(kw_only=True)
class Matching:
    """Which record met which obligation; which records met nothing."""

    met: Mapping[str, Visit]  # obligation key -> record
    matched: Mapping[str, tuple[str, ...]]  # record id -> obligation keys it met
    unmatched: tuple[Unmatched, ...]


def match(
    visits: Iterable[Visit],
    assigned: Iterable[Assigned],
    organisation: Organisation | None,
    buildings: Mapping[str, str | None],
    *,
    index: OrgIndex | None = None,
) -> Matching:
    """Match records to (assigned) obligations; see the module documentation.

    ``index`` may pass the lookups already built for :func:`~visits.core.assign.assign`.
    """
    records = sorted(visits, key=attrgetter("date", "id"))
    if organisation is None:
        reason = "no organisation in the community file, so the visitor's role cannot be checked"
        return Matching(
            met={},
            matched={},
            unmatched=tuple(Unmatched(visit=v, reason=Reason.NO_ORGANISATION, detail=reason) for v in records),
        )
    eligibility = Eligibility(index or OrgIndex(organisation, buildings))
    asking: dict[tuple[str, Action], list[Assigned]] = defaultdict(list)
    for item in assigned:
        asking[item.obligation.household, item.obligation.rule.action].append(item)
    # Windows by start, and the longest window, to find those holding a day by bisection.
    starts: dict[tuple[str, Action], list[dt.date]] = {}
    longest: dict[tuple[str, Action], dt.timedelta] = {}
    for pair, items in asking.items():
        items.sort(key=_start)
        starts[pair] = [a.obligation.start for a in items]
        longest[pair] = max([a.obligation.end - a.obligation.start for a in items])
    met: dict[str, Visit] = {}
    matched: dict[str, tuple[str, ...]] = {}
    unmatched: list[Unmatched] = []
    for visit in records:

        def reject(reason: Reason, detail: str, visit: Visit = visit) -> None:
            unmatched.append(Unmatched(visit=visit, reason=reason, detail=detail))

        candidates = asking.get((visit.household, visit.action))
        if not candidates:
            reject(Reason.NO_ACTION, f"no obligation at {visit.household} asks for {visit.action.value!r}")
            continue
        where = (visit.household, visit.action)
        first = bisect.bisect_left(starts[where], visit.date - longest[where])
        last = bisect.bisect_right(starts[where], visit.date)
        in_window = [a for a in candidates[first:last] if visit.date <= a.obligation.end]
        if not in_window:
            rules = ", ".join(sorted({a.obligation.rule.id for a in candidates}))
            reject(Reason.OUTSIDE_WINDOW, f"{visit.date} is outside every window of {rules} at {visit.household}")
            continue
        person = visit.person
        allowed = [
            a
            for a in in_window
            if person == a.assignment.assignee or person in eligibility.people(visit.household, a.obligation.rule.roles)
        ]
        if not allowed:
            rules = ", ".join(sorted({a.obligation.rule.id for a in in_window}))
            reject(Reason.NOT_ELIGIBLE, f"{visit.person} may not fulfil {rules} at {visit.household}")
            continue
        if len(allowed) == 1 and allowed[0].obligation.key not in met:  # the common case
            only = allowed[0].obligation.key
            met[only] = visit
            matched[visit.id] = (only,)
            continue
        best: dict[str, Assigned] = {}
        for a in allowed:
            if a.obligation.key in met:
                continue
            rule_id = a.obligation.rule.id
            if rule_id not in best or _preference(a, visit) < _preference(best[rule_id], visit):
                best[rule_id] = a
        if not best:
            by = sorted({met[a.obligation.key].id for a in allowed})
            reject(Reason.ALREADY_MET, f"what it fits was already met by {', '.join(by)}")
            continue
        keys = tuple(sorted(a.obligation.key for a in best.values()))
        for key in keys:
            met[key] = visit
        matched[visit.id] = keys
    return Matching(met=met, matched=matched, unmatched=tuple(unmatched))


def _start(item: Assigned) -> dt.date:
    return item.obligation.start


def _preference(item: Assigned, visit: Visit) -> tuple[bool, dt.date, str]:
    return (visit.person != item.assignee, item.obligation.due, item.obligation.key)


# ------------------------------------------------------------------ cancelled


def cancelled(
    rulebook: Rulebook,
    households: Iterable[Household],
    horizon: Horizon,
    planned: Iterable[str],
    *,
    calendar: WorkCalendar | None,
) -> list[tuple[Obligation, Circumstance]]:
    """Obligations a re-plan removed because their circumstance ended before the window opened.

    Each ended circumstance is planned as if it had gone on (until the next
    circumstance of its category, or open); keys that appear only in that
    plan, with windows starting after the real end, are the cancelled ones.
    Keys are stable, so a service can mark them cancelled by key.  ``planned``
    holds the keys of the actual plan (at least those of households with an
    ended circumstance); ``calendar`` is the plan's.
    """
    homes = [h for h in households if any(c.end is not None for c in h.circumstances)]
    actual = set(planned)
    # Only the ended circumstances are planned again, each as if it had gone on.
    extended: list[Household] = []
    ended: dict[tuple[str, object, dt.date], Circumstance] = {}
    for household in homes:
        ordered = sorted(household.circumstances, key=attrgetter("start"))
        longer = []
        for i, c in enumerate(ordered):
            if c.end is None:
                continue
            later = [n for n in ordered[i + 1 :] if n.category is c.category]
            end = later[0].start - ONE_DAY if later else None
            ended[household.id, c.category, c.start] = c
            longer.append(attrs.evolve(c, end=end))
        extended.append(attrs.evolve(household, circumstances=tuple(longer)))
    out = []
    for o in plan(rulebook, extended, (), horizon, calendar=calendar):
        if o.key in actual:
            continue
        circumstance = ended.get((o.household, o.rule.category, o.anchor))
        if circumstance is not None and circumstance.end is not None and o.start > circumstance.end:
            out.append((o, circumstance))
    return out


# -------------------------------------------------------------------- status


class State(enum.StrEnum):
    """Where an obligation stands as of a date."""

    UPCOMING = "upcoming"
    OPEN = "open"
    MET = "met"
    OVERDUE = "overdue"
    MISSED = "missed"
    CANCELLED = "cancelled"


_ZH = {
    State.UPCOMING: "未开始",
    State.OPEN: "待完成",
    State.MET: "已完成",
    State.OVERDUE: "逾期",
    State.MISSED: "未完成",
    State.CANCELLED: "已取消",
}
_CATEGORY_ZH = {
    "hardship": "困难家庭",
    "hospitalized": "住院",
    "unemployed": "失业",
    "released": "刑释解教",
    "elderly_alone": "孤寡老人",
}


@attrs.frozen(kw_only=True)
class Status:
    """One obligation's state as of ``as_of``, with what explains it."""

    obligation: Obligation
    state: State
    as_of: dt.date
    assignee: str | None = None
    visit: Visit | None = None
    late: bool = False
    ended: dt.date | None = None  # for cancelled: when the circumstance ended

    def explain(self, language: Language = "zh", names: Mapping[str, str] | None = None) -> str:
        """A one-line explanation in Chinese (``zh``) or English (``en``)."""
        o, rule = self.obligation, self.obligation.rule
        names = names or {}
        who = names.get(self.assignee, self.assignee) if self.assignee else None
        if language == "en":
            title = rule.title_en or rule.id
            holder = f"assigned to {who}" if who else "nobody assigned"
            text = {
                State.UPCOMING: f"Upcoming: {title}, window opens {o.start}, {holder}",
                State.OPEN: f"Open: {title}, due by {o.due}, {holder}",
                State.OVERDUE: f"Overdue: {title}, due by {o.due}, {holder}",
                State.MISSED: f"Missed: {title}, window {o.start}..{o.end} closed, {holder}",
                State.CANCELLED: f"Cancelled: {title}, the circumstance ended {self.ended}",
            }
            if self.state is State.MET:
                assert self.visit is not None
                visitor = names.get(self.visit.person, self.visit.person)
                late = f", late (due {o.due})" if self.late else ""
                return f"Met: {title}, {self.visit.date} by {visitor} (record {self.visit.id}){late}"
            return text[self.state]
        title = rule.title or rule.id
        holder = f"责任人 {who}" if who else "无责任人"
        if self.state is State.MET:
            assert self.visit is not None
            visitor = names.get(self.visit.person, self.visit.person)
            late = f"，逾期完成（应于{o.due}前）" if self.late else ""
            return f"已完成：{title}，{self.visit.date} 由 {visitor} 完成（记录 {self.visit.id}）{late}"
        if self.state is State.CANCELLED:
            category = _CATEGORY_ZH.get(rule.category.value if rule.category else "", "")
            return f"已取消：{title}，{category}情况已于{self.ended}结束"
        tail = {
            State.UPCOMING: f"自{o.start}起",
            State.OPEN: f"应于{o.due}前完成",
            State.OVERDUE: f"应于{o.due}前完成",
            State.MISSED: f"期限{o.start}至{o.end}已过",
        }[self.state]
        return f"{_ZH[self.state]}：{title}，{tail}，{holder}"


def state_of(obligation: Obligation, visit: Visit | None, as_of: dt.date) -> State:
    """The state of an obligation as of a date, given the record that met it (if any)."""
    if visit is not None and visit.date <= as_of:
        return State.MET
    if as_of < obligation.start:
        return State.UPCOMING
    if as_of <= obligation.due:
        return State.OPEN
    if as_of <= obligation.end:
        return State.OVERDUE
    return State.MISSED


def statuses(
    assigned: Iterable[Assigned],
    matching: Matching,
    as_of: dt.date,
    removed: Iterable[tuple[Obligation, Circumstance]] = (),
) -> Iterator[Status]:
    """The state of each obligation as of ``as_of``, then the cancelled ones.

    Only records dated on or before ``as_of`` count; pass a matching made from
    all records or only those, the result is the same, because records are
    matched in date order.
    """
    for item in assigned:
        yield status_of(item, matching, as_of)
    for o, circumstance in removed:
        yield Status(obligation=o, state=State.CANCELLED, as_of=as_of, ended=circumstance.end)


def past_due(obligation: Obligation, as_of: dt.date) -> bool:
    """Whether the due date came before ``as_of``: such an obligation is met, overdue or missed, never open."""
    return obligation.due < as_of


def status_of(item: Assigned, matching: Matching, as_of: dt.date) -> Status:
    """One assigned obligation's :class:`Status` as of ``as_of``."""
    o = item.obligation
    visit = matching.met.get(o.key)
    state = state_of(o, visit, as_of)
    if state is State.MET:
        assert visit is not None
        return Status(
            obligation=o, state=state, as_of=as_of, assignee=item.assignee, visit=visit, late=visit.date > o.due
        )
    return Status(obligation=o, state=state, as_of=as_of, assignee=item.assignee)


# ---------------------------------------------------------------- compliance


@attrs.frozen(kw_only=True)
class Group:
    """Counts for one group (a unit, a person or a rule).

    ``due`` counts obligations whose due date came before the report date
    (on its due day an obligation is still open); each of those is met,
    overdue or missed, so ``met_due + overdue + missed == due`` on every day,
    and ``rate`` is the met share of them.
    """

    name: str
    total: int = 0
    due: int = 0
    met: int = 0
    met_due: int = 0
    late: int = 0
    overdue: int = 0
    missed: int = 0
    open: int = 0
    upcoming: int = 0
    cancelled: int = 0

    @property
    def rate(self) -> float | None:
        """met_due / due, or None when nothing is due yet."""
        return self.met_due / self.due if self.due else None


@attrs.frozen(kw_only=True)
class Report:
    """A compliance report as data."""

    as_of: dt.date
    by: ReportGrouping
    groups: tuple[Group, ...]
    overall: Group
    overdue: tuple[Status, ...]
    missed: tuple[Status, ...]
    unmatched: tuple[Unmatched, ...]


class Tally:
    """Counts of one group, filled one obligation at a time."""

    _FIELDS = ("total", "due", "met", "met_due", "late", "overdue", "missed", "open", "upcoming", "cancelled")

    def __init__(self) -> None:
        self.counts = dict.fromkeys(self._FIELDS, 0)

    def add(self, state: State, is_due: bool, late: bool, n: int = 1) -> None:
        """Count ``n`` obligations in ``state``; ``is_due``: see :func:`past_due`."""
        counts = self.counts
        if state is State.CANCELLED:
            counts["cancelled"] += n
            return
        counts["total"] += n
        counts["due"] += n * is_due
        counts[state.value] += n
        if state is State.MET:
            counts["met_due"] += n * is_due
            counts["late"] += n * late

    def group(self, name: str) -> Group:
        """The counts as a :class:`Group`."""
        return Group(name=name, **self.counts)


#: One counted obligation: its group, its state, whether it is past due (:func:`past_due`), whether met late.
Row = tuple[str, State, bool, bool]


def compliance(
    found: Iterable[Status],
    as_of: dt.date,
    by: ReportGrouping,
    group_of: Callable[[Status], str],
    unmatched: Iterable[Unmatched] = (),
) -> Report:
    """Counts and rates per group, and the overdue and missed items (oldest due first)."""
    listed: list[Status] = []

    def rows() -> Iterator[Row]:
        for s in found:
            if s.state is State.OVERDUE or s.state is State.MISSED:
                listed.append(s)
            yield group_of(s), s.state, past_due(s.obligation, as_of), s.late

    return counted(rows(), listed, as_of, by, unmatched)


def counted(
    rows: Iterable[Row],
    listed: Iterable[Status],
    as_of: dt.date,
    by: ReportGrouping,
    unmatched: Iterable[Unmatched],
) -> Report:
    """The report from one :data:`Row` per obligation and the overdue and missed statuses.

    :func:`compliance` builds the rows from statuses; the status report
    builds them without a :class:`Status` for every obligation, which is
    faster for a whole community.  Either way the counting is this.
    """
    combinations = Counter(rows)  # drains ``rows`` before ``listed`` is read
    tallies: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for (group, state, is_due, late), n in combinations.items():
        tallies[group].add(state, is_due, late, n)
        overall.add(state, is_due, late, n)
    ordered = sorted(listed, key=lambda s: (s.obligation.due, s.obligation.key))
    return Report(
        as_of=as_of,
        by=by,
        groups=tuple(tallies[name].group(name) for name in sorted(tallies)),
        overall=overall.group("all"),
        overdue=tuple(s for s in ordered if s.state is State.OVERDUE),
        missed=tuple(s for s in ordered if s.state is State.MISSED),
        unmatched=tuple(unmatched),
    )
