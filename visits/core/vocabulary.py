"""A community's vocabulary, and the options.

A rulebook declares the words its rules use (:class:`Vocabulary`): the
categories of household, the kinds of event and their severities, the
levels of its organisation, the roles people hold, and the actions asked
for, each as an id with a Chinese ``title`` and an English ``title_en``.
Rules, households, units and people refer to them by id, and every
reference is checked against the declaration.

The options (a language, a grouping) are literal types, so that mypy checks
every place that passes or compares one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from visits.core.checks import line_problems
from visits.core.errors import raise_if

__all__ = [
    "TABLES",
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
    "Term",
    "Vocabulary",
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


@attrs.frozen(kw_only=True)
class Term:
    """One word of a vocabulary: an id, its Chinese ``title``, English ``title_en`` and a description.

    ``sensitive`` is for categories (sensitive personal information, hidden
    by redaction); ``severities`` for event kinds (the severities an event
    of the kind may have); ``level`` or ``linked`` for roles (the level of
    the organisation the role serves at, or a person linked to particular
    households).  Each table allows only its own fields (:data:`TABLES`).
    """

    id: str
    title: str
    title_en: str = ""
    description: str = ""
    sensitive: bool = False
    severities: tuple[str, ...] = ()
    level: str | None = None
    linked: bool = False

    def __attrs_post_init__(self) -> None:
        problems = line_problems(("title", self.title), ("title_en", self.title_en))
        if not self.title.strip():
            problems.append(("title", "must not be empty"))
        if self.level is not None and self.linked:
            problems.append(("linked", "a role either serves at a level or is linked to households, not both"))
        raise_if(problems)


#: The tables of a vocabulary, and the fields a term of each may have besides id and titles.
TABLES: Mapping[str, frozenset[str]] = {
    "categories": frozenset({"sensitive"}),
    "events": frozenset({"severities"}),
    "severities": frozenset(),
    "levels": frozenset(),
    "roles": frozenset({"level", "linked"}),
    "actions": frozenset(),
}
#: How many levels an organisation may have.
LEVELS = (2, 6)


def _by_id(terms: Iterable[Term]) -> dict[str, Term]:
    return {t.id: t for t in terms}


@attrs.frozen(kw_only=True)
class Vocabulary:
    """Every word a rulebook's rules may use, table by table, in declaration order.

    ``levels`` run from the top of the organisation down (社区 → 苑区 → 片区
    → 楼栋); the first role declared at a level is the one that answers for
    it when a lower level has nobody (依次递补).
    """

    categories: tuple[Term, ...] = ()
    events: tuple[Term, ...] = ()
    severities: tuple[Term, ...] = ()
    levels: tuple[Term, ...] = ()
    roles: tuple[Term, ...] = ()
    actions: tuple[Term, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for table in TABLES:
            terms: Sequence[Term] = getattr(self, table)
            ids = [t.id for t in terms]
            problems += [(f"{table}.{i}", "declared twice") for i in sorted({i for i in ids if ids.count(i) > 1})]
        severities = self.ids("severities")
        for event in self.events:
            problems += [
                (f"events.{event.id}.severities", self.unknown("severities", s))
                for s in event.severities
                if s not in severities
            ]
        levels = self.ids("levels")
        for role in self.roles:
            if role.level is not None and role.level not in levels:
                problems.append((f"roles.{role.id}.level", self.unknown("levels", role.level)))
            elif role.level is None and not role.linked:
                problems.append((f"roles.{role.id}", "needs a level (level = ...) or linked = true"))
        if self.levels and not LEVELS[0] <= len(self.levels) <= LEVELS[1]:
            problems.append(("levels", f"must declare {LEVELS[0]} to {LEVELS[1]} levels, got {len(self.levels)}"))
        raise_if(problems)

    def ids(self, table: str) -> tuple[str, ...]:
        """The ids of one table, in declaration order."""
        terms: tuple[Term, ...] = getattr(self, table)
        return tuple(t.id for t in terms)

    def term(self, table: str, ident: str) -> Term | None:
        """The term of a table with this id, if declared."""
        return _by_id(getattr(self, table)).get(ident)

    def unknown(self, table: str, ident: str) -> str:
        """The message for an id a table does not declare, naming what it does."""
        singular = {"categories": "category", "severities": "severity"}.get(table, table[:-1])
        known = ", ".join(self.ids(table))
        if not known:
            return f"unknown {singular} {ident!r} (this rulebook declares no {table}: add a [{table}.{ident}] table)"
        return f"unknown {singular} {ident!r} (this rulebook has: {known})"

    def titles(self, table: str, language: Language) -> dict[str, str]:
        """Each id of a table and its title in a language (the English title, or the id, for ``en``)."""
        terms: tuple[Term, ...] = getattr(self, table)
        if language == "en":
            return {t.id: t.title_en or t.id for t in terms}
        return {t.id: t.title for t in terms}
