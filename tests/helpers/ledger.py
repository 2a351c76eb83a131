"""One hardship household in building B1 with a full ladder of people, and its states as of a day."""

from __future__ import annotations

from tests.helpers import BAIBUTING, circ, d, horizon
from tests.helpers.org import UNITS, person
from visits import Community, Horizon, Household, Visit
from visits.core.ledger import Matching, Status, match, statuses
from visits.core.organisation import Organisation, Person
from visits.service import assigned_plan, cancelled

PEOPLE = (
    person("G1", "group_leader", "B1"),
    person("G2", "group_leader", "B2"),
    person("M1", "branch_member", "Z1"),
    person("S1", "branch_secretary", "E1"),
    person("K1", "committee", "C"),
)
NAMES = {"G1": "张丽"}
YEAR = horizon("2026-01-01", "2027-12-31")


def visit(ident: str, day: str, who: str = "G1", action: str = "visit", household: str = "H1") -> Visit:
    return Visit(id=ident, household=household, person=who, date=d(day), action=action)


def community(
    *visits: Visit, households: tuple[Household, ...] | None = None, people: tuple[Person, ...] = PEOPLE
) -> Community:
    homes = households or (Household(id="H1", circumstances=(circ("hardship", "2026-01-01"),), building="B1"),)
    return Community(
        households=homes,
        organisation=Organisation(units=UNITS, people=people),
        visits=visits,
    )


def states(c: Community, as_of: str, span: Horizon = YEAR) -> dict[str, Status]:
    """Status by obligation key, cancelled ones included."""
    assigned = list(assigned_plan(BAIBUTING, c, span))
    buildings = {h.id: h.building for h in c.households}
    matching = match(
        [v for v in c.visits if v.date <= d(as_of)], assigned, c.organisation, buildings, BAIBUTING.vocabulary
    )
    removed = cancelled(BAIBUTING, c.households, span)
    return {s.obligation.key: s for s in statuses(assigned, matching, d(as_of), removed)}


def matching_of(c: Community, span: Horizon = YEAR) -> Matching:
    assigned = list(assigned_plan(BAIBUTING, c, span))
    return match(c.visits, assigned, c.organisation, {h.id: h.building for h in c.households}, BAIBUTING.vocabulary)
