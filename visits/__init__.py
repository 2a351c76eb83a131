"""visits: household-visiting rules (三必到、五必访) as data, expanded into obligations.

The whole public API is re-exported here::

    import datetime as dt
    import visits

    rulebook = visits.load_rulebook("baibuting")
    community = visits.load_community("community.json")
    horizon = visits.Horizon(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    for obligation in visits.plan(rulebook, community.households, community.events, horizon):
        print(obligation.key, obligation.due)

Obligations are assigned to people of the organisation with
``visits.assign(obligations, community.organisation, buildings)``.

Rules whose due dates fall on working days use a :class:`WorkCalendar`
(default: China's official schedule with 调休, :func:`china`).

Everything public is importable from here (and hypothesis strategies from
:mod:`visits.testing.strategies`); the modules below are private and may move.
They are layered (docs/architecture.md): a pure core (no files, no clock, no
words), then plain data and files, rendering, the use cases, the command line.

Each name is imported on first use (PEP 562's module ``__getattr__``), so
that ``import visits``, and the command line, which starts with it, load
only the modules a caller touches: a service that plans never imports the
renderers' layout libraries, and ``visits --help`` starts in a fraction of
the time.  The imports under ``TYPE_CHECKING`` say the same to type checkers
and readers; a test holds them equal to the table used at run time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from visits.core.assign import Assigned, Assignment, Choice, Skip, assign, workload
    from visits.core.cadence import Cadence, Calendar, Festival, Interval, IntervalUnit, Once, Response, Span
    from visits.core.columnar import HouseholdTable, PlanColumns
    from visits.core.columnar_assign import AssignmentColumns
    from visits.core.community import Circumstance, Community, Event, Horizon, Household, Visit
    from visits.core.compliance import Report, compliance
    from visits.core.errors import (
        CalendarError,
        CommunityError,
        FieldProblems,
        FontError,
        OutputError,
        Problem,
        RulebookError,
        VisitsError,
    )
    from visits.core.festivals import dates as festival_dates
    from visits.core.ledger import Matching, Reason, State, Status, Unmatched, match, statuses
    from visits.core.links import Link, LinkReport, apply_links, check_links, propose_links
    from visits.core.organisation import Absence, Organisation, Person, Position, Unit
    from visits.core.periods import Period
    from visits.core.planner import Obligation
    from visits.core.roster import Roster, RosterGroup, RosterLine, RosterWords
    from visits.core.rostering import build_roster
    from visits.core.rules import (
        CategoryTrigger,
        Due,
        EventTrigger,
        Gathering,
        Rule,
        Rulebook,
        Trigger,
        UnitTrigger,
        gatherings_between,
    )
    from visits.core.supervision import Supervision
    from visits.core.vocabulary import Term, Vocabulary
    from visits.core.windows import Window
    from visits.core.workdays import (
        Adjustment,
        CalendarFile,
        Day,
        DayRange,
        DueReason,
        OfficialYear,
        Source,
        WorkCalendar,
        monday_to_friday,
        statutory_holidays,
    )
    from visits.io.calendars import china
    from visits.io.convert import (
        calendar_file_from_dict,
        community_from_dict,
        community_to_dict,
        rulebook_from_dict,
        rulebook_to_dict,
    )
    from visits.io.files import (
        community_from_json,
        community_to_json,
        load_calendar,
        load_community,
        load_rulebook,
        rulebook_from_toml,
        rulebook_to_toml,
        save_community,
    )
    from visits.io.serialise import assignment_note, obligation_to_dict, skip_reason, unmatched_detail
    from visits.io.streaming import stream_community
    from visits.render.labels import describe, explain, roster_words
    from visits.render.rosters import ROSTER_FORMATS, RosterFormat, render_roster
    from visits.scale import assign_columns, column_parts, plan_columns, plan_parts, planned_columns
    from visits.service import (
        Progress,
        assigned_plan,
        cancelled,
        check_community,
        monthly_roster,
        plan,
        plan_sorted,
        status_report,
    )
    from visits.supervising import supervision

#: The public names of each module.
_MODULES: dict[str, tuple[str, ...]] = {
    "visits.core.assign": ("Assigned", "Assignment", "Choice", "Skip", "assign", "workload"),
    "visits.core.cadence": ("Cadence", "Calendar", "Festival", "Interval", "IntervalUnit", "Once", "Response", "Span"),
    "visits.core.community": ("Circumstance", "Community", "Event", "Horizon", "Household", "Visit"),
    "visits.core.columnar": ("HouseholdTable", "PlanColumns"),
    "visits.core.columnar_assign": ("AssignmentColumns",),
    "visits.core.compliance": ("Report", "compliance"),
    "visits.core.errors": (
        "CalendarError",
        "CommunityError",
        "FieldProblems",
        "FontError",
        "OutputError",
        "Problem",
        "RulebookError",
        "VisitsError",
    ),
    "visits.core.ledger": ("Matching", "Reason", "State", "Status", "Unmatched", "match", "statuses"),
    "visits.core.links": ("Link", "LinkReport", "apply_links", "check_links", "propose_links"),
    "visits.core.organisation": ("Absence", "Organisation", "Person", "Position", "Unit"),
    "visits.core.periods": ("Period",),
    "visits.core.planner": ("Obligation",),
    "visits.core.roster": ("Roster", "RosterGroup", "RosterLine", "RosterWords"),
    "visits.core.rostering": ("build_roster",),
    "visits.core.rules": (
        "CategoryTrigger",
        "Due",
        "EventTrigger",
        "Gathering",
        "Rule",
        "Rulebook",
        "Trigger",
        "UnitTrigger",
        "gatherings_between",
    ),
    "visits.core.vocabulary": ("Term", "Vocabulary"),
    "visits.core.windows": ("Window",),
    "visits.core.workdays": (
        "Adjustment",
        "CalendarFile",
        "Day",
        "DayRange",
        "DueReason",
        "OfficialYear",
        "Source",
        "WorkCalendar",
        "monday_to_friday",
        "statutory_holidays",
    ),
    "visits.io.calendars": ("china",),
    "visits.io.convert": (
        "calendar_file_from_dict",
        "community_from_dict",
        "community_to_dict",
        "rulebook_from_dict",
        "rulebook_to_dict",
    ),
    "visits.io.files": (
        "community_from_json",
        "community_to_json",
        "load_calendar",
        "load_community",
        "load_rulebook",
        "rulebook_from_toml",
        "rulebook_to_toml",
        "save_community",
    ),
    "visits.io.streaming": ("stream_community",),
    "visits.io.serialise": ("assignment_note", "obligation_to_dict", "skip_reason", "unmatched_detail"),
    "visits.render.labels": ("describe", "explain", "roster_words"),
    "visits.render.rosters": ("ROSTER_FORMATS", "RosterFormat", "render_roster"),
    "visits.service": (
        "Progress",
        "assigned_plan",
        "cancelled",
        "check_community",
        "monthly_roster",
        "plan",
        "plan_sorted",
        "status_report",
    ),
    "visits.scale": ("assign_columns", "column_parts", "plan_columns", "plan_parts", "planned_columns"),
    "visits.core.supervision": ("Supervision",),
    "visits.supervising": ("supervision",),
}
#: Public names that are another name in their module.
_RENAMED: dict[str, tuple[str, str]] = {
    "festival_dates": ("visits.core.festivals", "dates"),
}
_WHERE: dict[str, tuple[str, str]] = {
    **{name: (module, name) for module, names in _MODULES.items() for name in names},
    **_RENAMED,
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'visits' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next lookup finds it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ROSTER_FORMATS",
    "Absence",
    "Adjustment",
    "Assigned",
    "Assignment",
    "AssignmentColumns",
    "Cadence",
    "Calendar",
    "CalendarError",
    "CalendarFile",
    "CategoryTrigger",
    "Choice",
    "Circumstance",
    "Community",
    "CommunityError",
    "Day",
    "DayRange",
    "Due",
    "DueReason",
    "Event",
    "EventTrigger",
    "Festival",
    "FieldProblems",
    "FontError",
    "Gathering",
    "Horizon",
    "Household",
    "HouseholdTable",
    "Interval",
    "IntervalUnit",
    "Link",
    "LinkReport",
    "Matching",
    "Obligation",
    "OfficialYear",
    "Once",
    "Organisation",
    "OutputError",
    "Period",
    "Person",
    "PlanColumns",
    "Position",
    "Problem",
    "Progress",
    "Reason",
    "Report",
    "Response",
    "Roster",
    "RosterFormat",
    "RosterGroup",
    "RosterLine",
    "RosterWords",
    "Rule",
    "Rulebook",
    "RulebookError",
    "Skip",
    "Source",
    "Span",
    "State",
    "Status",
    "Supervision",
    "Term",
    "Trigger",
    "Unit",
    "UnitTrigger",
    "Unmatched",
    "Visit",
    "VisitsError",
    "Vocabulary",
    "Window",
    "WorkCalendar",
    "apply_links",
    "assign",
    "assign_columns",
    "assigned_plan",
    "assignment_note",
    "build_roster",
    "calendar_file_from_dict",
    "cancelled",
    "check_community",
    "check_links",
    "china",
    "column_parts",
    "community_from_dict",
    "community_from_json",
    "community_to_dict",
    "community_to_json",
    "compliance",
    "describe",
    "explain",
    "festival_dates",
    "gatherings_between",
    "load_calendar",
    "load_community",
    "load_rulebook",
    "match",
    "monday_to_friday",
    "monthly_roster",
    "obligation_to_dict",
    "plan",
    "plan_columns",
    "plan_parts",
    "plan_sorted",
    "planned_columns",
    "propose_links",
    "render_roster",
    "roster_words",
    "rulebook_from_dict",
    "rulebook_from_toml",
    "rulebook_to_dict",
    "rulebook_to_toml",
    "save_community",
    "skip_reason",
    "status_report",
    "statuses",
    "statutory_holidays",
    "stream_community",
    "supervision",
    "unmatched_detail",
    "workload",
]
