"""Who visits: assign each obligation to a person, with the reason why.

Policy (依次递补, "the next in line takes over"), for an obligation of a rule
with roles ``r1, r2, ...`` at a household in building B (a unit of the
vocabulary's lowest level):

1. Each of the rule's roles in order, at its level's unit above B (in
   Baibuting: group leader → B, branch member → B's zone, branch secretary →
   the estate, committee → the community; a linked role → the people linked
   to the household), by rank: rank 1, then 2, 3, ...
2. Then up one level at a time from the first role's level (a linked role
   starts at B's), with the role that answers for each level: the first
   role the vocabulary declares there.
3. Nobody left: the obligation keeps ``assignee = None`` and says why.

A unit's duty climbs the same ladder from the unit itself: its roles at the
unit or the units above it, then the roles answering for the levels above.

The levels and roles are the rulebook's vocabulary; nothing here knows
Baibuting's.

People of the same role, unit and rank share the work: each household is
given to them by rendezvous (highest-random-weight) hashing of household and
person ids, so the spread is even on average, the same in every run, and
adding or removing a household never moves another household.  A person is
passed over only when an absence (adjacent absences joined) covers the whole
window; the skip is recorded.  Nothing is dropped: one result per obligation.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping

import attrs

from visits.core.organisation import Organisation, UnitTree
from visits.core.periods import ONE_DAY
from visits.core.planner import Obligation
from visits.core.vocabulary import Vocabulary

__all__ = ["Assigned", "Assignment", "Choice", "Eligibility", "OrgIndex", "Skip", "assign", "workload"]


class Choice(enum.StrEnum):
    """How an obligation reached its assignee, step by step (依次递补); or why it reached nobody."""

    FIRST = "first"  # the rank-1 holder of the rule's first role, at its unit
    SAME_RANK = "same_rank"  # another holder of the same role, unit and rank
    NEXT_IN_LINE = "next_in_line"  # a later rank of the same role at the same unit
    OTHER_ROLE = "other_role"  # another of the rule's roles
    ESCALATED = "escalated"  # the role that answers for a higher level
    NO_ORGANISATION = "no_organisation"  # the community file has no units and people
    NO_BUILDING = "no_building"  # the household names no building
    UNKNOWN_BUILDING = "unknown_building"  # the household's building is not in the unit tree
    NO_HOLDER = "no_holder"  # nobody holds any role that could take it
    ALL_ABSENT = "all_absent"  # everyone who could take it is away for the whole window


@attrs.frozen(kw_only=True)
class Skip:
    """A person passed over because an absence (``start``..``end``, joined) covers the whole window."""

    person: str
    start: dt.date
    end: dt.date


@attrs.frozen(kw_only=True)
class Assignment:
    """Who takes an obligation, as which role, from which unit and rank, and how it got there.

    ``choice`` says how: the first choice, or which substitution step; with
    ``assignee = None``, why nobody could take it.  ``substitute`` is true for
    every step but the first.  ``missing`` names the rule's responsible role
    when nobody holds it for this household (so another role or a higher level
    took over); ``building`` is the unknown building of
    :attr:`Choice.UNKNOWN_BUILDING`.  The words for all this are made at the
    edge (:func:`visits.assignment_note`).
    """

    assignee: str | None
    choice: Choice
    role: str | None = None
    unit: str | None = None
    rank: int | None = None
    substitute: bool = False
    missing: str | None = None
    building: str | None = None
    skipped: tuple[Skip, ...] = ()


@attrs.frozen(kw_only=True)
class Assigned:
    """An obligation and its assignment."""

    obligation: Obligation
    assignment: Assignment

    @property
    def assignee(self) -> str | None:
        """The person id, or None if nobody can take it."""
        return self.assignment.assignee


#: The assignment of every obligation of a community without an organisation.
NO_ORGANISATION = Assignment(assignee=None, choice=Choice.NO_ORGANISATION)


@attrs.frozen
class _Step:
    role: str
    unit: str | None  # None for linked roles
    rank: int
    people: tuple[str, ...]  # in this household's hashing order
    escalated: bool


def _weight(household: str, person: str) -> bytes:
    return hashlib.blake2b(f"{household}\x1f{person}".encode(), digest_size=8).digest()


#: What an obligation is about: ``(household, None)``, or ``(None, unit)`` for a unit's duty.
Subject = tuple[str | None, str | None]


def _name(subject: Subject) -> str:
    return subject[0] if subject[0] is not None else str(subject[1])


class OrgIndex:
    """Lookups of an organisation for one set of household buildings, under a vocabulary's levels and roles.

    Built by :func:`assign` (and by matching); build it once and pass it to
    both to save the work.
    """

    def __init__(self, organisation: Organisation, buildings: Mapping[str, str | None], vocabulary: Vocabulary) -> None:
        self.buildings = buildings
        self.tree = UnitTree(organisation.units)
        levels = vocabulary.ids("levels")
        self.lowest = levels[-1] if levels else None
        self.linked = vocabulary.linked_roles()
        self.role_level = {t.id: t.level for t in vocabulary.roles if t.level is not None}
        self.answering = vocabulary.answering()
        self.up = {low: high for high, low in itertools.pairwise(levels)}
        # Flat (rank, person) lists, grouped by rank only when looked up.
        self._pools: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        self._linked: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        self._ranked: dict[tuple[str, str], list[tuple[int, list[str]]]] = {}
        self.away: dict[str, list[tuple[dt.date, dt.date]]] = {}
        for person in organisation.people:
            for position in person.positions:
                if position.role in self.linked:
                    for household in person.households:
                        self._linked[position.role, household].append((position.rank, person.id))
                else:
                    self._pools[position.role, position.unit].append((position.rank, person.id))
            if person.absences:
                self.away[person.id] = _joined((a.start, a.end) for a in person.absences)

    def _chain(self, building: str | None) -> Mapping[str, str] | None:
        """The units above a household's building; ``None`` if it names no building of the tree."""
        level = self.tree.level(building)
        return self.tree.chain(building) if level is not None and level == self.lowest else None

    def chain_of(self, subject: Subject) -> Mapping[str, str] | None:
        """The units above a household's building, or a unit and those above it; ``None`` if unknown."""
        household, unit = subject
        if unit is not None:
            return self.tree.chain(unit) if unit in self.tree.units else None
        return self._chain(self.buildings.get(household)) if household is not None else None

    def ranks(self, role: str, subject: Subject, unit: str | None) -> list[tuple[int, list[str]]]:
        """The holders of ``role`` linked to a household, or at ``unit``, grouped by rank."""
        if unit is not None:  # shared by every household of the unit: group once
            cached = self._ranked.get((role, unit))
            if cached is None:
                cached = self._ranked[role, unit] = _by_rank(self._pools.get((role, unit), ()))
            return cached
        household = subject[0]
        return _by_rank(self._linked.get((role, household), ())) if household is not None else []

    def first_choice(self, subject: Subject, roles: tuple[str, ...]) -> Assignment | None:
        """The rank-1 holder of the rule's first role for this subject, if any (absences not checked)."""
        role = roles[0]
        if role in self.linked:
            unit = None
        else:
            chain = self.chain_of(subject)
            unit = chain.get(self.role_level.get(role, "")) if chain else None
            if unit is None:
                return None
        ranks = self.ranks(role, subject, unit)
        if not ranks:
            return None
        rank, people = ranks[0]
        person = people[0] if len(people) == 1 else max(people, key=lambda p: _weight(_name(subject), p))
        return Assignment(assignee=person, choice=Choice.FIRST, role=role, unit=unit, rank=rank)

    def holders(self, subject: Subject, roles: tuple[str, ...]) -> frozenset[str]:
        """Everyone holding one of ``roles`` for this subject, any rank, no order."""
        found: set[str] = set()
        chain = self.chain_of(subject)
        household = subject[0]
        for role in roles:
            level = self.role_level.get(role)
            if role in self.linked:
                if household is not None:
                    found.update(p for _, p in self._linked.get((role, household), ()))
            elif chain and level is not None and level in chain:
                found.update(p for _, p in self._pools.get((role, chain[level]), ()))
        return frozenset(found)

    def steps(self, subject: Subject, roles: tuple[str, ...]) -> tuple[list[_Step], Assignment]:
        """Candidate steps for a subject and a rule's roles; and the assignment if none is left."""
        chain = self.chain_of(subject)
        name = _name(subject)
        out: list[_Step] = []
        tried: set[str] = set()

        def add(role: str, escalated: bool) -> None:
            tried.add(role)
            if role in self.linked:
                unit = None
                ranks = self.ranks(role, subject, None)
            else:
                unit = chain.get(self.role_level.get(role, "")) if chain else None
                ranks = self.ranks(role, subject, unit) if unit is not None else []
            for rank, people in ranks:
                ordered = tuple(sorted(set(people), key=lambda p: _weight(name, p), reverse=True))
                out.append(_Step(role, unit, rank, ordered, escalated))

        for role in roles:
            add(role, False)
        # Up from the first role's level; a household's linked people (below
        # the lowest level) are backed by the role answering for the building first.
        level: str | None
        if roles[0] in self.linked:
            level = self.lowest
            answer = self.answering.get(level) if level is not None else None
            if answer is not None and answer not in tried:
                add(answer, True)
        else:
            level = self.role_level.get(roles[0])
        while level is not None and level in self.up:
            level = self.up[level]
            answer = self.answering.get(level)
            if answer is not None and answer not in tried:
                add(answer, True)
        household = subject[0]
        if chain is None and household is not None:
            building = self.buildings.get(household)
            if building is None:
                return out, Assignment(assignee=None, choice=Choice.NO_BUILDING)
            return out, Assignment(assignee=None, choice=Choice.UNKNOWN_BUILDING, building=building)
        return out, Assignment(assignee=None, choice=Choice.NO_HOLDER)


def _by_rank(entries: Iterable[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    grouped: dict[int, list[str]] = {}
    for rank, person in sorted(entries):
        grouped.setdefault(rank, []).append(person)
    return list(grouped.items())


def _joined(intervals: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Absences sorted, with touching or overlapping ones joined."""
    out: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1] + ONE_DAY:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _absent(spans: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    for first, last in spans:
        if first <= start and end <= last:
            return first, last
    return None


def assign(
    obligations: Iterable[Obligation],
    organisation: Organisation | None,
    buildings: Mapping[str, str | None],
    vocabulary: Vocabulary,
    *,
    index: OrgIndex | None = None,
) -> Iterator[Assigned]:
    """Assign each obligation (lazily, in order); ``buildings`` maps household id to building id.

    ``vocabulary`` (the rulebook's) gives the levels and roles.  ``index``
    may pass an :class:`OrgIndex` already built for the same organisation,
    buildings and vocabulary.  Without an organisation (a community file with
    no units and people) every obligation is unassigned and says so.
    """
    if organisation is None:
        yield from (Assigned(obligation=o, assignment=NO_ORGANISATION) for o in obligations)
        return
    index = index or OrgIndex(organisation, buildings, vocabulary)
    firsts: dict[tuple[Subject, tuple[str, ...]], Assignment | None] = {}
    ladders: dict[tuple[Subject, tuple[str, ...]], tuple[list[_Step], Assignment]] = {}
    away = index.away
    for obligation in obligations:
        key = ((obligation.household, obligation.unit), obligation.rule.roles)
        if key in firsts:
            first = firsts[key]
        else:
            first = firsts[key] = index.first_choice(*key)
        if first is not None and first.assignee not in away:
            yield Assigned(obligation=obligation, assignment=first)
            continue
        # Rare path: the first choice may be away, or there is none.
        ladder = ladders.get(key)
        if ladder is None:
            ladder = ladders[key] = index.steps(*key)
        assignment = substitute(*ladder, obligation.rule.roles[0], obligation.start, obligation.end, away)
        yield Assigned(obligation=obligation, assignment=assignment)


def substitute(
    steps: list[_Step],
    nobody: Assignment,
    responsible: str,
    start: dt.date,
    end: dt.date,
    away: Mapping[str, list[tuple[dt.date, dt.date]]],
) -> Assignment:
    """The first person on the ladder not away for the whole window ``start..end``, and the step that reached them.

    ``responsible``: the rule's first role; ``steps``, ``nobody``: :meth:`OrgIndex.steps` for the rule's roles.
    """
    skipped: list[Skip] = []
    seen: set[str] = set()
    for n, step in enumerate(steps):
        for position, person in enumerate(step.people):
            if person in seen:
                continue
            seen.add(person)
            span = _absent(away.get(person, []), start, end)
            if span is not None:
                skipped.append(Skip(person=person, start=span[0], end=span[1]))
                continue
            if n == 0 and position == 0 and step.role == responsible and not step.escalated:
                choice = Choice.FIRST
            elif step.escalated:
                choice = Choice.ESCALATED
            elif step.role != responsible:
                choice = Choice.OTHER_ROLE
            elif step.rank == steps[0].rank:
                choice = Choice.SAME_RANK
            else:
                choice = Choice.NEXT_IN_LINE
            held = any(s.role == responsible for s in steps)
            return Assignment(
                assignee=person,
                choice=choice,
                role=step.role,
                unit=step.unit,
                rank=step.rank,
                substitute=choice is not Choice.FIRST,
                missing=None if held or choice is Choice.FIRST else responsible,
                skipped=tuple(skipped),
            )
    if skipped:
        return Assignment(assignee=None, choice=Choice.ALL_ABSENT, skipped=tuple(skipped))
    return nobody


class Eligibility:
    """Who may fulfil a rule's obligations at a household, besides the assignee.

    The holders of the rule's own roles at the household's units (or linked to
    it), at any rank and regardless of absences.  A documented substitute from
    a higher level counts through being the obligation's assignee, not here.
    """

    def __init__(self, index: OrgIndex) -> None:
        self._index = index
        self._cache: dict[tuple[Subject, tuple[str, ...]], frozenset[str]] = {}

    def people(self, subject: Subject, roles: tuple[str, ...]) -> frozenset[str]:
        """Every holder of one of ``roles`` for this household (or unit, for a unit's duty)."""
        key = (subject, roles)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._index.holders(subject, roles)
        return found


def workload(assigned: Iterable[Assigned]) -> Counter[str | None]:
    """How many obligations each person has (None: unassigned)."""
    return Counter(a.assignee for a in assigned)
