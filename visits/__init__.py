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

The core (model, periods, cadences, rules, planner, assignment) is pure: no files, no
clock, no global state.  Files and the command line sit at the edges.
"""

from visits.assign import Assigned, Assignment, Skip, assign, workload
from visits.cadence import Cadence, Calendar, Interval, IntervalUnit, Once, Response, Span, Window, describe
from visits.convert import community_from_dict, community_to_dict, rulebook_from_dict, rulebook_to_dict
from visits.errors import CommunityError, FieldProblems, Problem, RulebookError, VisitsError
from visits.export import obligation_to_dict
from visits.files import (
    community_from_json,
    load_community,
    load_rulebook,
    rulebook_from_toml,
    rulebook_to_toml,
)
from visits.ledger import Matching, Reason, Report, State, Status, Unmatched, cancelled, match, statuses
from visits.links import Link, LinkReport, apply_links, check_links, propose_links
from visits.model import (
    Action,
    Category,
    Circumstance,
    Community,
    Event,
    EventKind,
    Horizon,
    Household,
    Role,
    Severity,
    Visit,
)
from visits.org import Absence, Level, Organisation, Person, Position, Unit
from visits.periods import Period
from visits.planner import Obligation, plan, plan_sorted
from visits.report import status_report
from visits.rules import CategoryTrigger, EventTrigger, Rule, Rulebook, Trigger

__all__ = [
    "Absence",
    "Action",
    "Assigned",
    "Assignment",
    "Cadence",
    "Calendar",
    "Category",
    "CategoryTrigger",
    "Circumstance",
    "Community",
    "CommunityError",
    "Event",
    "EventKind",
    "EventTrigger",
    "FieldProblems",
    "Horizon",
    "Household",
    "Interval",
    "IntervalUnit",
    "Level",
    "Link",
    "LinkReport",
    "Matching",
    "Obligation",
    "Once",
    "Organisation",
    "Period",
    "Person",
    "Position",
    "Problem",
    "Reason",
    "Report",
    "Response",
    "Role",
    "Rule",
    "Rulebook",
    "RulebookError",
    "Severity",
    "Skip",
    "Span",
    "State",
    "Status",
    "Trigger",
    "Unit",
    "Unmatched",
    "Visit",
    "VisitsError",
    "Window",
    "apply_links",
    "assign",
    "cancelled",
    "check_links",
    "community_from_dict",
    "community_from_json",
    "community_to_dict",
    "describe",
    "load_community",
    "load_rulebook",
    "match",
    "obligation_to_dict",
    "plan",
    "plan_sorted",
    "propose_links",
    "rulebook_from_dict",
    "rulebook_from_toml",
    "rulebook_to_dict",
    "rulebook_to_toml",
    "status_report",
    "statuses",
    "workload",
]
