"""A community checked against the vocabulary of the rulebook it is planned with.

A community file names categories, event kinds and severities, actions,
unit levels and roles by id; which ids exist is the rulebook's business
(:class:`~visits.core.vocabulary.Vocabulary`).  Two kinds of check, each
reporting every problem at once with its place in the file:

- :func:`reference_problems`: each id is declared in its table
  (``households[12] (H00013).circumstances[0].category: unknown category
  'poor' (this rulebook has: ...)``).  It takes ``(path, table, id)``
  references, which :func:`references` finds in a community and the loader
  finds in the file itself (so records that failed other checks are checked
  too);
- :func:`structure_problems`: the unit tree follows the declared levels, a
  position's unit is at its role's level, a household's building is a unit
  of the lowest level, and an event's severity is one its kind allows.

Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from visits.core.community import Community, Event, Household
from visits.core.errors import Problem
from visits.core.organisation import Organisation, Person, Unit, parent_cycles
from visits.core.vocabulary import TABLES, Vocabulary

__all__ = ["community_problems", "reference_problems", "references", "structure_problems"]

#: A reference to a vocabulary term: where it is, which table, which id.
Reference = tuple[str, str, str]


def community_problems(community: Community, vocabulary: Vocabulary) -> list[Problem]:
    """Every problem of :func:`reference_problems` and :func:`structure_problems`, paths labelled with ids."""
    organisation = community.organisation or Organisation()
    found = [] if _declared(community, vocabulary) else reference_problems(references(community), vocabulary)
    found += structure_problems(
        vocabulary, community.households, community.events, organisation.units, organisation.people
    )
    ids = {
        "households": [h.id for h in community.households],
        "events": [e.id for e in community.events],
        "visits": [v.id for v in community.visits],
        "units": [u.id for u in organisation.units],
        "people": [p.id for p in organisation.people],
    }
    return [_labelled(p, ids) for p in found]


def _declared(community: Community, vocabulary: Vocabulary) -> bool:
    """Whether every id :func:`references` would find is declared: the common case, told without making paths."""
    organisation = community.organisation or Organisation()
    used = {
        "categories": {c.category for home in community.households for c in home.circumstances},
        "events": {e.kind for e in community.events},
        "severities": {e.severity for e in community.events if e.severity is not None},
        "actions": {v.action for v in community.visits},
        "levels": {u.level for u in organisation.units},
        "roles": {q.role for person in organisation.people for q in person.positions},
    }
    return all(ids <= set(vocabulary.ids(table)) for table, ids in used.items())


def _labelled(problem: Problem, ids: dict[str, list[str]]) -> Problem:
    """``households[3].x`` as ``households[3] (H00004).x``."""
    section, _, rest = problem.path.partition("[")
    index, _, tail = rest.partition("]")
    if section in ids and index.isdigit() and int(index) < len(ids[section]):
        return Problem(path=f"{section}[{index}] ({ids[section][int(index)]}){tail}", message=problem.message)
    return problem


def references(community: Community) -> Iterator[Reference]:
    """Every id of the community that names a vocabulary term, with its path."""
    for i, home in enumerate(community.households):
        for k, circumstance in enumerate(home.circumstances):
            yield f"households[{i}].circumstances[{k}].category", "categories", circumstance.category
    for i, event in enumerate(community.events):
        yield f"events[{i}].kind", "events", event.kind
        if event.severity is not None:
            yield f"events[{i}].severity", "severities", event.severity
    for i, visit in enumerate(community.visits):
        yield f"visits[{i}].action", "actions", visit.action
    organisation = community.organisation or Organisation()
    for i, unit in enumerate(organisation.units):
        yield f"units[{i}].level", "levels", unit.level
    for p, person in enumerate(organisation.people):
        for q, position in enumerate(person.positions):
            yield f"people[{p}].positions[{q}].role", "roles", position.role


def reference_problems(found: Iterable[Reference], vocabulary: Vocabulary) -> list[Problem]:
    """A problem for each reference to an id its table does not declare."""
    known = {table: set(vocabulary.ids(table)) for table in TABLES}
    return [
        Problem(path=path, message=vocabulary.unknown(table, ident))
        for path, table, ident in found
        if ident not in known[table]
    ]


def structure_problems(
    vocabulary: Vocabulary,
    households: Sequence[Household | None],
    events: Sequence[Event | None],
    units: Sequence[Unit | None],
    people: Sequence[Person | None],
) -> list[Problem]:
    """Units, positions, buildings and event severities that do not fit the vocabulary.

    ``None`` entries (records that failed their own checks) keep their place,
    so that paths follow the input; ids the vocabulary lacks are left to
    :func:`reference_problems`.
    """
    problems = list(_severity_problems(events, vocabulary))
    problems += _unit_problems(units, vocabulary)
    problems += _position_problems(people, units, vocabulary)
    problems += _building_problems(households, units, vocabulary)
    return problems


def _severity_problems(events: Sequence[Event | None], vocabulary: Vocabulary) -> Iterator[Problem]:
    severities = vocabulary.ids("severities")
    for i, event in enumerate(events):
        kind = None if event is None else vocabulary.term("events", event.kind)
        if event is None or kind is None or event.severity not in severities:
            continue
        if event.severity not in kind.severities:
            allowed = ", ".join(kind.severities) or "none"
            message = f"an event of kind {event.kind!r} may not be {event.severity!r} (it may be: {allowed})"
            yield Problem(path=f"events[{i}].severity", message=message)


def _unit_problems(units: Sequence[Unit | None], vocabulary: Vocabulary) -> Iterator[Problem]:
    """Only the top level is a root; every other unit's parent is of the level above."""
    levels = vocabulary.ids("levels")
    above = vocabulary.above()
    by_id = {u.id: u for u in units if u is not None}
    looped = {unit for cycle in parent_cycles(by_id) for unit in cycle}
    for i, unit in enumerate(units):
        if unit is None or unit.level not in levels:
            continue  # an unknown level is reported already
        where = f"units[{i}].parent"
        parent = by_id.get(unit.parent) if unit.parent is not None else None
        if unit.parent is None and unit.level != levels[0]:
            yield Problem(path=where, message=f"a {unit.level} needs a parent {above[unit.level]}")
        elif unit.parent is not None and unit.level == levels[0]:
            yield Problem(path=where, message=f"the {levels[0]} is the root and has no parent")
        elif (
            parent is not None
            and unit.id not in looped
            and parent.level in levels
            and parent.level != above[unit.level]
        ):
            message = f"a {unit.level}'s parent must be a {above[unit.level]}, {parent.id!r} is a {parent.level}"
            yield Problem(path=where, message=message)


def _position_problems(
    people: Sequence[Person | None], units: Sequence[Unit | None], vocabulary: Vocabulary
) -> Iterator[Problem]:
    """A position's unit is at its role's level."""
    by_id = {u.id: u for u in units if u is not None}
    for p, person in enumerate(people):
        for q, position in enumerate(person.positions if person is not None else ()):
            role = vocabulary.term("roles", position.role)
            held = by_id.get(position.unit)
            if role is not None and role.level is not None and held is not None and held.level != role.level:
                message = f"a {role.id} serves a {role.level}, {held.id!r} is a {held.level}"
                yield Problem(path=f"people[{p}].positions[{q}].unit", message=message)


def _building_problems(
    households: Sequence[Household | None], units: Sequence[Unit | None], vocabulary: Vocabulary
) -> Iterator[Problem]:
    """A household's building is a unit of the lowest level (an unknown one is the loader's to report)."""
    levels = vocabulary.ids("levels")
    by_id = {u.id: u for u in units if u is not None}
    for i, home in enumerate(households):
        building = by_id.get(home.building) if home is not None and home.building is not None else None
        if home is not None and building is not None and building.level in levels and building.level != levels[-1]:
            message = f"{home.building!r} is a {building.level}, not a {levels[-1]}"
            yield Problem(path=f"households[{i}].building", message=message)
