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

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from visits.core.checks import line_problems
from visits.core.errors import raise_if

__all__ = [
    "TABLES",
    "CalendarStatus",
    "ChangeKind",
    "ChangePart",
    "Language",
    "ReportGrouping",
    "RosterGrouping",
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


@attrs.frozen(kw_only=True)
class Term:
    """One word of a vocabulary: an id, its Chinese ``title``, English ``title_en`` and a description.

    ``sensitive`` is for categories (sensitive personal information, hidden
    by redaction); ``severities`` for event kinds (the severities an event
    of the kind may have); ``level`` or ``linked`` for roles (the level of
    the organisation the role serves at, or a person linked to particular
    households); ``team`` for levels (the roles every unit of the level
    should have filled, like Baibuting's 两长四员 of a building).  Each table
    allows only its own fields (:data:`TABLES`).
    """

    id: str
    title: str
    title_en: str = ""
    description: str = ""
    sensitive: bool = False
    severities: tuple[str, ...] = ()
    level: str | None = None
    linked: bool = False
    team: tuple[str, ...] = ()

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
    "levels": frozenset({"team"}),
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
        for level in self.levels:
            for k, member in enumerate(level.team):
                seat = self.term("roles", member)
                if seat is None:
                    problems.append((f"levels.{level.id}.team[{k}]", self.unknown("roles", member)))
                elif seat.level != level.id:
                    message = f"{member!r} does not serve at the {level.id} level, so it cannot be in its team"
                    problems.append((f"levels.{level.id}.team[{k}]", message))
            if len(set(level.team)) != len(level.team):
                problems.append((f"levels.{level.id}.team", "names a role twice"))
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
        singular = {"categories": "category", "severities": "severity", "events": "event kind"}.get(table, table[:-1])
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

    def level_of(self, role: str) -> str | None:
        """The level a unit role serves at (``None`` for a linked or unknown role)."""
        term = self.term("roles", role)
        return None if term is None else term.level

    def linked_roles(self) -> frozenset[str]:
        """The roles held towards particular households rather than a unit."""
        return frozenset(t.id for t in self.roles if t.linked)

    def answering(self) -> dict[str, str]:
        """The role that answers for each level when a lower level has nobody: the first declared there."""
        out: dict[str, str] = {}
        for term in self.roles:
            if term.level is not None:
                out.setdefault(term.level, term.id)
        return out

    def above(self) -> dict[str, str]:
        """Each level's parent level (the top has none)."""
        levels = self.ids("levels")
        return dict(zip(levels[1:], levels[:-1], strict=True))
