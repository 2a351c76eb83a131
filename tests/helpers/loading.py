"""Plain data for the loaders, and the lines their errors print."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.helpers import BAIBUTING
from visits import CommunityError, RulebookError, community_from_dict, rulebook_from_dict, rulebook_to_dict


def rulebook_lines(data: Any) -> list[str]:
    with pytest.raises(RulebookError) as caught:
        rulebook_from_dict(data)
    return caught.value.lines()


def community_lines(data: Any) -> list[str]:
    """The problems of a community file, read against the Baibuting vocabulary as the command line does."""
    with pytest.raises(CommunityError) as caught:
        community_from_dict(data, BAIBUTING.vocabulary)
    return caught.value.lines()


def baibuting_dict() -> dict[str, Any]:
    return copy.deepcopy(rulebook_to_dict(BAIBUTING))


GOOD: dict[str, Any] = {
    "households": [{"id": "H1", "circumstances": [{"category": "hardship", "start": "2026-01-01", "end": None}]}],
    "events": [{"id": "E1", "household": "H1", "kind": "family_dispute", "date": "2026-05-04", "severity": "minor"}],
}


ORG: dict[str, Any] = {
    "units": [
        {"id": "C", "name": "百步亭社区", "level": "community", "parent": None},
        {"id": "E1", "name": "温馨苑", "level": "estate", "parent": "C"},
        {"id": "Z1", "name": "温馨苑1片区", "level": "zone", "parent": "E1"},
        {"id": "B1", "name": "1栋", "level": "building", "parent": "Z1"},
    ],
    "people": [
        {
            "id": "P1",
            "name": "张丽",
            "positions": [{"role": "group_leader", "unit": "B1", "rank": 1}],
            "absences": [{"start": "2026-12-01", "end": "2026-12-31"}],
        },
        {"id": "P2", "name": "李堃", "positions": [{"role": "group_leader", "unit": "B1", "rank": 2}]},
        {"id": "P3", "name": "王喆", "positions": [{"role": "party_member", "unit": "B1"}], "households": ["H1"]},
    ],
}


def organised() -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    data.update(copy.deepcopy(ORG))
    data["households"][0]["building"] = "B1"
    return data
