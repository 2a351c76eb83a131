"""Rules and rulebooks: who must do what, for which households, on which cadence.

A rule is data.  A community's rulebook is a TOML file (see
``visits/data/baibuting.toml``); nothing here knows the Baibuting rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from visits.cadence import Cadence, Response
from visits.errors import raise_if
from visits.model import Action, Category, EventKind, Role, Severity

__all__ = ["CategoryTrigger", "EventTrigger", "Rule", "Rulebook", "Trigger"]

_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*")


@attrs.frozen(kw_only=True)
class CategoryTrigger:
    """The rule applies to every circumstance of ``category``; its start is the anchor."""

    category: Category


@attrs.frozen(kw_only=True)
class EventTrigger:
    """The rule applies to events of the given kinds and severities."""

    events: tuple[EventKind, ...]
    severities: tuple[Severity, ...] = (Severity.MINOR, Severity.MAJOR)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not self.events:
            problems.append(("events", "must name at least one event kind"))
        if not self.severities:
            problems.append(("severities", "must name at least one severity"))
        raise_if(problems)

    def matches(self, kind: EventKind, severity: Severity) -> bool:
        """Whether an event of this kind and severity triggers the rule."""
        return kind in self.events and severity in self.severities


Trigger = CategoryTrigger | EventTrigger


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
    roles: tuple[Role, ...]
    action: Action
    cadence: Cadence
    source: str
    reading: bool = False
    note: str = ""
    due_days: int | None = None
    title: str = ""
    title_en: str = ""

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if not _RULE_ID.fullmatch(self.id):
            problems.append(
                ("id", f"must be lower-case words joined by dots, like 'hardship.monthly', got {self.id!r}")
            )
        if not self.roles:
            problems.append(("roles", "must name at least one role"))
        elif len(set(self.roles)) != len(self.roles):
            problems.append(("roles", "names a role twice"))
        if not self.source.strip():
            problems.append(("source", "must quote the source phrase the rule encodes"))
        if self.reading and not self.note.strip():
            problems.append(("note", "a reading must say what was chosen and why"))
        if isinstance(self.trigger, EventTrigger) != isinstance(self.cadence, Response):
            problems.append(("cadence", "an event trigger needs a 'response' cadence, and only it"))
        if self.due_days is not None and self.due_days < 0:
            problems.append(("due_days", f"must be 0 or more, got {self.due_days}"))
        raise_if(problems)

    @property
    def role(self) -> Role:
        """The responsible role (the first listed)."""
        return self.roles[0]

    @property
    def category(self) -> Category | None:
        """The category the rule is about, if it is triggered by one."""
        return self.trigger.category if isinstance(self.trigger, CategoryTrigger) else None


@attrs.frozen(kw_only=True)
class Rulebook:
    """A named, ordered set of rules with unique ids."""

    name: str
    rules: tuple[Rule, ...]
    community: str = ""
    description: str = ""

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if not self.name.strip():
            problems.append(("name", "must not be empty"))
        seen: dict[str, int] = {}
        for i, rule in enumerate(self.rules):
            if rule.id in seen:
                problems.append((f"rules[{i}].id", f"duplicate rule id {rule.id!r} (also rules[{seen[rule.id]}])"))
            seen.setdefault(rule.id, i)
        raise_if(problems)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
