"""Planner behaviour that is not tied to one rule: order, streaming, ids in keys."""

from __future__ import annotations

import pytest

from tests.helpers import BAIBUTING, circ, event, home, horizon, obligations
from visits import Household, VisitsError, plan, plan_sorted
from visits.testing import demo

YEAR = horizon("2026-01-01", "2026-12-31")


def test_streaming_planner_matches_plan_on_the_demo_community() -> None:
    """plan_sorted over the demo generator gives plan()'s exact output."""
    community = demo.generate(3_000, seed=7)
    whole = list(plan(BAIBUTING, community.households, community.events, YEAR))
    streamed = list(plan_sorted(BAIBUTING, demo.households_and_events(3_000, seed=7), YEAR))
    assert streamed == whole
    assert len(whole) > 3_000


def test_streaming_planner_refuses_unsorted_or_misattributed_input() -> None:
    """Order and event ownership are checked while streaming."""
    with pytest.raises(VisitsError, match="ids must strictly increase"):
        list(plan_sorted(BAIBUTING, [(home(ident="H2"), []), (home(ident="H1"), [])], YEAR))
    with pytest.raises(VisitsError, match="belongs to 'H1', given with 'H2'"):
        list(plan_sorted(BAIBUTING, [(home(ident="H2"), [event("alarm", "2026-01-01")])], YEAR))


def test_households_are_ordered_by_id_then_rule_then_start() -> None:
    """The documented output order."""
    found = obligations(
        [home(circ("elderly_alone", "2026-12-20"), ident="H2"), home(circ("hardship", "2026-12-01"), ident="H1")],
        horizon("2026-12-01", "2026-12-31"),
        [event("alarm", "2026-12-24", household="H2")],
    )
    assert [(o.household, o.rule.id, o.start.isoformat()) for o in found] == [
        ("H1", "hardship.monthly", "2026-12-01"),
        ("H1", "hardship.quarterly", "2026-12-01"),
        ("H1", "hardship.yearly", "2026-12-01"),
        ("H2", "elderly.weekly", "2026-12-20"),
        ("H2", "elderly.weekly", "2026-12-21"),
        ("H2", "elderly.weekly", "2026-12-28"),
        ("H2", "elderly.halfyearly", "2026-12-20"),
        ("H2", "elderly.bell", "2026-12-20"),
        ("H2", "elderly.alarm", "2026-12-24"),
    ]


def test_an_event_at_an_unlisted_household_is_still_planned() -> None:
    """The library never drops an obligation (the file loader refuses such events)."""
    found = obligations([], YEAR, [event("grievance", "2026-03-03", household="H404")])
    assert [o.key for o in found] == ["H404/arrive.grievance/E1"]


def test_slashes_in_ids_are_escaped_in_keys() -> None:
    """Keys stay unambiguous whatever the ids contain."""
    found = obligations(
        [Household(id="E1/B2/101%", circumstances=(circ("hardship", "2026-01-01"),))],
        horizon("2026-01-01", "2026-01-31"),
    )
    assert found[0].key == "E1%2FB2%2F101%25/hardship.monthly/2026-01-01/2026-01"
    assert found[0].household == "E1/B2/101%"


def test_windows_are_not_cut_by_the_horizon() -> None:
    """A one-day horizon still yields whole windows."""
    found = obligations([home(circ("hardship", "2025-06-15"))], horizon("2026-02-14", "2026-02-14"))
    assert [(o.rule.id, o.start.isoformat(), o.end.isoformat()) for o in found] == [
        ("hardship.monthly", "2026-02-01", "2026-02-28"),
        ("hardship.quarterly", "2026-01-01", "2026-03-31"),
        ("hardship.yearly", "2026-01-01", "2026-12-31"),
    ]
