"""The supervisor's report (``visits report``): compliance month by month, and who needs a look.

Beside :mod:`visits.service` and built on it: the report's span is planned,
assigned and matched once (:func:`visits.service.status_columns`), and
:func:`visits.core.supervision.supervise` takes a snapshot at each month's
end.  numpy is imported by the core modules it calls.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from visits.core.community import Community, Horizon
from visits.core.periods import ONE_DAY
from visits.core.rules import CategoryTrigger, Rulebook
from visits.core.vocabulary import Language
from visits.core.workdays import WorkCalendar
from visits.service import estate_maps, status_columns

if TYPE_CHECKING:
    from visits.core.supervision import Places, Supervision
    from visits.render.report_page import Names

__all__ = ["DEFAULT_LIMIT", "hidden_rules", "month_spans", "report_names", "supervision"]

#: Obligations in one month above which a visitor's load is flagged (as ``visits load``'s default).
DEFAULT_LIMIT = 60


def month_spans(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of every month from ``first``'s to ``last``'s."""
    spans = []
    day = first.replace(day=1)
    while day <= last:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        spans.append((day, following - ONE_DAY))
        day = following
    return spans


def hidden_rules(rulebook: Rulebook) -> frozenset[str]:
    """The rules a redacted report leaves out: those of the rulebook's sensitive categories."""
    return frozenset(
        r.id
        for r in rulebook.rules
        if isinstance(r.trigger, CategoryTrigger) and rulebook.is_sensitive(r.trigger.category)
    )


def supervision(
    rulebook: Rulebook,
    community: Community,
    first: dt.date,
    last: dt.date,
    *,
    calendar: WorkCalendar | None = None,
    redact: bool = False,
    limit: int = DEFAULT_LIMIT,
    checked: bool = False,
) -> Supervision:
    """The report for the months from ``first``'s to ``last``'s, each as of its last day.

    ``redact`` leaves out the rules of sensitive categories everywhere
    (:func:`hidden_rules`).  ``limit`` flags a visitor's month with more
    obligations than that.  ``checked`` as for :func:`visits.status_report`.
    """
    from visits.core import supervision as core

    months = month_spans(first, last)
    if not months:
        raise ValueError(f"the report's first month ({first:%Y-%m}) is after its last ({last:%Y-%m})")
    span = Horizon(start=months[0][0], end=months[-1][1])
    records = [v for v in community.visits if v.date <= span.end]
    assignment, matching, removed = status_columns(
        rulebook, community, span, records, calendar=calendar, checked=checked
    )
    return core.supervise(
        assignment,
        matching,
        removed,
        months,
        _places(rulebook, community),
        limit=limit,
        hidden=hidden_rules(rulebook) if redact else frozenset(),
    )


def _places(rulebook: Rulebook, community: Community) -> Places:
    """Each household's and unit's estate and building, from the organisation and the rulebook's levels."""
    from visits.core.supervision import Places

    levels = rulebook.vocabulary.ids("levels")
    estates = estate_maps(community.organisation, community, levels)
    units = community.organisation.units if community.organisation is not None else ()
    return Places(
        estates=estates,
        buildings={h.id: h.building for h in community.households},
        building_units=frozenset(u.id for u in units if levels and u.level == levels[-1]),
        estate_of_building=estates[1],
    )


def report_names(rulebook: Rulebook, community: Community, language: Language) -> Names:
    """The words the report's page shows for ids: unit and people names, rule and role titles."""
    from visits.render.report_page import Names

    organisation = community.organisation
    english = language == "en"
    named = community.sections.get("community")
    name = named.get("name") if isinstance(named, dict) else None
    return Names(
        title=name if isinstance(name, str) and name else (rulebook.community or rulebook.name),
        units={u.id: u.name or u.id for u in organisation.units} if organisation else {},
        people={p.id: p.name or p.id for p in organisation.people} if organisation else {},
        rules={r.id: (r.title_en if english else r.title) or r.id for r in rulebook.rules},
        roles=rulebook.vocabulary.titles("roles", language),
    )
