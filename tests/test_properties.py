"""Invariants of the planner, checked on generated rulebooks and communities."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import defaultdict

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING
from visits import (
    Calendar,
    CategoryTrigger,
    Community,
    Horizon,
    Interval,
    Obligation,
    Rule,
    Rulebook,
    Span,
    plan,
    rulebook_from_dict,
    rulebook_from_toml,
    rulebook_to_dict,
    rulebook_to_toml,
)
from visits.core.periods import bounds
from visits.testing import strategies as vst

ONE_DAY = dt.timedelta(days=1)
rulebooks_or_baibuting = st.one_of(st.just(BAIBUTING), vst.rulebooks())


def run(rulebook: Rulebook, community: Community, horizon: Horizon) -> list[Obligation]:
    return list(plan(rulebook, community.households, community.events, horizon))


@st.composite
def periodic_rulebooks(draw: st.DrawFn) -> Rulebook:
    """Rulebooks whose rules all cut circumstances into consecutive windows."""
    rules = []
    for n in range(draw(st.integers(1, 4))):
        base = draw(vst.rules(ident=f"r.p{n}"))
        trigger = CategoryTrigger(category=draw(st.sampled_from(BAIBUTING.vocabulary.ids("categories"))))
        rules.append(attrs.evolve(base, trigger=trigger, cadence=draw(vst.periodic_cadences())))
    return Rulebook(name="periodic", rules=tuple(rules), vocabulary=BAIBUTING.vocabulary)


class TestWindows:
    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons())
    def test_windows_of_one_household_and_rule_are_ordered_and_never_overlap(
        self, rulebook: Rulebook, community: Community, horizon: Horizon
    ) -> None:
        """Per household and category rule, each window starts after the previous ends."""
        by_pair: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
        for o in run(rulebook, community, horizon):
            if o.event is None:
                by_pair[o.subject, o.rule.id].append(o)
        for found in by_pair.values():
            for before, after in itertools.pairwise(found):
                assert before.end < after.start

    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons())
    def test_due_lies_in_the_window_and_the_window_overlaps_the_horizon(
        self, rulebook: Rulebook, community: Community, horizon: Horizon
    ) -> None:
        """start <= due <= end, and start..end shares a day with the horizon."""
        for o in run(rulebook, community, horizon):
            assert o.start <= o.due <= o.end
            assert horizon.overlaps(o.start, o.end)

    @given(periodic_rulebooks(), vst.communities(first=dt.date(2020, 1, 1), last=dt.date(2023, 12, 31)))
    def test_every_day_of_a_circumstance_lies_in_exactly_one_window_of_each_periodic_rule(
        self, rulebook: Rulebook, community: Community
    ) -> None:
        """Calendar periods and anchored intervals partition the circumstance."""
        horizon = Horizon(start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31))
        found = run(rulebook, community, horizon)
        for household in community.households:
            for c in household.circumstances:
                last = c.end or horizon.end
                for rule in rulebook:
                    if rule.category is not c.category:
                        continue
                    mine = [o for o in found if o.household == household.id and o.rule == rule and o.anchor == c.start]
                    covered = sum((o.end - o.start).days + 1 for o in mine)
                    assert mine[0].start == c.start
                    assert min(mine[-1].end, last) == last
                    assert covered >= (last - c.start).days + 1
                    assert all(a.end + ONE_DAY == b.start for a, b in itertools.pairwise(mine))

    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons())
    def test_each_calendar_window_lies_inside_one_period_and_inside_its_circumstance(
        self, rulebook: Rulebook, community: Community, horizon: Horizon
    ) -> None:
        """Window is a subset of period and of circumstance."""
        circumstances = {(h.id, c.category, c.start): c for h in community.households for c in h.circumstances}
        for o in run(rulebook, community, horizon):
            cadence = o.rule.cadence
            if isinstance(cadence, Calendar | Interval):
                assert o.rule.category is not None
                c = circumstances[o.subject, o.rule.category, o.anchor]
                assert c.covers(o.start)
                assert c.covers(o.end)
            if isinstance(cadence, Calendar):
                first, last = bounds(cadence.period, o.start)
                assert first <= o.start <= o.end <= last


class TestStability:
    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons(), st.data())
    def test_splitting_the_horizon_gives_the_same_obligations_and_keys(
        self, rulebook: Rulebook, community: Community, horizon: Horizon, data: st.DataObject
    ) -> None:
        """Plan(a..b) == Plan(a..m) merged with Plan(m+1..b), by key."""
        days = (horizon.end - horizon.start).days
        assume(days > 0)
        middle = horizon.start + dt.timedelta(days=data.draw(st.integers(0, days - 1)))
        whole = {o.key: o for o in run(rulebook, community, horizon)}
        merged: dict[str, Obligation] = {}
        for part in (Horizon(start=horizon.start, end=middle), Horizon(start=middle + ONE_DAY, end=horizon.end)):
            for o in run(rulebook, community, part):
                assert merged.setdefault(o.key, o) == o
        assert merged == whole

    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons(), st.randoms(use_true_random=False))
    def test_input_order_does_not_change_the_output(
        self, rulebook: Rulebook, community: Community, horizon: Horizon, rng: random.Random
    ) -> None:
        """Shuffled households, circumstances and events plan identically."""
        households = [
            attrs.evolve(h, circumstances=tuple(rng.sample(h.circumstances, len(h.circumstances))))
            for h in community.households
        ]
        shuffled = Community(
            households=tuple(rng.sample(households, len(households))),
            events=tuple(rng.sample(community.events, len(community.events))),
        )
        assert run(rulebook, shuffled, horizon) == run(rulebook, community, horizon)

    @given(rulebooks_or_baibuting, vst.communities(), vst.horizons())
    def test_keys_are_unique_within_a_plan(self, rulebook: Rulebook, community: Community, horizon: Horizon) -> None:
        """No two obligations share a key."""
        found = [o.key for o in run(rulebook, community, horizon)]
        assert len(found) == len(set(found))

    @settings(max_examples=60)  # each example plans twice over a long horizon: the slowest property
    @given(rulebooks_or_baibuting, vst.communities(), st.data())
    def test_setting_an_end_date_later_keeps_the_keys_of_what_remains(
        self, rulebook: Rulebook, community: Community, data: st.DataObject
    ) -> None:
        """Closing an open circumstance removes or cuts windows, never re-keys them.

        Planned over a horizon holding every window, each obligation left after
        the end date is set has the same key and start as before.  Its window
        is no longer, except a span's: while a stay is open its window is the
        first ``open_days`` days, and once it ends the window is the stay.
        """
        everything = Horizon(start=dt.date(1990, 1, 1), end=dt.date(2040, 12, 31))
        open_ones = [(h, c) for h in community.households for c in h.circumstances if c.end is None]
        assume(open_ones)
        household, target = data.draw(st.sampled_from(open_ones))
        end = data.draw(st.dates(min_value=target.start, max_value=target.start + dt.timedelta(days=400)))
        closed = attrs.evolve(
            household,
            circumstances=tuple(attrs.evolve(c, end=end) if c == target else c for c in household.circumstances),
        )
        after = Community(
            households=tuple(closed if h is household else h for h in community.households),
            events=community.events,
        )
        before = {o.key: o for o in run(rulebook, community, everything)}
        for o in run(rulebook, after, everything):
            assert o.key in before
            assert o.start == before[o.key].start
            assert o.end <= before[o.key].end or isinstance(o.rule.cadence, Span)
            if o.household == household.id and o.anchor == target.start and o.rule.category is target.category:
                assert o.end <= end


class TestRoundTrip:
    @given(vst.rulebooks())
    def test_rulebook_to_toml_and_back_is_identity(self, rulebook: Rulebook) -> None:
        """TOML written by the library reads back equal."""
        assert rulebook_from_toml(rulebook_to_toml(rulebook)) == rulebook

    @given(vst.rulebooks())
    def test_rulebook_to_json_and_back_is_identity(self, rulebook: Rulebook) -> None:
        """The plain-dict form survives JSON."""
        assert rulebook_from_dict(json.loads(json.dumps(rulebook_to_dict(rulebook)))) == rulebook

    def test_the_builtin_rulebook_round_trips(self) -> None:
        """Including its Chinese text and readings."""
        assert rulebook_from_toml(rulebook_to_toml(BAIBUTING)) == BAIBUTING


@settings(max_examples=30)
@given(vst.rules())
def test_generated_rules_pass_the_loaders_checks(rule: Rule) -> None:
    """A generated rule, alone in a rulebook, is accepted by the file loader and read back equal.

    The loader checks more than the object does (names, ids against the
    rulebook, the plain-data form), so a strategy that drew something only
    Python accepts fails here.
    """
    book = Rulebook(name="one rule", rules=(rule,), vocabulary=BAIBUTING.vocabulary)
    assert rulebook_from_dict(json.loads(json.dumps(rulebook_to_dict(book)))).rules == (rule,)
