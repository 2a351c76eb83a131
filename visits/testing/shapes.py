"""The shapes strategies build on: vocabularies of any shape, and the people of a unit tree.

:func:`vocabularies` is re-exported by :mod:`visits.testing.strategies`, which also uses :func:`people`.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from visits.core.organisation import Absence, Person, Position, Unit
from visits.core.periods import ONE_DAY
from visits.core.vocabulary import Term, Vocabulary

__all__ = ["people", "vocabularies"]

#: One-line text: no surrogates, controls, or line and paragraph separators (U+2028, U+2029).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12)
_WORD = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)


@st.composite
def _terms(draw: st.DrawFn, /, min_size: int, max_size: int, **fields: st.SearchStrategy[object]) -> list[Term]:
    """Terms with unique ids and Chinese-or-any titles; each of ``fields`` drawn per term."""
    ids = draw(st.lists(_WORD, unique=True, min_size=min_size, max_size=max_size))
    return [
        Term(
            id=i,
            title=draw(TEXT.filter(str.strip)),
            title_en=draw(TEXT),
            **{name: draw(strategy) for name, strategy in fields.items()},  # type: ignore[arg-type]
        )
        for i in ids
    ]


@st.composite
def vocabularies(draw: st.DrawFn, max_levels: int = 6) -> Vocabulary:
    """A valid vocabulary: 2..``max_levels`` levels, every level with a role (the first declared answers),
    extra unit roles and linked roles, and categories, events with severities, and actions.

    The role order is shuffled, so the role that answers for a level is not always the first drawn.
    """
    levels = draw(_terms(2, max_levels))
    level_ids = [t.id for t in levels]
    roles = draw(_terms(len(levels), len(levels) + 4))
    placed = [
        attrs.evolve(term, level=level_ids[i]) if i < len(levels) else _placed(draw, term, level_ids)
        for i, term in enumerate(roles)
    ]
    severities = draw(_terms(1, 3))
    severity_ids = [t.id for t in severities]
    kinds = draw(_terms(1, 3))
    events = [
        attrs.evolve(k, severities=tuple(draw(st.lists(st.sampled_from(severity_ids), unique=True, min_size=1))))
        for k in kinds
    ]
    return Vocabulary(
        categories=tuple(draw(_terms(1, 4, sensitive=st.booleans()))),
        events=tuple(events),
        severities=tuple(severities),
        levels=tuple(levels),
        roles=tuple(draw(st.permutations(placed))),
        actions=tuple(draw(_terms(1, 4))),
    )


def _placed(draw: st.DrawFn, term: Term, levels: list[str]) -> Term:
    """A role beyond the one per level: linked to households, or at a level drawn."""
    if draw(st.booleans()):
        return attrs.evolve(term, linked=True)
    return attrs.evolve(term, level=draw(st.sampled_from(levels)))


def people(
    draw: st.DrawFn,
    vocabulary: Vocabulary,
    units: list[Unit],
    buildings: list[str],
    ids: list[str],
    first: dt.date,
    last: dt.date,
) -> list[Person]:
    """Up to 14 people, each with one position (a unit role at a unit of its level, or a linked role), ranks 1-3,
    up to two absences, and for linked roles up to three households."""
    unit_of_level = {t.id: [u.id for u in units if u.level == t.level] for t in vocabulary.roles if t.level}
    people: list[Person] = []
    for n in range(draw(st.integers(0, 14))):
        role = draw(st.sampled_from(vocabulary.ids("roles")))
        if role in vocabulary.linked_roles():
            unit = draw(st.sampled_from(buildings))
            linked = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))) if ids else ()
        else:
            unit = draw(st.sampled_from(unit_of_level[role]))
            linked = ()
        absences: list[Absence] = []
        cursor = first
        for _ in range(draw(st.integers(0, 2))):
            start = cursor + dt.timedelta(days=draw(st.integers(0, 4000)))
            if start > last:
                break
            end = min(last, start + dt.timedelta(days=draw(st.integers(0, 400))))
            absences.append(Absence(start=start, end=end))
            cursor = end + ONE_DAY
        people.append(
            Person(
                id=f"P{n}",
                positions=(Position(role=role, unit=unit, rank=draw(st.integers(1, 3))),),
                absences=tuple(absences),
                households=linked,
            )
        )
    return people
