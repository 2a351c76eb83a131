"""Rules and rulebooks: who must do what, for which households, on which cadence.

A rule is data.  A community's rulebook is a TOML file (see
``visits/data/baibuting.toml``); nothing here knows the Baibuting rules.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from visits.core import festivals
from visits.core.cadence import MAX_FESTIVAL_OFFSET, Cadence, Calendar, Festival, Response
from visits.core.checks import line_problems
from visits.core.community import Circumstance, Household
from visits.core.errors import raise_if
from visits.core.vocabulary import Vocabulary

__all__ = [
    "CategoryTrigger",
    "Due",
    "EventTrigger",
    "Gathering",
    "Rule",
    "Rulebook",
    "Trigger",
    "UnitTrigger",
    "gatherings_between",
]


class Due(enum.StrEnum):
    """Where in its window an obligation's due date falls."""

    WINDOW_END = "window_end"  # the window's last day (or due_days after its first)
    LAST_WORKING_DAY = "last_working_day"  # that day, moved back to the last working day on or before it


_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*")


@attrs.frozen(kw_only=True)
class CategoryTrigger:
    """The rule applies to every circumstance of ``category``; its start is the anchor."""

    category: str


@attrs.frozen(kw_only=True)
class EventTrigger:
    """The rule applies to events of the given kinds; with ``severities``, only to events of those."""

    events: tuple[str, ...]
    severities: tuple[str, ...] | None = None

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.events:
            problems.append(("events", "must name at least one event kind"))
        if self.severities is not None and not self.severities:
            problems.append(("severities", "must name at least one severity (or be left out: any severity)"))
        raise_if(problems)

    def matches(self, kind: str, severity: str | None) -> bool:
        """Whether an event of this kind and severity triggers the rule."""
        return kind in self.events and (self.severities is None or severity in self.severities)


@attrs.frozen(kw_only=True)
class UnitTrigger:
    """The rule is a duty of every unit of ``level`` (a weekly meeting, a half-yearly report).

    Its obligations belong to the unit, not to a household, and fall on the
    calendar: the cadence must be a :class:`~visits.core.cadence.Calendar` or
    a :class:`~visits.core.cadence.Festival` (a unit has no start to count from).
    """

    level: str


Trigger = CategoryTrigger | EventTrigger | UnitTrigger


def _id_problems(values: Mapping[str, Any], example: str) -> list[tuple[str, str]]:
    """A rule's or gathering's id: lower-case words joined by dots."""
    ident = values.get("id")
    if isinstance(ident, str) and not _RULE_ID.fullmatch(ident):
        return [("id", f"must be lower-case words joined by dots, like {example!r}, got {ident!r}")]
    return []


def _roles_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """At least one role, none twice."""
    roles = values.get("roles")
    if roles is not None and not roles:
        return [("roles", "must name at least one role")]
    if roles is not None and len(set(roles)) != len(roles):
        return [("roles", "names a role twice")]
    return []


def _provenance_problems(values: Mapping[str, Any], what: str) -> list[tuple[str, str]]:
    """The source phrase is quoted, and a reading says what was chosen and why."""
    problems = []
    source = values.get("source")
    if isinstance(source, str) and not source.strip():
        problems.append(("source", f"must quote the source phrase the {what} encodes"))
    note = values.get("note")
    if values.get("reading") and isinstance(note, str) and not note.strip():
        problems.append(("note", "a reading must say what was chosen and why"))
    return problems


@attrs.frozen(kw_only=True)
class Rule:
    """One obligation-producing rule.

    ``roles`` lists every role that may fulfil it, the first being the one
    responsible.  ``source`` is the phrase of the source text the rule encodes;
    ``reading`` marks a rule (or part of one) that the text does not state and
    this rulebook chose, explained in ``note``.  ``due_days`` moves the due date
    from the window's last day to at most that many days after its first.
    """

    id: str
    trigger: Trigger
    roles: tuple[str, ...]
    action: str
    cadence: Cadence
    source: str
    reading: bool = False
    note: str = ""
    due_days: int | None = None
    due: Due | None = None
    title: str = ""
    title_en: str = ""

    def __attrs_post_init__(self) -> None:
        raise_if(Rule.field_problems(attrs.asdict(self, recurse=False)))

    @staticmethod
    def field_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The rule's own checks over the fields given; a check whose fields are missing is skipped.

        The loader calls this with the fields that could be read when others
        could not, so that one wrong field does not hide the problems of the rest.
        """
        problems = _id_problems(values, "hardship.monthly")
        problems += line_problems(*((f, values[f]) for f in ("title", "title_en") if isinstance(values.get(f), str)))
        problems += _roles_problems(values)
        problems += _provenance_problems(values, "rule")
        trigger, cadence = values.get("trigger"), values.get("cadence")
        if (
            trigger is not None
            and cadence is not None
            and isinstance(trigger, EventTrigger) != isinstance(cadence, Response)
        ):
            problems.append(("cadence", "an event trigger needs a 'response' cadence, and only it"))
        if isinstance(trigger, UnitTrigger) and cadence is not None and not isinstance(cadence, Calendar | Festival):
            message = (
                "a unit's duty needs a 'calendar' or 'festival' cadence "
                f"(a unit has no start to count from), got {cadence.kind!r}"
            )
            problems.append(("cadence", message))
        due_days = values.get("due_days")
        if isinstance(due_days, int) and due_days < 0:
            problems.append(("due_days", f"must be 0 or more, got {due_days}"))
        return problems

    @property
    def role(self) -> str:
        """The responsible role (the first listed)."""
        return self.roles[0]

    @property
    def category(self) -> str | None:
        """The category the rule is about, if it is triggered by one."""
        return self.trigger.category if isinstance(self.trigger, CategoryTrigger) else None

    @property
    def level(self) -> str | None:
        """The unit level whose units owe the rule, if it is a unit's duty."""
        return self.trigger.level if isinstance(self.trigger, UnitTrigger) else None


def _festival_name(value: str) -> str:
    return festivals.canonical(value) or value


@attrs.frozen(kw_only=True)
class Gathering:
    """A community event (社区活动) held each year on or near a festival.

    Households with an ongoing circumstance of one of ``invites`` on the day
    are invited; ``roles`` organise it.  Gatherings are listed in rosters;
    they create no per-household obligation.
    """

    id: str
    title: str
    festival: str = attrs.field(converter=_festival_name)
    invites: tuple[str, ...]
    source: str
    day: int = 0
    roles: tuple[str, ...]
    title_en: str = ""
    reading: bool = False
    note: str = ""

    def __attrs_post_init__(self) -> None:
        values = attrs.asdict(self, recurse=False)
        problems = _id_problems(values, "mid_autumn.dinner")
        if not self.title.strip():
            problems.append(("title", "must not be empty"))
        problems += line_problems(("title", self.title), ("title_en", self.title_en))
        if festivals.canonical(self.festival) is None:
            problems.append(("festival", festivals.unknown(self.festival)))
        if not self.invites:
            problems.append(("invites", "must name at least one category"))
        problems += _roles_problems(values)
        if not abs(self.day) <= MAX_FESTIVAL_OFFSET:
            limit = MAX_FESTIVAL_OFFSET
            problems.append(("day", f"must be a day offset (-{limit}..{limit}), got {self.day}"))
        problems += _provenance_problems(values, "gathering")
        raise_if(problems)

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The days between ``first`` and ``last`` (inclusive) on which the gathering is held."""
        offset = dt.timedelta(days=self.day)
        low, high = first - offset, last - offset
        return [
            day + offset
            for year in range(max(low.year, festivals.FIRST_YEAR), min(high.year, festivals.LAST_YEAR) + 1)
            for day in festivals.dates(self.festival, year)
            if low <= day <= high
        ]

    def invited(self, households: Iterable[Household], day: dt.date) -> list[str]:
        """Ids of the households invited on ``day``: an ongoing circumstance of an invited category."""
        return [h.id for h in households if any(self._invites(c, day) for c in h.circumstances)]

    def _invites(self, circumstance: Circumstance, day: dt.date) -> bool:
        ongoing = circumstance.start <= day and (circumstance.end is None or day <= circumstance.end)
        return ongoing and circumstance.category in self.invites


@attrs.frozen(kw_only=True)
class Rulebook:
    """A named, ordered set of rules with unique ids, its community gatherings, and its vocabulary.

    ``due`` is the default for rules that set none; event responses keep
    their window end unless they set ``due`` themselves.  Every category,
    event kind, severity, role and action a rule or gathering names must be
    declared in ``vocabulary``.
    """

    name: str
    rules: tuple[Rule, ...]
    community: str = ""
    description: str = ""
    due: Due = Due.WINDOW_END
    gatherings: tuple[Gathering, ...] = ()
    based_on: str = ""
    vocabulary: Vocabulary = attrs.field(factory=Vocabulary)

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if not self.name.strip():
            problems.append(("name", "must not be empty"))
        problems += line_problems(("name", self.name), ("community", self.community))
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.rules):
            if rule.id in seen:
                problems.append((f"rules[{i}].id", f"duplicate rule id {rule.id!r} (also rules[{seen[rule.id]}])"))
            seen.setdefault(rule.id, i)
        seen = {}
        for i, gathering in enumerate(self.gatherings):
            if gathering.id in seen:
                message = f"duplicate gathering id {gathering.id!r} (also gatherings[{seen[gathering.id]}])"
                problems.append((f"gatherings[{i}].id", message))
            seen.setdefault(gathering.id, i)
        problems += _reference_problems(self)
        raise_if(problems)

    def is_sensitive(self, category: str) -> bool:
        """Whether the rulebook declares ``category`` sensitive (an undeclared one is treated as sensitive)."""
        term = self.vocabulary.term("categories", category)
        return term is None or term.sensitive

    def sensitive_categories(self) -> frozenset[str]:
        """Every declared category that is sensitive."""
        return frozenset(t.id for t in self.vocabulary.categories if t.sensitive)

    def due_of(self, rule: Rule) -> Due:
        """The due-date rule that applies to ``rule``."""
        if rule.due is not None:
            return rule.due
        return Due.WINDOW_END if isinstance(rule.cadence, Response) else self.due

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def counts_working_days(self, rule: Rule) -> bool:
        """Whether ``rule``'s dates depend on a working-day calendar (its due date or its response window)."""
        cadence = rule.cadence
        return self.due_of(rule) is Due.LAST_WORKING_DAY or (isinstance(cadence, Response) and cadence.working_days)

    def has_duties(self) -> bool:
        """Whether some rule is a unit's duty (triggered by a ``level``)."""
        return any(isinstance(rule.trigger, UnitTrigger) for rule in self.rules)

    def uses_working_days(self) -> bool:
        """Whether planning needs a working-day calendar."""
        return any(self.counts_working_days(rule) for rule in self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _reference_problems(rulebook: Rulebook) -> list[tuple[str, str]]:
    """Every category, event kind, severity, level, role and action named by a rule or gathering is declared."""
    vocabulary = rulebook.vocabulary
    tables = ("categories", "events", "severities", "levels", "roles", "actions")
    known = {table: set(vocabulary.ids(table)) for table in tables}
    problems: list[tuple[str, str]] = []

    def check(path: str, table: str, ident: str) -> None:
        if ident not in known[table]:
            problems.append((path, vocabulary.unknown(table, str(ident))))

    for i, rule in enumerate(rulebook.rules):
        where = f"rules[{i}]"
        trigger = rule.trigger
        if isinstance(trigger, CategoryTrigger):
            check(f"{where}.trigger.category", "categories", trigger.category)
        elif isinstance(trigger, UnitTrigger):
            check(f"{where}.trigger.level", "levels", trigger.level)
            problems.extend(_duty_role_problems(vocabulary, where, trigger.level, rule.roles))
        else:
            for k, kind in enumerate(trigger.events):
                check(f"{where}.trigger.events[{k}]", "events", kind)
            for k, severity in enumerate(trigger.severities or ()):
                check(f"{where}.trigger.severities[{k}]", "severities", severity)
        for k, role in enumerate(rule.roles):
            check(f"{where}.roles[{k}]", "roles", role)
        check(f"{where}.action", "actions", rule.action)
    for i, gathering in enumerate(rulebook.gatherings):
        for k, category in enumerate(gathering.invites):
            check(f"gatherings[{i}].invites[{k}]", "categories", category)
        for k, role in enumerate(gathering.roles):
            check(f"gatherings[{i}].roles[{k}]", "roles", role)
    return problems


def _duty_role_problems(
    vocabulary: Vocabulary, where: str, level: str, roles: tuple[str, ...]
) -> list[tuple[str, str]]:
    """A unit's duty falls to roles of its own unit or one above it, never to a linked or lower role."""
    levels = vocabulary.ids("levels")
    if level not in levels:
        return []
    problems = []
    for k, role in enumerate(roles):
        term = vocabulary.term("roles", role)
        if term is None:
            continue
        if term.linked:
            message = f"role {role!r} is linked to households: a unit's duty needs a role of a unit"
            problems.append((f"{where}.roles[{k}]", message))
        elif term.level in levels and levels.index(term.level) > levels.index(level):
            below = f"role {role!r} sits at {term.level!r}, below {level!r}"
            message = f"{below}: a unit's duty needs a role at its level or above"
            problems.append((f"{where}.roles[{k}]", message))
    return problems


def gatherings_between(rulebook: Rulebook, first: dt.date, last: dt.date) -> list[tuple[Gathering, dt.date]]:
    """Every gathering held between ``first`` and ``last``, by date then rulebook order."""
    found = [(day, i, g) for i, g in enumerate(rulebook.gatherings) for day in g.dates(first, last)]
    return [(g, day) for day, _, g in sorted(found, key=lambda t: (t[0], t[1]))]
