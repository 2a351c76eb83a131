"""The words of the domain as codes: categories, events, severities, roles and actions; and the options.

Codes only; what they are called in Chinese or English is the renderers' business.
The options (a language, a grouping) are literal types, so that mypy checks
every place that passes or compares one.
"""

from __future__ import annotations

import enum
from typing import Literal

__all__ = [
    "Action",
    "CalendarStatus",
    "Category",
    "ChangeKind",
    "ChangePart",
    "EventKind",
    "Language",
    "ReportGrouping",
    "Role",
    "RosterGrouping",
    "Severity",
]

#: The language of words a person reads: Chinese (简体) or English.
Language = Literal["zh", "en"]
#: How a roster groups its lines: by building, or by the person who visits.
RosterGrouping = Literal["unit", "person"]
#: How a compliance report groups its counts: by rule, by assignee, or by estate.
ReportGrouping = Literal["rule", "person", "unit"]
#: Whether an obligation's dates rest on a published working-day schedule.
CalendarStatus = Literal["official", "provisional"]
#: How a rulebook differs from its base, and in what.
ChangeKind = Literal["added", "removed", "changed"]
ChangePart = Literal["rule", "gathering", "rulebook"]


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
