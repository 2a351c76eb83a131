"""Regenerate the golden plan: ``python -m tests.golden.regenerate``.

Run it only when a change to the output is intended, and say why in the
commit: other services depend on keys and field names staying the same.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from visits import Horizon, load_rulebook, plan
from visits.core.assign import assign
from visits.io.calendars import china
from visits.io.serialise import to_jsonl
from visits.testing import demo

GOLDEN = Path(__file__).with_name("demo-300-2026.jsonl")
HOUSEHOLDS, SEED, YEAR = 300, 0, 2026


def render() -> str:
    """The assigned plan of the small demo community for its whole year, as JSON Lines."""
    community = demo.generate(HOUSEHOLDS, seed=SEED, year=YEAR)
    assert community.organisation is not None
    horizon = Horizon(start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    # The calendar as published up to 2026, so that the file does not change
    # when the holiday package learns 2027 (weeks ending in January 2027 stay
    # "provisional" here).
    calendar = china().up_to(YEAR)
    rulebook = load_rulebook()
    obligations = plan(rulebook, community.households, community.events, horizon, calendar=calendar)
    buildings = {h.id: h.building for h in community.households}
    return "".join(to_jsonl(assign(obligations, community.organisation, buildings, rulebook.vocabulary)))


if __name__ == "__main__":
    GOLDEN.write_text(render(), encoding="utf-8")
    print(f"wrote {GOLDEN}")
