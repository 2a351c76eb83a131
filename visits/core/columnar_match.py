"""Visit records matched to the columnar planner's rows, as :func:`visits.core.ledger.match` matches objects.

The rules are the ledger's (see :mod:`visits.core.ledger`); only the way of
finding them differs.  The rows asking for each (subject, action) are sorted
by window start once, and every record's candidates (the rows whose window
holds its date) are found for all records at once by binary search, with the
longest window of each (subject, action) bounding how far back to look.
Whether the person may fulfil a candidate is a comparison with its assignee,
and a set lookup only for those who are not.

What is left is the order: a record meets what no earlier record met.  A
record with one allowed candidate that no other record is allowed for cannot
be affected by any other, so those are matched together; only the records
that share a candidate, or have several, are taken one by one in date order,
as ``match`` takes them all.  :meth:`MatchColumns.matching` is a view as a
:class:`~visits.core.ledger.Matching`, held equal to ``match`` by a property
test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat

import attrs
import numpy as np
import numpy.typing as npt

from visits.core.assign import Eligibility, OrgIndex
from visits.core.columnar import EPOCH, PlanColumns
from visits.core.columnar_assign import AssignmentColumns
from visits.core.community import Visit
from visits.core.ledger import Matching, Reason, Unmatched, by_date
from visits.core.organisation import Organisation
from visits.core.vocabulary import Vocabulary

__all__ = ["DAYS", "MatchColumns", "match_columns", "take_rows"]

Ints = npt.NDArray[np.int64]
#: Room for every day as an ordinal (up to 9999-12-31) beside another number in one int64.
DAYS = 1 << 22


@attrs.frozen(eq=False)
class MatchColumns:
    """Which record met each row of ``plan``: ``records[met[i]]`` (``met[i] == -1``: none); what met nothing.

    ``days`` holds each record's date as days since 1970-01-01, read once for the matching.
    """

    plan: PlanColumns
    records: tuple[Visit, ...]  # by date, then id
    met: Ints
    unmatched: tuple[Unmatched, ...]
    days: Ints

    def matching(self) -> Matching:
        """The same as a :class:`~visits.core.ledger.Matching`, equal to what ``match`` gives."""
        keys = self.plan.keys()
        records = self.records
        met: dict[str, Visit] = {}
        of_record: dict[int, list[str]] = {}
        for row in np.flatnonzero(self.met >= 0).tolist():
            position = int(self.met[row])
            met[keys[row]] = records[position]
            of_record.setdefault(position, []).append(keys[row])
        matched = {records[p].id: tuple(sorted(found)) for p, found in sorted(of_record.items())}
        return Matching(met=met, matched=matched, unmatched=self.unmatched)


def take_rows(plan: PlanColumns, rows: Ints, subjects: int | None = None) -> PlanColumns:
    """Rows ``rows`` of ``plan``, in that order; ``subjects`` keeps only that many subjects (the rows use no more)."""
    return attrs.evolve(
        plan,
        subjects=plan.subjects if subjects is None else plan.subjects[:subjects],
        subject=plan.subject[rows],
        rule=plan.rule[rows],
        start=plan.start[rows],
        end=plan.end[rows],
        due=plan.due[rows],
        anchor=plan.anchor[rows],
        period=plan.period[rows],
        event=plan.event[rows],
        calendar=plan.calendar[rows],
        adjustment=plan.adjustment[rows],
    )


@attrs.frozen(eq=False)
class _Windows:
    """The plan's rows sorted by (subject, action), then window start, to find those holding a day."""

    order: Ints  # plan row of each sorted position
    code: Ints  # (subject, action) number * DAYS + start ordinal
    end: Ints  # end ordinal
    groups: Ints  # the distinct (subject, action) numbers
    first: Ints  # where each group begins among the sorted rows (and, last, their count)
    longest: Ints  # each group's longest window, in days

    @classmethod
    def of(cls, group: Ints, start: Ints, end: Ints) -> _Windows:
        order = np.lexsort((start, group))
        group, start, end = group[order], start[order], end[order]
        groups, first = np.unique(group, return_index=True)
        longest = np.maximum.reduceat(end - start, first) if len(first) else np.zeros(0, dtype=np.int64)
        return cls(order, group * DAYS + start, end, groups, np.append(first, len(order)), longest)

    def find(self, group: Ints, day: Ints) -> tuple[Ints, Ints, Ints]:
        """For each (group, day): its group's place (-1: no such group), and the pairs (which one, row) holding it."""
        place = np.searchsorted(self.groups, group)
        inside = np.minimum(place, max(len(self.groups) - 1, 0))
        known = (group >= 0) & (place < len(self.groups))
        if len(self.groups):
            known &= self.groups[inside] == group
        place = np.where(known, place, -1)
        asking = np.flatnonzero(known)
        base = group[asking] * DAYS
        low = np.searchsorted(self.code, base + np.maximum(day[asking] - self.longest[place[asking]], 0))
        high = np.searchsorted(self.code, base + day[asking], side="right")
        count = high - low
        which = np.repeat(asking, count)
        sorted_at = low[np.repeat(np.arange(len(asking)), count)] + (
            np.arange(len(which), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        )
        holds = self.end[sorted_at] >= day[which]
        return place, which[holds], self.order[sorted_at[holds]]

    def rows_of(self, place: int) -> Ints:
        """The plan rows of the group at ``place``."""
        return self.order[self.first[place] : self.first[place + 1]]


def match_columns(
    plan: PlanColumns,
    assignment: AssignmentColumns,
    visits: Iterable[Visit],
    organisation: Organisation | None,
    buildings: Mapping[str, str | None],
    vocabulary: Vocabulary,
    *,
    index: OrgIndex | None = None,
) -> MatchColumns:
    """Match records to the rows of ``plan``, assigned by ``assignment``, as ``match`` does to objects."""
    records = tuple(by_date(visits))
    met = np.full(len(plan), -1, dtype=np.int64)
    if organisation is None:
        unmatched = tuple(Unmatched(record=v, reason=Reason.NO_ORGANISATION) for v in records)
        days = np.fromiter((v.date.toordinal() - EPOCH for v in records), np.int64, len(records))
        return MatchColumns(plan=plan, records=records, met=met, unmatched=unmatched, days=days)
    eligibility = Eligibility(index or OrgIndex(organisation, buildings, vocabulary))
    rules = plan.rulebook.rules
    actions: dict[str, int] = {}
    rule_action = np.array([actions.setdefault(r.action, len(actions)) for r in rules], dtype=np.int64)
    width = max(len(actions), 1)
    windows = _Windows.of(
        plan.subject * width + rule_action[plan.rule],
        plan.start.astype(np.int64) + EPOCH,
        plan.end.astype(np.int64) + EPOCH,
    )
    people: dict[str | None, int] = {None: -1}
    group, day, person = _record_columns(plan, records, actions, people)
    place, which, row = windows.find(group, day)
    assignee = np.array([people.setdefault(a.assignee, len(people)) for a in assignment.choices], dtype=np.int64)
    by_assignee = person[which] == assignee[assignment.choice[row]]
    allowed = by_assignee.copy()
    others = np.flatnonzero(~by_assignee)
    allowed[others] = _may(plan, eligibility, [records[n].person for n in which[others].tolist()], row[others])
    reasons = _Unmatched(plan, records, windows, place)
    reasons.without_candidates(which, row, allowed)
    _claim(plan, records, which[allowed], row[allowed], by_assignee[allowed], met, reasons)
    return MatchColumns(plan=plan, records=records, met=met, unmatched=reasons.found(), days=day - EPOCH)


def _record_columns(
    plan: PlanColumns, records: Sequence[Visit], actions: Mapping[str, int], people: dict[str | None, int]
) -> tuple[Ints, Ints, Ints]:
    """Each record's (subject, action) number as the rows number theirs (-1: no row asks it), day, and person.

    ``people`` numbers the persons, adding those not in it yet.  The lookups
    run in ``map`` over lists of one field each, the fastest way to read
    attributes of many objects.
    """
    count = len(records)
    homes: dict[str | None, int] = {plan.subjects[s]: s for s in range(plan.unit_count, len(plan.subjects))}
    subject = np.fromiter(map(homes.get, [v.household for v in records], repeat(-1)), np.int64, count)
    units = {plan.subjects[s]: s for s in range(plan.unit_count)}
    for n in np.flatnonzero(subject < 0).tolist():  # records of a unit's duty, and of households with no rows
        unit = records[n].unit
        if unit is not None:
            subject[n] = units.get(unit, -1)
    action = np.fromiter(map(actions.get, [v.action for v in records], repeat(-1)), np.int64, count)
    width = max(len(actions), 1)
    group = np.where((subject >= 0) & (action >= 0), subject * width + action, -1)
    day = np.fromiter(map(dt.date.toordinal, [v.date for v in records]), np.int64, count)
    persons = [v.person for v in records]
    first = len(people)
    people.update((p, first + n) for n, p in enumerate(dict.fromkeys(p for p in persons if p not in people)))
    return group, day, np.fromiter(map(people.__getitem__, persons), np.int64, count)


def _may(plan: PlanColumns, eligibility: Eligibility, people: Sequence[str], rows: Ints) -> list[bool]:
    """Whether each person holds one of their row's rule's roles for its subject."""
    rules, subjects, units = plan.rulebook.rules, plan.subjects, plan.unit_count
    holders: dict[tuple[int, int], frozenset[str]] = {}
    out = []
    for person, s, r in zip(people, plan.subject[rows].tolist(), plan.rule[rows].tolist(), strict=True):
        found = holders.get((s, r))
        if found is None:
            ident = subjects[s]
            subject = (None, ident) if s < units else (ident, None)
            found = holders[s, r] = eligibility.people(subject, rules[r].roles)
        out.append(person in found)
    return out


class _Unmatched:
    """The records that meet nothing, with the first reason that applies, kept in record order."""

    def __init__(self, plan: PlanColumns, records: Sequence[Visit], windows: _Windows, place: Ints) -> None:
        self._plan, self._records, self._windows, self._place = plan, records, windows, place
        self._found: dict[int, Unmatched] = {}

    def _rules(self, rows: Iterable[int]) -> tuple[str, ...]:
        rules = self._plan.rulebook.rules
        return tuple(sorted({rules[r].id for r in self._plan.rule[np.fromiter(rows, np.int64)].tolist()}))

    def without_candidates(self, which: Ints, row: Ints, allowed: npt.NDArray[np.bool_]) -> None:
        """Records asked for nowhere, outside every window, or allowed by none of the rows holding their day."""
        holding = np.bincount(which, minlength=len(self._records))
        permitted = np.bincount(which[allowed], minlength=len(self._records))
        refused: dict[int, list[int]] = {}
        for n in np.flatnonzero(permitted == 0).tolist():
            record, place = self._records[n], int(self._place[n])
            if place < 0:
                self._found[n] = Unmatched(record=record, reason=Reason.NO_ACTION)
            elif holding[n] == 0:
                rules = self._rules(self._windows.rows_of(place).tolist())
                self._found[n] = Unmatched(record=record, reason=Reason.OUTSIDE_WINDOW, rules=rules)
            else:
                refused[n] = []
        if refused:
            chosen = np.isin(which, list(refused))
            for n, r in zip(which[chosen].tolist(), row[chosen].tolist(), strict=True):
                refused[n].append(r)
            for n, rows in refused.items():
                self._found[n] = Unmatched(record=self._records[n], reason=Reason.NOT_ELIGIBLE, rules=self._rules(rows))

    def already_met(self, n: int, by: Iterable[int]) -> None:
        met_by = tuple(sorted({self._records[p].id for p in by}))
        self._found[n] = Unmatched(record=self._records[n], reason=Reason.ALREADY_MET, met_by=met_by)

    def found(self) -> tuple[Unmatched, ...]:
        return tuple(self._found[n] for n in sorted(self._found))


def _claim(
    plan: PlanColumns,
    records: Sequence[Visit],
    which: Ints,
    row: Ints,
    by_assignee: npt.NDArray[np.bool_],
    met: Ints,
    unmatched: _Unmatched,
) -> None:
    """Each record meets what it may and no earlier record met: ``(which[i], row[i])`` are the allowed pairs."""
    per_record = np.bincount(which, minlength=len(records))
    per_row = np.bincount(row, minlength=len(plan))
    alone = (per_record[which] == 1) & (per_row[row] == 1)  # no other pair can change these
    met[row[alone]] = which[alone]
    rest = ~alone
    pairs: dict[int, list[tuple[int, bool]]] = {}
    for n, r, own in zip(which[rest].tolist(), row[rest].tolist(), by_assignee[rest].tolist(), strict=True):
        pairs.setdefault(n, []).append((r, own))
    for n, candidates in pairs.items():  # in record order: the date, then the id
        unmet = [(r, own) for r, own in candidates if met[r] < 0]
        if not unmet:
            unmatched.already_met(n, (int(met[r]) for r, _ in candidates))
        elif len(candidates) == 1:
            met[unmet[0][0]] = n
        else:
            for r in _best_per_rule(plan, unmet):
                met[r] = n


def _best_per_rule(plan: PlanColumns, unmet: Sequence[tuple[int, bool]]) -> list[int]:
    """Of each rule's rows, the preferred: the record's person assigned to it, then due first, then the smaller key."""
    by_rule: dict[int, list[tuple[tuple[bool, int], int]]] = {}
    for r, own in unmet:
        by_rule.setdefault(int(plan.rule[r]), []).append(((not own, int(plan.due[r].astype(np.int64))), r))
    out = []
    for ranked in by_rule.values():
        first = min(rank for rank, _ in ranked)
        tied = [r for rank, r in ranked if rank == first]
        if len(tied) > 1:  # the same preference: the smaller key decides
            keys = _keys_at(plan, np.array(tied, dtype=np.int64))
            tied = [min(zip(keys, tied, strict=True))[1]]
        out.append(tied[0])
    return out


def _keys_at(plan: PlanColumns, rows: Ints) -> list[str]:
    """The keys of a few rows of one subject, without a key for every subject."""
    s = int(plan.subject[rows[0]])
    alone = take_rows(plan, rows)
    events = np.unique(alone.event[alone.event >= 0])
    one = attrs.evolve(
        alone,
        subjects=(plan.subjects[s],),
        unit_count=int(s < plan.unit_count),
        subject=np.zeros(len(rows), np.int64),
        events=tuple(plan.events[e] for e in events.tolist()),
        event=np.where(alone.event >= 0, np.searchsorted(events, alone.event), -1),
    )
    return one.keys()
