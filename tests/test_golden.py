"""The planner's output on a small demo community is exactly the recorded one."""

from __future__ import annotations

from tests.golden.regenerate import GOLDEN, render


def test_plan_of_the_demo_community_matches_the_golden_file() -> None:
    """Keys, fields and windows do not change by accident (regenerate: python -m tests.golden.regenerate)."""
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    actual = render().splitlines()
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got == want
