"""The use cases: each chains the core over a community, with the defaults a caller expects.

The core takes everything as an argument; this layer chooses the defaults
(China's working-day calendar when a rulebook counts working days and the
caller passes none) and composes the steps: plan → assign → match records →
status as of a date → counts per group.  The command line and the public
functions of :mod:`visits` both come through here, so they give one answer.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from visits.core import ledger, planner
from visits.core.assign import Assigned, Eligibility, OrgIndex, assign
from visits.core.community import Circumstance, Community, Event, Horizon, Household, Visit
from visits.core.compliance import Report
from visits.core.conformance import community_problems
from visits.core.errors import CommunityError
from visits.core.ledger import match
from visits.core.organisation import Organisation, Unit, UnitTree
from visits.core.periods import Period, bounds
from visits.core.planner import Obligation
from visits.core.roster import Roster
from visits.core.rostering import build_roster
from visits.core.rules import Rulebook, gatherings_between
from visits.core.vocabulary import Language, ReportGrouping, RosterGrouping
from visits.core.workdays import WorkCalendar
from visits.io.calendars import china
from visits.render.labels import roster_words
from visits.render.status_json import report_to_dict

if TYPE_CHECKING:
    from visits.core.columnar import PlanColumns
    from visits.core.columnar_assign import AssignmentColumns
    from visits.core.columnar_match import MatchColumns

__all__ = [
    "GROUPINGS",
    "Progress",
    "assigned_plan",
    "cancelled",
    "check_community",
    "estate_maps",
    "monthly_roster",
    "plan",
    "plan_sorted",
    "report_to_dict",
    "status_columns",
    "status_report",
    "working_calendar",
]

GROUPINGS: tuple[ReportGrouping, ...] = ("unit", "person", "rule")


def check_community(rulebook: Rulebook, community: Community) -> None:
    """Raise :class:`CommunityError` listing every id of ``community`` that ``rulebook``'s vocabulary lacks.

    Unknown categories, event kinds, severities, actions, levels and roles,
    units under a parent of the wrong level, and positions at a unit of
    another level than their role's (:mod:`visits.core.conformance`).  The
    functions below that take a community call it first.
    """
    problems = community_problems(community, rulebook.vocabulary)
    if problems:
        raise CommunityError(problems)


def working_calendar(rulebook: Rulebook, calendar: WorkCalendar | None = None) -> WorkCalendar | None:
    """The calendar to plan ``rulebook`` with: ``calendar``, else China's if the rulebook counts working days."""
    if calendar is not None or not rulebook.uses_working_days():
        return calendar
    return china()


#: Told how far long work has got: ``progress(done, total)``, e.g. households planned of all of them
#: (``total`` 0: not known, as when a file is read a part at a time).
Progress = Callable[[int, int], None]


def plan(
    rulebook: Rulebook,
    households: Iterable[Household],
    events: Iterable[Event],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    units: Iterable[Unit] = (),
    progress: Progress | None = None,
) -> Iterator[Obligation]:
    """Every obligation whose window overlaps ``horizon``, in a fixed order (:func:`visits.core.planner.plan`).

    Rules that use working days consult ``calendar`` (default: China's
    official schedule, :func:`visits.china`).  ``units`` (the organisation's)
    owe the duties of their level, planned first.  ``progress``, if given,
    is told how many households are planned as the obligations are taken:
    ``(0, n)`` first, ``(n, n)`` once the last is through, rising between.
    """
    calendar = working_calendar(rulebook, calendar)
    if progress is None:
        return planner.plan(rulebook, households, events, horizon, calendar=calendar, units=units)
    households = tuple(households)
    obligations = planner.plan(rulebook, households, events, horizon, calendar=calendar, units=units)
    return _followed(obligations, households, progress)


def _followed(
    obligations: Iterator[Obligation], households: Sequence[Household], progress: Progress
) -> Iterator[Obligation]:
    """The obligations, unchanged, telling ``progress`` how many households come before the current one.

    The planner gives households in id order (after the units' duties), so
    the count is the current household's place among the sorted ids.
    """
    ids = sorted(h.id for h in households)
    total, done = len(ids), 0
    progress(0, total)
    for o in obligations:
        if o.household is not None:
            place = bisect.bisect_left(ids, o.household)
            if place > done:
                done = place
                progress(done, total)
        yield o
    progress(total, total)


def plan_sorted(
    rulebook: Rulebook,
    households: Iterable[tuple[Household, Sequence[Event]]],
    horizon: Horizon,
    *,
    calendar: WorkCalendar | None = None,
    units: Iterable[Unit] = (),
) -> Iterator[Obligation]:
    """:func:`plan` streamed from households given in increasing id order (:func:`visits.core.planner.plan_sorted`)."""
    calendar = working_calendar(rulebook, calendar)
    return planner.plan_sorted(rulebook, households, horizon, calendar=calendar, units=units)


def cancelled(
    rulebook: Rulebook,
    households: Iterable[Household],
    horizon: Horizon,
    planned: Iterable[str] | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> list[tuple[Obligation, Circumstance]]:
    """Obligations a re-plan removed because their circumstance ended before the window opened.

    See :func:`visits.core.ledger.cancelled`.  ``planned`` may pass the keys
    of the actual plan if they are already known; otherwise the households
    with an ended circumstance are planned to find them.
    """
    homes = [h for h in households if any(c.end is not None for c in h.circumstances)]
    calendar = working_calendar(rulebook, calendar)
    if planned is None:
        planned = (o.key for o in planner.plan(rulebook, homes, (), horizon, calendar=calendar))
    return ledger.cancelled(rulebook, homes, horizon, planned, calendar=calendar)


def assigned_plan(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    index: OrgIndex | None = None,
    *,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
    duties: bool = True,
    checked: bool = False,
) -> Iterator[Assigned]:
    """The plan with assignees (none, with a note, if the community has no organisation).

    The community is checked against the rulebook's vocabulary first
    (:func:`check_community`).  ``progress`` is :func:`plan`'s.  Without
    ``duties`` the units' duties are left out: a part of a community planned
    on its own (:mod:`visits.dask`) leaves them to one part.  ``checked``
    says the community was read with the rulebook's vocabulary already (a
    part of a lines file): the organisation is then not checked again.
    """
    if not checked:
        check_community(rulebook, community)
    units = community.organisation.units if community.organisation is not None and duties else ()
    obligations = plan(
        rulebook, community.households, community.events, horizon, calendar=calendar, units=units, progress=progress
    )
    buildings = {h.id: h.building for h in community.households}
    return assign(obligations, community.organisation, buildings, rulebook.vocabulary, index=index)


def estate_maps(
    organisation: Organisation | None, community: Community, levels: Sequence[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The unit of the second level (Baibuting's estate, 苑区) of each household, and of each unit.

    A unit above that level (the community) stands for itself.
    """
    if organisation is None or len(levels) < 2:
        return {}, {}
    tree = UnitTree(organisation.units)
    chains = ((h.id, tree.chain(h.building)) for h in community.households)
    homes = {household: chain[levels[1]] for household, chain in chains if levels[1] in chain}
    units = {u.id: tree.chain(u.id).get(levels[1], u.id) for u in organisation.units}
    return homes, units


def status_report(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    as_of: dt.date,
    by: ReportGrouping = "rule",
    *,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
    duties: bool = True,
    index: OrgIndex | None = None,
    checked: bool = False,
) -> Report:
    """The compliance report of ``community`` for obligations in ``horizon``, as of ``as_of``.

    ``by`` groups by ``rule``, ``person`` (the assignee) or ``unit`` (the
    household's estate).  Only records dated on or before ``as_of`` count.
    ``progress`` is told ``(0, n)`` before the planning and ``(n, n)`` after
    it, ``n`` the households.  Planned, assigned and matched in columns
    (:mod:`visits.core.columnar_status`); the property tests hold the report
    equal to :func:`visits.core.compliance.compliance` over the statuses of
    the object path.  ``duties`` and ``checked``: as for
    :func:`assigned_plan`; ``index`` may pass the organisation's lookups
    already built (for these households).
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, got {by!r}")
    from visits.core import columnar_status  # numpy's, for a report only

    records = [v for v in community.visits if v.date <= as_of]
    options = {"calendar": calendar, "progress": progress, "duties": duties, "index": index, "checked": checked}
    assignment, matching, removed = status_columns(rulebook, community, horizon, records, **options)  # type: ignore[arg-type]
    estates = estate_maps(community.organisation, community, rulebook.vocabulary.ids("levels"))
    return columnar_status.report(assignment, matching, removed, as_of, by, estates)


def status_columns(
    rulebook: Rulebook,
    community: Community,
    horizon: Horizon,
    records: Iterable[Visit],
    *,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
    duties: bool = True,
    index: OrgIndex | None = None,
    checked: bool = False,
) -> tuple[AssignmentColumns, MatchColumns, PlanColumns]:
    """The rows a status is counted from: assigned, matched against ``records``, and the cancelled ones.

    One planning pass (:mod:`visits.core.columnar_status`); the options are
    :func:`status_report`'s.
    """
    from visits.core import columnar, columnar_assign, columnar_match, columnar_status

    if not checked:
        check_community(rulebook, community)
    organisation, vocabulary = community.organisation, rulebook.vocabulary
    buildings = {h.id: h.building for h in community.households}
    if index is None and organisation is not None:
        index = OrgIndex(organisation, buildings, vocabulary)
    if progress is not None:
        progress(0, len(community.households))
    # The ended circumstances ride along, as if they had gone on, to find what their end cancelled.
    table = columnar.HouseholdTable.from_households(community.households, community.events)
    extended = columnar_status.with_ended(table)
    units = organisation.units if organisation is not None and duties else ()
    calendar = working_calendar(rulebook, calendar)
    rows = columnar.plan_columns(rulebook, extended.table, horizon, calendar=calendar, units=units)
    planned, removed, _ = columnar_status.split(rows, extended)
    if progress is not None:
        progress(len(community.households), len(community.households))
    assignment = columnar_assign.assign_columns(planned, organisation, buildings, vocabulary, index=index)
    matching = columnar_match.match_columns(
        planned, assignment, records, organisation, buildings, vocabulary, index=index
    )
    return assignment, matching, removed


def monthly_roster(
    rulebook: Rulebook,
    community: Community,
    year: int,
    month: int,
    *,
    by: RosterGrouping = "unit",
    unit: str | None = None,
    person: str | None = None,
    language: Language = "zh",
    redact: bool = False,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Roster:
    """The month's roster (月度走访安排表) of a community, ready for :func:`visits.render_roster`.

    Obligations whose window overlaps the month, assigned, marked met by the
    community's records dated up to ``as_of`` (default: the month's last
    day), with the rulebook's gatherings of the month.  ``by``, ``unit``,
    ``person``, ``language`` and ``redact`` are those of
    :func:`visits.core.roster.build_roster`; a redacted roster hides the
    rulebook's sensitive categories.  The title names the community
    (``community.name`` in the file's ``community`` section, else the
    rulebook's).
    """
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {language!r}")
    first = dt.date(year, month, 1)
    span = Horizon(start=first, end=bounds(Period.MONTH, first)[1])
    buildings = {h.id: h.building for h in community.households}
    organisation = community.organisation
    index = None if organisation is None else OrgIndex(organisation, buildings, rulebook.vocabulary)
    assigned = list(assigned_plan(rulebook, community, span, index, calendar=calendar))
    as_of = as_of or span.end
    eligible = None if index is None else _eligible(Eligibility(index))
    met = None
    if community.visits and community.organisation is not None:
        records = [v for v in community.visits if v.date <= as_of]
        met = match(records, assigned, community.organisation, buildings, rulebook.vocabulary, index=index).met
    named = community.sections.get("community")
    name = named.get("name") if isinstance(named, dict) else None
    return build_roster(
        assigned,
        year=year,
        month=month,
        households=community.households,
        organisation=community.organisation,
        levels=rulebook.vocabulary.ids("levels"),
        by=by,
        unit=unit,
        person=person,
        words=roster_words(language, rulebook.vocabulary),
        redact=redact,
        community=name if isinstance(name, str) and name else (rulebook.community or "社区"),
        met=met,
        as_of=as_of,
        gatherings=gatherings_between(rulebook, span.start, span.end),
        sensitive=rulebook.sensitive_categories(),
        eligible=eligible,
    )


def _eligible(eligibility: Eligibility) -> Callable[[Obligation], frozenset[str]]:
    """Who may fulfil an obligation besides its assignee: the holders of its rule's roles for its subject."""
    return lambda o: eligibility.people((o.household, o.unit), o.rule.roles)
