"""The organisation as data: units and people.

Units form a tree with one root; its levels (Baibuting's community →
estate (苑区) → zone (片区) → building (楼栋)) and roles are the rulebook's
vocabulary, checked against it in :mod:`visits.core.conformance`.  A person
holds positions (a role at a unit, with a rank: 1 is the first responsible
person, 2, 3, ... come next in line), may be absent for date intervals, and
may be linked to households (in Baibuting: party members, carers, contacts).

Pure data and the checks that need no vocabulary; :mod:`visits.core.assign` uses it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from visits.core.checks import id_problems, line_problems, range_problems
from visits.core.errors import raise_if

__all__ = [
    "Absence",
    "Organisation",
    "Person",
    "Position",
    "Unit",
    "UnitTree",
    "parent_cycles",
]


@attrs.frozen(kw_only=True)
class Unit:
    """A node of the unit tree, at a ``level`` of the vocabulary; only the root has no parent."""

    id: str
    name: str = ""
    level: str
    parent: str | None = None

    def __attrs_post_init__(self) -> None:
        raise_if(id_problems("id", self.id) + line_problems(("name", self.name)))


@attrs.frozen(kw_only=True)
class Position:
    """``role`` at ``unit``; rank 1 is the first responsible person."""

    role: str
    unit: str
    rank: int = 1

    def __attrs_post_init__(self) -> None:
        raise_if([("rank", f"must be 1 or more, got {self.rank}")] if self.rank < 1 else [])


@attrs.frozen(kw_only=True)
class Absence:
    """The person cannot visit from ``start`` to ``end`` (inclusive)."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        raise_if(range_problems(self.start, self.end))


@attrs.frozen(kw_only=True)
class Person:
    """Someone who visits: their positions, absences and linked households, and a phone number if given.

    ``phone`` is printed beside the person's name on rosters, and left out of
    a redacted one.
    """

    id: str
    name: str = ""
    positions: tuple[Position, ...] = ()
    absences: tuple[Absence, ...] = ()
    households: tuple[str, ...] = ()
    phone: str = ""

    def __attrs_post_init__(self) -> None:
        problems = id_problems("id", self.id) + line_problems(("name", self.name), ("phone", self.phone))
        ordered = sorted(range(len(self.absences)), key=lambda i: self.absences[i].start)
        for before, after in itertools.pairwise(ordered):
            a, b = self.absences[before], self.absences[after]
            if b.start <= a.end:
                problems.append(
                    (
                        f"absences[{after}]",
                        f"overlaps absences[{before}] ({a.start}..{a.end} and {b.start}..{b.end})",
                    )
                )
        seen: set[str] = set()
        for i, household in enumerate(self.households):
            if household in seen:
                problems.append((f"households[{i}]", f"lists {household!r} twice"))
            seen.add(household)
        raise_if(problems)

    def roles(self) -> frozenset[str]:
        """Every role the person holds somewhere."""
        return frozenset(p.role for p in self.positions)


@attrs.frozen(kw_only=True)
class Organisation:
    """Units and people, checked together: a tree of known units, positions in it."""

    units: tuple[Unit, ...] = ()
    people: tuple[Person, ...] = ()

    def __attrs_post_init__(self) -> None:
        raise_if(organisation_problems(self.units, self.people))

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id (KeyError if none)."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(unit_id)


class UnitTree:
    """The chain of units above each unit: the one walk up an organisation's tree.

    ``UnitTree(organisation.units).chain("B1")`` is ``{"building": "B1", "zone":
    "Z1", "estate": "E1", "community": "C"}`` (level → unit).  Chains are remembered, so build the
    tree once and ask it many times.
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self._chains: dict[str, dict[str, str]] = {}

    def chain(self, unit_id: str | None) -> Mapping[str, str]:
        """``unit_id`` and the units above it, by level; empty for ``None`` or an unknown id.

        The walk stops at a level it has seen (a tree that failed its checks
        cannot make it loop).
        """
        if unit_id is None:
            return {}
        found = self._chains.get(unit_id)
        if found is None:
            found = {}
            current: str | None = unit_id
            while current is not None and current in self.units and self.units[current].level not in found:
                found[self.units[current].level] = current
                current = self.units[current].parent
            self._chains[unit_id] = found
        return found

    def level(self, unit_id: str | None) -> str | None:
        """The level of a known unit, else ``None``."""
        unit = self.units.get(unit_id) if unit_id is not None else None
        return unit.level if unit is not None else None


def organisation_problems(
    units: Sequence[Unit | None], people: Sequence[Person | None], failed: Collection[str] = ()
) -> list[tuple[str, str]]:
    """Cross-object problems of a unit tree and its people, as (path, message).

    ``None`` entries (objects that failed their own checks) are skipped but
    keep their place, so that paths match the input; references to the ids in
    ``failed`` (units that failed their own checks) are not reported again.
    """
    problems, by_id = _unit_problems(units, failed)
    return problems + _people_problems(people, by_id, failed)


def _unit_problems(
    units: Sequence[Unit | None], failed: Collection[str]
) -> tuple[list[tuple[str, str]], dict[str, Unit]]:
    """Duplicate ids, the one root, cycles and unknown parents; and the units by id."""
    problems: list[tuple[str, str]] = []
    by_id: dict[str, Unit] = {}
    index: dict[str, int] = {}
    for i, unit in enumerate(units):
        if unit is None:
            continue
        if unit.id in by_id:
            problems.append((f"units[{i}].id", f"duplicate id {unit.id!r} (also units[{index[unit.id]}])"))
            continue
        by_id[unit.id] = unit
        index[unit.id] = i
    in_cycle = _cycles(by_id, index, problems)
    roots = [u for u in by_id.values() if u.parent is None]
    # No root because of a cycle, or because the root failed its own checks: that is reported already.
    if units and len(roots) != 1 and (roots or (None not in units and not in_cycle)):
        ids = ", ".join(u.id for u in roots)
        found = f"found {len(roots)}" + (f" ({ids})" if roots else "")
        problems.append(("units", f"must have exactly one root unit (a unit with no parent), {found}"))
    for unit_id, unit in by_id.items():
        if unit.parent is None or unit_id in in_cycle:
            continue
        parent = by_id.get(unit.parent)
        where = f"units[{index[unit_id]}].parent"
        if parent is None and unit.parent in failed:
            continue
        if parent is None:
            problems.append((where, f"unknown unit {unit.parent!r}"))
    return problems, by_id


def _people_problems(
    people: Sequence[Person | None], by_id: dict[str, Unit], failed: Collection[str]
) -> list[tuple[str, str]]:
    """Duplicate people, and positions at unknown units."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for p, person in enumerate(people):
        if person is None:
            continue
        if person.id in seen:
            problems.append((f"people[{p}].id", f"duplicate id {person.id!r} (also people[{seen[person.id]}])"))
        seen.setdefault(person.id, p)
        for q, position in enumerate(person.positions):
            where = f"people[{p}].positions[{q}].unit"
            held = by_id.get(position.unit)
            if held is None and position.unit in failed:
                continue
            if held is None:
                problems.append((where, f"unknown unit {position.unit!r}"))
    return problems


def parent_cycles(by_id: Mapping[str, Unit]) -> list[list[str]]:
    """Each cycle of parents in a set of units, once, in the order the walk up from each unit finds them."""
    found: list[list[str]] = []
    done: set[str] = set()
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and current not in done:
            if current in path:
                found.append(path[path.index(current) :])
                break
            path.append(current)
            current = by_id[current].parent
        done.update(path)
    return found


def _cycles(by_id: dict[str, Unit], index: dict[str, int], problems: list[tuple[str, str]]) -> set[str]:
    """Report each parent cycle once, from its first unit in the input; return the units on cycles."""
    on_cycle: set[str] = set()
    for cycle in parent_cycles(by_id):
        on_cycle.update(cycle)
        first = min(cycle, key=lambda u: index[u])
        turn = cycle.index(first)
        ring = [*cycle[turn:], *cycle[:turn], first]
        problems.append((f"units[{index[first]}].parent", "cycle " + " -> ".join(ring)))
    return on_cycle
