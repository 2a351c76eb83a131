"""A small unit tree and a one-position person, for tests of assignment, matching and rosters."""

from __future__ import annotations

from tests.helpers import d
from visits.core.organisation import Absence, Person, Position, Unit

UNITS = (
    Unit(id="C", level="community"),
    Unit(id="E1", level="estate", parent="C"),
    Unit(id="Z1", level="zone", parent="E1"),
    Unit(id="B1", level="building", parent="Z1"),
    Unit(id="B2", level="building", parent="Z1"),
)


def person(
    ident: str,
    role: str,
    unit: str,
    rank: int = 1,
    away: tuple[str, str] | None = None,
    households: tuple[str, ...] = (),
    more_away: tuple[str, str] | None = None,
) -> Person:
    absences = tuple(Absence(start=d(a), end=d(b)) for a, b in (x for x in (away, more_away) if x is not None))
    return Person(
        id=ident, positions=(Position(role=role, unit=unit, rank=rank),), absences=absences, households=households
    )
