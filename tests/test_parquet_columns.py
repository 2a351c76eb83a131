"""The Parquet plan written from columns is, byte for byte, the one written from obligation objects."""

from __future__ import annotations

import io

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING
from visits import Community, Horizon, Rulebook
from visits.core.workdays import WorkCalendar
from visits.io import parquet
from visits.scale import planned_columns
from visits.service import assigned_plan, plan
from visits.testing import strategies as vst

_TWICE = settings(max_examples=80)


def by_objects(rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar) -> bytes:
    sink = io.BytesIO()
    if community.organisation is None:
        items = plan(rulebook, community.households, community.events, span, calendar=calendar)
        parquet.plan_to_parquet(items, sink, units=rulebook.has_duties())
    else:
        parquet.plan_to_parquet(
            assigned_plan(rulebook, community, span, calendar=calendar), sink, units=rulebook.has_duties()
        )
    return sink.getvalue()


def by_columns(rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar, cut: int) -> bytes:
    """The plan in two batches: the duties and the households before ``cut``, then the rest; each with its events."""
    assigned = community.organisation is not None
    batches = []
    for n, homes in enumerate((community.households[:cut], community.households[cut:])):
        ids = {h.id for h in homes}
        part = attrs.evolve(
            community, households=homes, events=tuple(e for e in community.events if e.household in ids)
        )
        batches.append(
            planned_columns(rulebook, part, span, calendar=calendar, assigned=assigned, duties=n == 0, checked=True)
        )
    sink = io.BytesIO()
    parquet.columns_to_parquet(batches, sink, units=rulebook.has_duties())
    return sink.getvalue()


def _sorted(community: Community) -> Community:
    """Households in id order, each part's events with it: as a lines file gives them."""
    homes = tuple(sorted(community.households, key=lambda h: h.id))
    return attrs.evolve(community, households=homes)


@_TWICE
@given(
    data=st.data(),
    rulebook=st.one_of(st.just(BAIBUTING), vst.rulebooks(duties=True)),
    span=vst.horizons(max_days=400),
    calendar=vst.work_calendars(),
)
def test_the_same_file_for_organised_communities(
    data: st.DataObject, rulebook: Rulebook, span: Horizon, calendar: WorkCalendar
) -> None:
    community = _sorted(data.draw(vst.organised_communities(max_households=6, vocabulary=rulebook.vocabulary)))
    cut = data.draw(st.integers(0, len(community.households)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parquet, "BATCH", data.draw(st.sampled_from([3, 16_384])))  # row groups across batches too
        assert by_columns(rulebook, community, span, calendar, cut) == by_objects(rulebook, community, span, calendar)


@given(vst.communities(max_households=5), vst.horizons(max_days=400), vst.work_calendars())
def test_the_same_file_without_an_organisation(community: Community, span: Horizon, calendar: WorkCalendar) -> None:
    community = _sorted(community)
    assert by_columns(BAIBUTING, community, span, calendar, len(community.households) // 2) == by_objects(
        BAIBUTING, community, span, calendar
    )
