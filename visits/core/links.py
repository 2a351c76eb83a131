"""Links between core members and households (社区骨干成员每人联系3至5户居民).

A *member* is a person holding one of the checked roles (in Baibuting the
party members, the core members the bound is about; a 一对一 carer
legitimately has one household); any linked role of the vocabulary (party
member, carer, contact) counts as a link for a household.  :func:`check_links` reports members
outside the bound and households that need a link and have none;
:func:`propose_links` suggests links for those households.

Which households need a link: by default those with an ongoing circumstance
(no end date), since the 五必访 categories are who the links are for; with
``every_household=True``, every household.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from visits.core.community import Household
from visits.core.organisation import Organisation, Person, UnitTree
from visits.core.vocabulary import Vocabulary

__all__ = ["Link", "LinkReport", "apply_links", "check_links", "member_roles", "needs_link", "propose_links"]

DEFAULT_BOUND = (3, 5)


@attrs.frozen(kw_only=True)
class LinkReport:
    """Members over or under the bound (with their counts) and unlinked households."""

    low: int
    high: int
    over: tuple[tuple[str, int], ...]
    under: tuple[tuple[str, int], ...]
    unlinked: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No member out of bounds and no household left without a link."""
        return not (self.over or self.under or self.unlinked)


@attrs.frozen(kw_only=True)
class Link:
    """A proposed link, and how close the person is: the level of the unit they share (the top: anywhere)."""

    person: str
    household: str
    scope: str


def member_roles(vocabulary: Vocabulary) -> frozenset[str]:
    """The roles whose holders the 3-5 bound applies to, unless told otherwise: the first linked role declared."""
    linked = [t.id for t in vocabulary.roles if t.linked]
    return frozenset(linked[:1])


def _members(organisation: Organisation, roles: frozenset[str]) -> list[Person]:
    return [p for p in organisation.people if p.roles() & roles]


def needs_link(household: Household, every_household: bool = False) -> bool:
    """Whether the household should have a linked member."""
    return every_household or any(c.end is None for c in household.circumstances)


def _check_bound(low: int, high: int) -> None:
    if not 1 <= low <= high:
        raise ValueError(f"the bound must satisfy 1 <= low <= high, got {low}..{high}")


def check_links(
    organisation: Organisation,
    households: Iterable[Household],
    vocabulary: Vocabulary,
    low: int = DEFAULT_BOUND[0],
    high: int = DEFAULT_BOUND[1],
    every_household: bool = False,
    roles: frozenset[str] | None = None,
) -> LinkReport:
    """Members with fewer than ``low`` or more than ``high`` links; households without one.

    ``roles`` are the members' roles (by default :func:`member_roles`).
    """
    _check_bound(low, high)
    members = _members(organisation, member_roles(vocabulary) if roles is None else roles)
    linked_roles = vocabulary.linked_roles()
    linked = {h for p in organisation.people if p.roles() & linked_roles for h in p.households}
    return LinkReport(
        low=low,
        high=high,
        over=tuple((p.id, len(p.households)) for p in members if len(p.households) > high),
        under=tuple((p.id, len(p.households)) for p in members if len(p.households) < low),
        unlinked=tuple(sorted(h.id for h in households if needs_link(h, every_household) and h.id not in linked)),
    )


def propose_links(
    organisation: Organisation,
    households: Iterable[Household],
    vocabulary: Vocabulary,
    low: int = DEFAULT_BOUND[0],
    high: int = DEFAULT_BOUND[1],
    every_household: bool = False,
    roles: frozenset[str] | None = None,
) -> tuple[tuple[Link, ...], tuple[str, ...]]:
    """Links for every unlinked household that needs one, and the households left over.

    Deterministic and greedy, households in id order: a member of the
    household's own building with room under ``high``, else of the unit
    above it (its zone), and so on up the vocabulary's levels, then anywhere;
    among those, the member with the fewest links (then the smallest id).
    Members below ``low`` are therefore filled first.
    """
    _check_bound(low, high)
    homes = list(households)
    roles = member_roles(vocabulary) if roles is None else roles
    report = check_links(organisation, homes, vocabulary, low, high, every_household, roles)
    levels = vocabulary.ids("levels")
    top, below = (levels[0], levels[:0:-1]) if levels else ("", ())
    ancestors = UnitTree(organisation.units).chain
    members = _members(organisation, roles)
    count = {p.id: len(p.households) for p in members}
    places = {p.id: ancestors(next((q.unit for q in p.positions if q.role in roles), None)) for p in members}
    near: dict[tuple[str, str | None], list[str]] = {}
    for person, place in places.items():
        for scope in below:
            if scope in place:
                near.setdefault((scope, place[scope]), []).append(person)
        near.setdefault((top, None), []).append(person)
    building_of = {h.id: h.building for h in homes}
    links: list[Link] = []
    left: list[str] = []
    for household in report.unlinked:
        home = ancestors(building_of.get(household))
        chosen: tuple[str, str] | None = None
        for scope in (*below, top):
            unit = None if scope == top else home.get(scope)
            if unit is None and scope != top:
                continue
            room = [p for p in near.get((scope, unit), ()) if count[p] < high]
            if room:
                best = min(room, key=lambda p: (count[p], p))
                chosen = (best, scope)
                break
        if chosen is None:
            left.append(household)
            continue
        count[chosen[0]] += 1
        links.append(Link(person=chosen[0], household=household, scope=chosen[1]))
    return tuple(links), tuple(left)


def apply_links(organisation: Organisation, links: Iterable[Link]) -> Organisation:
    """The organisation with the links added to their people."""
    extra: dict[str, list[str]] = {}
    for link in links:
        extra.setdefault(link.person, []).append(link.household)
    people = tuple(
        attrs.evolve(p, households=(*p.households, *extra[p.id])) if p.id in extra else p for p in organisation.people
    )
    return attrs.evolve(organisation, people=people)
