"""The monthly visit roster (月度走访安排表) as data: pure, no formatting.

:func:`visits.core.rostering.build_roster` builds one.  A roster holds the
obligations whose window overlaps a month, grouped by building (under its
estate) or by person, each group sorted by due date then address, with
counts by rule and by role per group and overall.  The renderers in
:mod:`visits.render` only lay it out.

Redaction (for rosters that are posted or handed around) is defined in one
place, :func:`_redacted`: a line then shows when (window, due date), where (the
household's masked name, its id and its building, never the unit or room),
who (the visitor's masked name) and whether it is done, and nothing that
depends on *why* the line is owed.  Every household line has the same neutral
task, no rule, no role, no source; substitution notes are reduced to a neutral
word; lines are ordered by what they show only; counts are a single total.
So a line owed because of a sensitive category cannot be told apart from any
other line with the same dates and visitor.  A gathering that invites a
category the rulebook declares sensitive is shown as a plain community event,
and no gathering lists its invitees or their number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import attrs

from visits.core.assign import Assignment
from visits.core.planner import Obligation
from visits.core.text import visible
from visits.core.vocabulary import Language, RosterGrouping
from visits.core.workdays import DueReason

__all__ = ["Roster", "RosterGroup", "RosterLine", "RosterWords", "due_note", "redact_name"]


def redact_name(name: str) -> str:
    """A name reduced to its surname and 某 (``张丽`` → ``张某``); other scripts to an initial.

    >>> redact_name("张丽"), redact_name("欧阳明华"), redact_name("Li Wei"), redact_name("")
    ('张某', '欧某', 'L.', '')
    """
    if not name:
        return ""
    if "\u4e00" <= name[0] <= "\u9fff" or "\u3400" <= name[0] <= "\u4dbf":
        return name[0] + "某"
    return name[0] + "."


@attrs.frozen(kw_only=True)
class RosterWords:
    """Every word a roster prints, in one language.

    The core has no words of its own: the edge gives these to
    :func:`~visits.core.rostering.build_roster` (:func:`visits.roster_words`
    has Chinese and English).  Formats are :meth:`str.format` templates;
    ``assignment_note`` words how a line's assignee was reached.
    """

    language: Language
    title: str  # {community}, {year}, {month}, {date}
    actions: Mapping[str, str]  # action code -> word
    roles: Mapping[str, str]  # role code -> word
    categories: Mapping[str, str]  # category code -> word, for gathering invitations
    no_building: str  # the group of households with no building
    unassigned: str  # the group of lines nobody can take
    events: str  # the group of gatherings
    hold: str  # a gathering's action
    invited: str  # {festival}, {categories}, {count}: who a gathering invites
    category_separator: str
    role_separator: str
    note_separator: str
    weekend: str
    moved: str  # {date}, {why}: a due date moved to a working day
    stuck: str  # {date}: no working day in the window
    provisional: str  # the year has no published schedule
    redacted_task: str  # the one task of every redacted household line
    redacted_event: str  # a redacted gathering that invites a sensitive category
    substitute: str  # a redacted line a substitute took
    nobody_available: str  # a redacted line nobody can take
    assignment_note: Callable[[Assignment], str]  # a substitution, or why nobody
    sign_off: str = ""  # the line under each group of a printed roster, for the responsible person to sign


def due_note(obligation: Obligation, words: RosterWords) -> str:
    """What a roster says about an obligation's due date: moved from what and why, and whether provisional.

    Empty for a due date the calendar did not touch.
    """
    parts = []
    adjustment = obligation.adjustment
    if adjustment is not None:
        date = f"{adjustment.nominal:%m-%d}"
        if adjustment.reason is DueReason.NO_WORKING_DAY:
            parts.append(words.stuck.format(date=date))
        else:
            why = words.weekend if adjustment.reason is DueReason.WEEKEND else adjustment.name
            parts.append(words.moved.format(date=date, why=why or adjustment.reason.value))
    if obligation.provisional:
        parts.append(words.provisional)
    return words.note_separator.join(parts)


@attrs.frozen(kw_only=True)
class RosterLine:
    """One obligation on the roster, with everything a printed line shows."""

    key: str
    household: str
    household_name: str
    address: str
    rule: str
    title: str  # the rule's title, or the action alone when redacted
    action: str
    role: str  # the role the assignee serves as (or the rule's role)
    start: dt.date
    end: dt.date
    due: dt.date
    assignee: str | None
    assignee_name: str
    note: str  # the assignment note (substitution), or why nobody
    met: str = ""  # the record id, when a status marks it met
    met_date: dt.date | None = None
    provisional: bool = False  # the due date rests on a year with no published holiday schedule
    due_note: str = ""  # how a working-day rule moved the due date, or that it is provisional
    unit: str = ""  # the unit whose duty the line is (then ``household`` is the unit's id too)
    visitors: tuple[tuple[str, str], ...] = ()  # who may fulfil it (id, name): the assignee first, then the others
    assignee_phone: str = ""  # the assignee's phone number, if the community file gives one


@attrs.frozen(kw_only=True)
class RosterGroup:
    """A building (with its estate) or a person, and their lines."""

    key: str
    title: str
    subtitle: str
    lines: tuple[RosterLine, ...]
    by_rule: tuple[tuple[str, int], ...] = ()
    by_role: tuple[tuple[str, int], ...] = ()


@attrs.frozen(kw_only=True)
class Roster:
    """A month's roster: groups, and overall counts."""

    community: str
    year: int
    month: int
    by: RosterGrouping
    language: Language
    redacted: bool
    groups: tuple[RosterGroup, ...]
    by_rule: tuple[tuple[str, int], ...]
    by_role: tuple[tuple[str, int], ...]
    title: str  # 百步亭社区 2026年12月 走访安排表, or the English equivalent
    sign_off: str = ""  # printed under each group (负责人 / 审核 / 日期)

    @property
    def lines(self) -> int:
        """How many lines the roster has."""
        return sum(len(g.lines) for g in self.groups)


_SHOWN_TEXT = (
    "household",
    "household_name",
    "address",
    "title",
    "action",
    "role",
    "assignee_name",
    "assignee_phone",
    "note",
    "met",
)


def _visible_line(line: RosterLine) -> RosterLine:
    """The line with every invisible or direction-changing character written out (:func:`~visits.core.text.visible`)."""
    texts = {f: getattr(line, f) for f in _SHOWN_TEXT}
    if line.assignee is not None:
        texts["assignee"] = line.assignee
    changes = {f: visible(text) for f, text in texts.items() if not text.isprintable()}
    return attrs.evolve(line, **changes) if changes else line  # type: ignore[arg-type]


def _counts(lines: Iterable[RosterLine]) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    items = list(lines)
    rules = Counter(line.title for line in items)
    roles = Counter(line.role for line in items if line.role)
    return tuple(sorted(rules.items())), tuple(sorted(roles.items()))


def _redacted(line: RosterLine, building: str, words: RosterWords) -> RosterLine:
    """What a redacted roster may show of a household line: nothing that depends on its rule.

    Kept: window, due date and how the calendar moved it (the same for any
    rule of that cadence), the household's id and masked name, its building
    (not the unit or room), the visitor's id and masked name, whether it was
    met.  The household id stays so that a filled-in roster can be matched
    back to the ledger and two 张某 in one building told apart; it is the
    office's own number and says nothing about the household.  Replaced: the
    task (one neutral word), the rule, the role, the assignment note (a
    neutral word if a substitute took it or nobody could), the key (rebuilt by
    :func:`build_roster` from what is shown).
    """
    note = words.nobody_available if line.assignee is None else (words.substitute if line.note else "")
    return attrs.evolve(
        line,
        key="",
        household_name=redact_name(line.household_name),
        address=building,
        rule="",
        title=words.redacted_task,
        action=words.redacted_task,
        role="",
        assignee_name=redact_name(line.assignee_name),
        assignee_phone="",
        note=note,
    )


def _shown(line: RosterLine) -> tuple[object, ...]:
    """The order of a redacted group: by what the line shows, never by its rule."""
    return (
        line.due,
        line.address,
        line.household,
        line.start,
        line.end,
        line.assignee or "",
        line.note,
        line.met,
        line.due_note,
    )


def _neutral_keys(lines: list[RosterLine]) -> list[RosterLine]:
    """Keys for redacted lines made from what they show (household, window, due), numbered if repeated."""
    seen: Counter[str] = Counter()
    out = []
    for line in lines:
        base = f"{line.household}/{line.start}/{line.end}/{line.due}"
        seen[base] += 1
        out.append(attrs.evolve(line, key=base if seen[base] == 1 else f"{base}#{seen[base]}"))
    return out
