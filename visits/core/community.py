"""Domain vocabulary and the community's facts: households, circumstances, events.

All objects are frozen attrs classes that check themselves when built, so an
invalid household cannot exist.  The checks report every problem of an object
at once (see :class:`visits.errors.FieldProblems`).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
from dateutil.relativedelta import relativedelta

from visits.core.text import text_problem
from visits.errors import raise_if

if TYPE_CHECKING:
    from visits.core.organisation import Organisation

__all__ = [
    "MAX_DATE",
    "MAX_HORIZON_YEARS",
    "MIN_DATE",
    "Action",
    "Category",
    "Circumstance",
    "Community",
    "Event",
    "EventKind",
    "Horizon",
    "Household",
    "Role",
    "Severity",
    "Visit",
]

#: Dates outside this range are rejected: they are typing mistakes, not records.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
#: A plan horizon longer than this is almost certainly a typo (2206 for 2026).
MAX_HORIZON_YEARS = 100


class Category(enum.StrEnum):
    """The five kinds of household that must be visited (五必访)."""

    HARDSHIP = "hardship"  # 困难家庭
    HOSPITALIZED = "hospitalized"  # 住院病人
    UNEMPLOYED = "unemployed"  # 下岗失业人员
    RELEASED = "released"  # 劳教释放/刑释解教人员
    ELDERLY_ALONE = "elderly_alone"  # 孤寡老人


class EventKind(enum.StrEnum):
    """Events that oblige someone to arrive (三必到, plus the elderly call bell)."""

    EMERGENCY = "emergency"  # 突发事件
    GRIEVANCE = "grievance"  # 不满情绪
    FAMILY_DISPUTE = "family_dispute"  # 家庭纠纷
    ALARM = "alarm"  # 爱心铃 rung by an elderly resident


class Severity(enum.StrEnum):
    """小事 (minor) or 大事 (major): 小事不过夜，大事不隔天."""

    MINOR = "minor"
    MAJOR = "major"


class Role(enum.StrEnum):
    """A position in the five-level organisation (五级负责), or a linked person."""

    COMMITTEE = "committee"  # 社区党委 (secretary or member), level 1
    BRANCH_SECRETARY = "branch_secretary"  # 苑区支部书记, level 2
    BRANCH_MEMBER = "branch_member"  # 片区支部委员, level 3
    GROUP_LEADER = "group_leader"  # 楼栋党小组长, level 4
    PARTY_MEMBER = "party_member"  # 党员 linked to the household, level 5
    CARER = "carer"  # 一对一/多对一 visitor of an elderly resident
    CONTACT = "contact"  # 专人: the dedicated contact of a released person


class Action(enum.StrEnum):
    """What the obligation asks for."""

    VISIT = "visit"  # 看望/走访
    GIFT_VISIT = "gift_visit"  # 慰问
    CONTACT = "contact"  # 联系
    REVIEW = "review"  # 研究解决 (a case review, not a home visit)
    ASSESS = "assess"  # 了解情况
    ACCOMPANY = "accompany"  # 陪同接回
    ASSIGN = "assign"  # 指派专人
    INSTALL = "install"  # 设置爱心铃
    ARRIVE = "arrive"  # 必到


def _date_problems(field: str, value: dt.date) -> list[tuple[str, str]]:
    if not MIN_DATE <= value <= MAX_DATE:
        return [(field, f"out of range ({value.isoformat()} not in {MIN_DATE}..{MAX_DATE})")]
    return []


def _range_problems(start: dt.date, end: dt.date | None) -> list[tuple[str, str]]:
    """Both dates in range, and ``end`` (if any) not before ``start``."""
    problems = _date_problems("start", start)
    if end is not None:
        problems += _date_problems("end", end)
        if end < start:
            problems.append(("end", f"before start ({end} < {start})"))
    return problems


def _id_problems(field: str, value: str) -> list[tuple[str, str]]:
    if not value or value != value.strip():
        return [(field, f"must be a non-empty id without surrounding spaces, got {value!r}")]
    return _line_problems((field, value))


def _line_problems(*fields: tuple[str, str]) -> list[tuple[str, str]]:
    """One-line text fields (names, addresses, titles): no control characters, no line breaks."""
    out = []
    for field, value in fields:
        problem = text_problem(value)
        if problem is not None:
            out.append((field, problem))
    return out


@attrs.frozen(kw_only=True)
class Circumstance:
    """A household is in ``category`` from ``start`` to ``end`` inclusive (``None``: still).

    For ``released`` the start is the release date; for ``hospitalized`` the
    circumstance is the hospital stay.
    """

    category: Category
    start: dt.date
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        raise_if(_range_problems(self.start, self.end))

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies inside the circumstance."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Circumstance) -> bool:
        """Whether the two date intervals share a day."""
        a_end = self.end or MAX_DATE
        b_end = other.end or MAX_DATE
        return self.start <= b_end and other.start <= a_end


@attrs.frozen(kw_only=True)
class Household:
    """A household and its circumstances (at most one of a category at any day)."""

    id: str
    circumstances: tuple[Circumstance, ...] = ()
    building: str | None = None
    name: str = ""
    address: str = ""

    def __attrs_post_init__(self) -> None:
        problems = _id_problems("id", self.id) + _line_problems(("name", self.name), ("address", self.address))
        if self.building is not None:
            problems += _id_problems("building", self.building)
        for j, c in enumerate(self.circumstances):
            for i in range(j):
                other = self.circumstances[i]
                if other.category == c.category and other.overlaps(c):
                    problems.append(
                        (
                            f"circumstances[{j}]",
                            f"overlaps circumstances[{i}] of the same category "
                            f"{c.category.value!r} ({_span(other)} and {_span(c)})",
                        )
                    )
        raise_if(problems)


def _span(c: Circumstance) -> str:
    return f"{c.start}..{c.end if c.end is not None else 'open'}"


@attrs.frozen(kw_only=True)
class Event:
    """Something happened at a household that obliges someone to arrive (三必到)."""

    id: str
    household: str
    kind: EventKind
    date: dt.date
    severity: Severity = Severity.MINOR

    def __attrs_post_init__(self) -> None:
        raise_if(
            _id_problems("id", self.id) + _id_problems("household", self.household) + _date_problems("date", self.date)
        )


@attrs.frozen(kw_only=True)
class Horizon:
    """The inclusive date range a plan covers.

    Obligations whose window overlaps the horizon are planned; their windows
    are not cut to it.
    """

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        problems = _range_problems(self.start, self.end)
        if problems:
            raise_if(problems)
        limit: dt.date = self.start + relativedelta(years=MAX_HORIZON_YEARS)
        if self.start <= self.end and self.end >= limit:
            problems.append(("end", f"horizon longer than {MAX_HORIZON_YEARS} years ({self.start}..{self.end})"))
        raise_if(problems)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the inclusive range ``start..end`` shares a day with the horizon."""
        return start <= self.end and self.start <= end


@attrs.frozen(kw_only=True)
class Visit:
    """A record that ``person`` did ``action`` at ``household`` on ``date``."""

    id: str
    household: str
    person: str
    date: dt.date
    action: Action
    note: str = ""

    def __attrs_post_init__(self) -> None:
        raise_if(
            _id_problems("id", self.id)
            + _id_problems("household", self.household)
            + _id_problems("person", self.person)
            + _date_problems("date", self.date)
        )


def _frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return types.MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Community:
    """The contents of a community file.

    ``organisation`` holds the ``units`` and ``people`` sections, if given;
    ``visits`` the visit records.  ``sections`` keeps the top-level sections
    this version does not use untouched, so that a file read and written again loses
    nothing.
    """

    households: tuple[Household, ...]
    events: tuple[Event, ...] = ()
    organisation: Organisation | None = None
    visits: tuple[Visit, ...] = ()
    sections: Mapping[str, object] = attrs.field(factory=dict, converter=_frozen_mapping, eq=False, hash=False)
