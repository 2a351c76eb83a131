"""Teams: the roles every unit of a level should have filled, and the units that lack some.

Baibuting staffs each building with a team of six, 两长四员: the party group
leader, the building head, and the hygiene, security, culture and property
officers.  A vocabulary declares such a team on a level (``[levels.building]
team = [...]``); :func:`team_gaps` lists the units of that level where
nobody holds one of the team's roles.  Pure.
"""

from __future__ import annotations

import attrs

from visits.core.organisation import Organisation
from visits.core.vocabulary import Vocabulary

__all__ = ["TeamGap", "team_gaps"]


@attrs.frozen(kw_only=True)
class TeamGap:
    """A unit whose team is incomplete: the roles of its level's team that nobody holds there."""

    unit: str
    level: str
    missing: tuple[str, ...]


def team_gaps(organisation: Organisation, vocabulary: Vocabulary) -> tuple[TeamGap, ...]:
    """The units of levels with a team where some of its roles have nobody, in the organisation's order.

    A role counts as held when someone has a position in it at the unit, at
    any rank; an absence does not empty a seat.
    """
    teams = {level.id: level.team for level in vocabulary.levels if level.team}
    held: dict[str, set[str]] = {}
    for person in organisation.people:
        for position in person.positions:
            held.setdefault(position.unit, set()).add(position.role)
    gaps = []
    for unit in organisation.units:
        team = teams.get(unit.level, ())
        missing = tuple(role for role in team if role not in held.get(unit.id, set()))
        if missing:
            gaps.append(TeamGap(unit=unit.id, level=unit.level, missing=missing))
    return tuple(gaps)
