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

The counts per group over these states are in :mod:`visits.core.compliance`.

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
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter

import attrs

from visits.core.assign import Assigned, Eligibility, OrgIndex
from visits.core.community import Circumstance, Horizon, Household, Visit
from visits.core.organisation import Organisation
from visits.core.periods import ONE_DAY
from visits.core.planner import Obligation, plan
from visits.core.rules import Rulebook
from visits.core.vocabulary import Vocabulary
from visits.core.workdays import WorkCalendar

__all__ = [
    "Matching",
    "Reason",
    "State",
    "Status",
    "Unmatched",
    "by_date",
    "cancelled",
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
    """A record that satisfies nothing, and why.

    ``rules`` are the ids of the rules it was held against (outside their
    windows, or a visitor they do not allow); ``met_by`` the records that had
    already met what it fits.  :func:`visits.unmatched_detail` says it in a
    sentence.
    """

    record: Visit
    reason: Reason
    rules: tuple[str, ...] = ()
    met_by: tuple[str, ...] = ()


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
    vocabulary: Vocabulary,
    *,
    index: OrgIndex | None = None,
) -> Matching:
    """Match records to (assigned) obligations; see the module documentation.

    ``vocabulary`` (the rulebook's) gives the levels and roles.  ``index``
    may pass the lookups already built for :func:`~visits.core.assign.assign`.
    """
    records = by_date(visits)
    if organisation is None:
        return Matching(
            met={},
            matched={},
            unmatched=tuple(Unmatched(record=v, reason=Reason.NO_ORGANISATION) for v in records),
        )
    eligibility = Eligibility(index or OrgIndex(organisation, buildings, vocabulary))
    candidates = _Candidates(assigned)
    met: dict[str, Visit] = {}
    matched: dict[str, tuple[str, ...]] = {}
    unmatched: list[Unmatched] = []
    for visit in records:
        found = _fit(visit, candidates, eligibility, met)
        if isinstance(found, Unmatched):
            unmatched.append(found)
            continue
        for key in found:
            met[key] = visit
        matched[visit.id] = found
    return Matching(met=met, matched=matched, unmatched=tuple(unmatched))


def by_date(visits: Iterable[Visit]) -> list[Visit]:
    """Records in the order they are matched: by date, then id (two stable sorts, faster than one by the pair)."""
    return sorted(sorted(visits, key=attrgetter("id")), key=attrgetter("date"))


#: Where a record was made and what it did: (household, unit, action), one of the first two None.
_Where = tuple[str | None, str | None, str]


class _Candidates:
    """The assigned obligations of each (household, unit, action), by window start, to find those holding a day."""

    def __init__(self, assigned: Iterable[Assigned]) -> None:
        self.asking: dict[_Where, list[Assigned]] = defaultdict(list)
        for item in assigned:
            o = item.obligation
            self.asking[o.household, o.unit, o.rule.action].append(item)
        # Windows by start, and the longest window, to find those holding a day by bisection.
        self._starts: dict[_Where, list[dt.date]] = {}
        self._longest: dict[_Where, dt.timedelta] = {}
        for pair, items in self.asking.items():
            items.sort(key=_start)
            self._starts[pair] = [a.obligation.start for a in items]
            self._longest[pair] = max([a.obligation.end - a.obligation.start for a in items])

    def holding(self, visit: Visit) -> list[Assigned]:
        """The obligations asking for the visit's action at its household whose window holds its date."""
        where = (visit.household, visit.unit, visit.action)
        first = bisect.bisect_left(self._starts[where], visit.date - self._longest[where])
        last = bisect.bisect_right(self._starts[where], visit.date)
        return [a for a in self.asking[where][first:last] if visit.date <= a.obligation.end]


def _fit(
    visit: Visit, candidates: _Candidates, eligibility: Eligibility, met: Mapping[str, Visit]
) -> tuple[str, ...] | Unmatched:
    """The keys of the obligations a record meets (one per rule), or why it meets none."""
    asked = candidates.asking.get((visit.household, visit.unit, visit.action))
    if not asked:
        return Unmatched(record=visit, reason=Reason.NO_ACTION)
    in_window = candidates.holding(visit)
    if not in_window:
        rules = tuple(sorted({a.obligation.rule.id for a in asked}))
        return Unmatched(record=visit, reason=Reason.OUTSIDE_WINDOW, rules=rules)
    person, subject = visit.person, (visit.household, visit.unit)
    allowed = [
        a
        for a in in_window
        if person == a.assignment.assignee or person in eligibility.people(subject, a.obligation.rule.roles)
    ]
    if not allowed:
        rules = tuple(sorted({a.obligation.rule.id for a in in_window}))
        return Unmatched(record=visit, reason=Reason.NOT_ELIGIBLE, rules=rules)
    if len(allowed) == 1 and allowed[0].obligation.key not in met:  # the common case
        return (allowed[0].obligation.key,)
    best: dict[str, Assigned] = {}
    for a in allowed:
        if a.obligation.key in met:
            continue
        rule_id = a.obligation.rule.id
        if rule_id not in best or _preference(a, visit) < _preference(best[rule_id], visit):
            best[rule_id] = a
    if not best:
        by = tuple(sorted({met[a.obligation.key].id for a in allowed}))
        return Unmatched(record=visit, reason=Reason.ALREADY_MET, met_by=by)
    return tuple(sorted(a.obligation.key for a in best.values()))


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
    ended: dict[tuple[str | None, object, dt.date], Circumstance] = {}
    for household in homes:
        ordered = sorted(household.circumstances, key=attrgetter("start"))
        longer = []
        for i, c in enumerate(ordered):
            if c.end is None:
                continue
            later = [n for n in ordered[i + 1 :] if n.category == c.category]
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


@attrs.frozen(kw_only=True)
class Status:
    """One obligation's state as of ``as_of``, with what explains it (:func:`visits.explain` says it in words)."""

    obligation: Obligation
    state: State
    as_of: dt.date
    assignee: str | None = None
    record: Visit | None = None  # the record that met it
    late: bool = False
    ended: dt.date | None = None  # for cancelled: when the circumstance ended


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
            obligation=o, state=state, as_of=as_of, assignee=item.assignee, record=visit, late=visit.date > o.due
        )
    return Status(obligation=o, state=state, as_of=as_of, assignee=item.assignee)
