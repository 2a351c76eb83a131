"""Visit records drawn around a plan's windows, for the properties of matching, status and the report."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from tests.helpers import d
from visits import Community, Rulebook
from visits.core.assign import Assigned
from visits.core.community import Visit


@st.composite
def records_for(draw: st.DrawFn, assigned: list[Assigned], community: Community, rulebook: Rulebook) -> list[Visit]:
    """Records around the windows: by the assignee or anyone, mostly the rule's action, several for one window."""
    people = [p.id for p in community.organisation.people] if community.organisation else []
    people = people or ["P-none"]
    actions = list(rulebook.vocabulary.ids("actions"))
    homes = [h.id for h in community.households]
    chosen = draw(st.lists(st.sampled_from(assigned), max_size=25)) if assigned else []
    records = []
    for n, a in enumerate(chosen):
        o = a.obligation
        day = o.start + dt.timedelta(days=draw(st.integers(-2, (o.end - o.start).days + 2)))
        who = draw(st.sampled_from(([a.assignee] if a.assignee else []) + people))
        action = draw(st.sampled_from([o.rule.action, o.rule.action, *actions]))
        ident = f"V{draw(st.integers(0, 9))}-{n}"  # an order by id that is not the drawing order
        records.append(Visit(id=ident, household=o.household, unit=o.unit, person=who, date=day, action=action))
    if draw(st.booleans()) and homes:
        records.append(
            Visit(
                id="X",
                household=draw(st.sampled_from(homes)),
                person=people[0],
                date=d("2026-01-05"),
                action=actions[0],
            )
        )
    return records
