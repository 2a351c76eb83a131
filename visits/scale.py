"""The use cases of a large community: planned in columns, or read and planned a part at a time.

Beside :mod:`visits.service` and built on it, so that the command line, the
Dask adapter and a library caller plan parts the same way.  numpy is
imported only by a caller of :func:`plan_columns`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from visits.core.assign import Assigned, OrgIndex
from visits.core.community import Community, Event, Horizon, Household
from visits.core.organisation import Unit
from visits.core.rules import Rulebook
from visits.core.workdays import WorkCalendar
from visits.service import Progress, assigned_plan, check_community, working_calendar

if TYPE_CHECKING:
    from visits.core.columnar import HouseholdTable, PlanColumns
    from visits.core.columnar_assign import AssignmentColumns, Batch

__all__ = ["assign_columns", "column_parts", "part_index", "plan_columns", "plan_parts", "planned_columns"]


def plan_columns(
    rulebook: Rulebook,
    households: HouseholdTable | Iterable[Household],
    events: Iterable[Event],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    units: Sequence[Unit] = (),
) -> PlanColumns:
    """:func:`plan`'s obligations as columns (:func:`visits.core.columnar.plan_columns`), for large batches.

    ``households`` may be a :class:`~visits.core.columnar.HouseholdTable`,
    which holds its events (then ``events`` must be empty), or household
    objects, turned into one.  The calendar defaults as for :func:`plan`.
    """
    from visits.core import columnar

    if isinstance(households, columnar.HouseholdTable):
        if tuple(events):
            raise ValueError("plan_columns(): a HouseholdTable holds its own events; pass events=()")
        table = households
    else:
        table = columnar.HouseholdTable.from_households(households, events)
    calendar = working_calendar(rulebook, calendar)
    return columnar.plan_columns(rulebook, table, horizon, calendar=calendar, units=units)


def assign_columns(
    rulebook: Rulebook, community: Community, plan: PlanColumns, *, index: OrgIndex | None = None
) -> AssignmentColumns:
    """The rows of ``plan`` (planned for ``community``'s households) assigned to ``community``'s people.

    Row for row what :func:`assign` gives the same obligations
    (:func:`visits.core.columnar_assign.assign_columns`).  ``index`` may pass
    the organisation's lookups already built for these households.
    """
    from visits.core import columnar_assign

    buildings = {h.id: h.building for h in community.households}
    return columnar_assign.assign_columns(plan, community.organisation, buildings, rulebook.vocabulary, index=index)


def planned_columns(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    index: OrgIndex | None = None,
    duties: bool = True,
    checked: bool = False,
    assigned: bool = True,
) -> Batch:
    """:func:`assigned_plan`'s rows in columns: planned (:func:`plan_columns`) and assigned (:func:`assign_columns`).

    ``duties``, ``checked`` and ``index`` as for :func:`assigned_plan`.
    Without ``assigned`` the rows are left unassigned, as :func:`plan`'s
    obligations are.
    """
    if not checked:
        check_community(rulebook, community)
    organisation = community.organisation
    units = organisation.units if organisation is not None and duties else ()
    rows = plan_columns(rulebook, community.households, community.events, horizon, calendar=calendar, units=units)
    return rows, assign_columns(rulebook, community, rows, index=index) if assigned else None


def column_parts(
    rulebook: Rulebook,
    head: Community,
    parts: Iterable[Community],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> Iterator[Batch]:
    """:func:`plan_parts` in columns: the units' duties, then each part's rows, planned and assigned."""
    for community, calendar_, lookups, duties in _parts(rulebook, head, parts, calendar, progress):
        yield planned_columns(
            rulebook, community, horizon, calendar=calendar_, index=lookups, duties=duties, checked=True
        )


def _parts(
    rulebook: Rulebook,
    head: Community,
    parts: Iterable[Community],
    calendar: WorkCalendar | None,
    progress: Progress | None,
) -> Iterator[tuple[Community, WorkCalendar | None, OrgIndex | None, bool]]:
    """What to plan, in order, for a community read in parts: the head (its units' duties), then each part.

    Each comes with the calendar, the organisation's lookups for its
    households, and whether its units' duties are planned.  ``progress`` is
    told the households handed out so far, after each part is planned.
    """
    check_community(rulebook, head)
    calendar = working_calendar(rulebook, calendar)
    yield head, calendar, None, True
    organisation = head.organisation
    index = None if organisation is None else OrgIndex(organisation, {}, rulebook.vocabulary)
    done = 0
    for part in parts:
        yield part, calendar, part_index(index, part), False
        done += len(part.households)
        if progress is not None:
            progress(done, 0)


def part_index(index: OrgIndex | None, part: Community) -> OrgIndex | None:
    """The organisation's lookups ``index`` (built for no households) for the households of ``part``.

    The lookups and their caches are shared; only the households' buildings
    are ``part``'s.  A community read in parts builds the lookups once.
    """
    if index is None:
        return None
    found = copy.copy(index)
    found.buildings = {h.id: h.building for h in part.households}
    return found


def plan_parts(
    rulebook: Rulebook,
    head: Community,
    parts: Iterable[Community],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> Iterator[Assigned]:
    """The assigned plan of a community read in parts (:func:`visits.stream_community`).

    The units' duties first (owed by ``head``'s organisation), then each
    part's households, in the order they come; one part at a time is held.
    ``progress`` is told the households planned so far (the total is not
    known: it is given as 0).
    """
    for community, calendar_, lookups, duties in _parts(rulebook, head, parts, calendar, progress):
        yield from assigned_plan(rulebook, community, horizon, lookups, calendar=calendar_, duties=duties, checked=True)
