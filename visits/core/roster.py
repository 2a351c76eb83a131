"""The monthly visit roster (月度走访安排表) as data: pure, no formatting.

A roster holds the obligations whose window overlaps a month, grouped by
building (under its estate) or by person, each group sorted by due date then
address, with counts by rule and by role per group and overall.  The renderers
in :mod:`visits.render.formats` only lay it out.

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
from collections.abc import Container, Iterable, Mapping

import attrs

from visits.core.assign import Assigned
from visits.core.community import Household, Visit
from visits.core.organisation import Level, Organisation, UnitTree
from visits.core.periods import Period, bounds
from visits.core.planner import Obligation
from visits.core.rules import Gathering
from visits.core.text import visible
from visits.core.vocabulary import Category, Language, Role, RosterGrouping
from visits.core.workdays import DueReason

__all__ = [
    "ACTION_NAMES",
    "REDACTED_EVENT",
    "REDACTED_TASK",
    "ROLE_NAMES",
    "Roster",
    "RosterGroup",
    "RosterLine",
    "build_roster",
    "due_note",
    "redact_name",
]

#: The one task a redacted roster shows for every household line, whatever its rule.
REDACTED_TASK = {"zh": "走访联系", "en": "Visit or contact"}
#: The title of a gathering on a redacted roster when it invites a sensitive category.
REDACTED_EVENT = {"zh": "社区活动", "en": "Community event"}
#: Notes a redacted roster may show: a substitute took the line, or nobody could.
_REDACTED_NOTES = {
    "zh": {"substitute": "代为走访", "nobody": "无人可接"},
    "en": {"substitute": "substitute", "nobody": "nobody available"},
}

ACTION_NAMES = {
    "zh": {
        "visit": "走访",
        "gift_visit": "慰问",
        "contact": "联系",
        "review": "研究解决",
        "assess": "了解情况",
        "accompany": "陪同接回",
        "assign": "指派专人",
        "install": "设置爱心铃",
        "arrive": "到场",
    },
    "en": {
        "visit": "Visit",
        "gift_visit": "Gift visit",
        "contact": "Contact",
        "review": "Case review",
        "assess": "Assess",
        "accompany": "Accompany",
        "assign": "Assign a contact",
        "install": "Install call bell",
        "arrive": "Arrive",
    },
}
ROLE_NAMES = {
    "zh": {
        "committee": "社区党委",
        "branch_secretary": "支部书记",
        "branch_member": "支部委员",
        "group_leader": "党小组长",
        "party_member": "党员",
        "carer": "结对照护人",
        "contact": "专人联系",
    },
    "en": {r.value: r.value.replace("_", " ") for r in Role},
}


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


@attrs.frozen(kw_only=True)
class _Words:
    weekend: str
    moved: str
    stuck: str
    provisional: str


_WORDS = {
    "zh": _Words(
        weekend="周末",
        moved="原定{date}（{why}），提前至工作日",
        stuck="期限内无工作日，仍为{date}",
        provisional="暂按周一至周五（当年放假安排未公布）",
    ),
    "en": _Words(
        weekend="weekend",
        moved="moved from {date} ({why}) to a working day",
        stuck="no working day in the window; kept {date}",
        provisional="provisional: Monday to Friday (no official schedule yet)",
    ),
}
_CATEGORY_NAMES = {
    "zh": {
        "hardship": "困难家庭",
        "hospitalized": "住院病人",
        "unemployed": "失业人员",
        "released": "刑释人员",
        "elderly_alone": "孤寡老人",
    },
    "en": {c.value: c.value.replace("_", " ") for c in Category},
}


def due_note(obligation: Obligation, language: Language = "zh") -> str:
    """What a roster says about an obligation's due date: moved from what and why, and whether provisional.

    Empty for a due date the calendar did not touch.
    """
    words = _WORDS[language]
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
    return ("；" if language == "zh" else "; ").join(parts)


@attrs.frozen(kw_only=True)
class RosterGroup:
    """A building (with its estate) or a person, and their lines."""

    key: str
    title: str
    subtitle: str
    lines: tuple[RosterLine, ...]
    by_rule: tuple[tuple[str, int], ...]
    by_role: tuple[tuple[str, int], ...]


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

    @property
    def title(self) -> str:
        """百步亭社区 2026年12月 走访安排表, or the English equivalent."""
        if self.language == "en":
            return f"{self.community} visit roster, {dt.date(self.year, self.month, 1):%B %Y}"
        return f"{self.community} {self.year}年{self.month}月 走访安排表"

    @property
    def lines(self) -> int:
        """How many lines the roster has."""
        return sum(len(g.lines) for g in self.groups)


_SHOWN_TEXT = ("household", "household_name", "address", "title", "action", "role", "assignee_name", "note", "met")


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


def _redacted(line: RosterLine, building: str, language: Language) -> RosterLine:
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
    notes = _REDACTED_NOTES[language]
    note = notes["nobody"] if line.assignee is None else (notes["substitute"] if line.note else "")
    return attrs.evolve(
        line,
        key="",
        household_name=redact_name(line.household_name),
        address=building,
        rule="",
        title=REDACTED_TASK[language],
        action=REDACTED_TASK[language],
        role="",
        assignee_name=redact_name(line.assignee_name),
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


def build_roster(
    assigned: Iterable[Assigned],
    *,
    year: int,
    month: int,
    households: Iterable[Household],
    organisation: Organisation | None,
    by: RosterGrouping = "unit",
    unit: str | None = None,
    person: str | None = None,
    language: Language = "zh",
    redact: bool = False,
    community: str = "百步亭社区",
    met: Mapping[str, Visit] | None = None,
    as_of: dt.date | None = None,
    gatherings: Iterable[tuple[Gathering, dt.date]] = (),
    sensitive: Container[Category] = frozenset(Category),
) -> Roster:
    """The roster of ``month``: the given obligations whose window overlaps it.

    ``by`` is ``unit`` (a group per building, ordered by estate) or ``person``
    (a group per assignee; unassigned last).  ``unit`` keeps households under
    that unit (any level); ``person`` keeps one assignee's lines.  With
    ``met`` (key → record, from :func:`visits.match`) and ``as_of``, lines met
    by a record dated on or before ``as_of`` are marked.  ``gatherings``
    (from :func:`visits.core.rules.gatherings_between`) held in the month come
    first, as a group of community events with the number of households
    invited (within ``unit``, if given).  ``redact`` hides everything that
    depends on why a line is owed (see the module's documentation);
    ``sensitive`` names the categories whose gatherings a redacted roster
    does not name (:meth:`visits.core.rules.Rulebook.sensitive_categories`;
    by default, all).
    """
    if by not in ("unit", "person"):
        raise ValueError(f"by must be 'unit' or 'person', got {by!r}")
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {language!r}")
    first = dt.date(year, month, 1)
    last = bounds(Period.MONTH, first)[1]
    homes = {h.id: h for h in households}
    units = {u.id: u for u in organisation.units} if organisation else {}
    people = {p.id: p.name for p in organisation.people} if organisation else {}
    actions, roles = ACTION_NAMES[language], ROLE_NAMES[language]

    ancestors = UnitTree(organisation.units if organisation else ()).chain
    chains = {hid: ancestors(h.building) for hid, h in homes.items()}
    lines: list[tuple[str, RosterLine]] = []
    for item in assigned:
        o = item.obligation
        if not (o.start <= last and first <= o.end):
            continue
        chain = chains.get(o.household, {})
        if unit is not None and unit not in chain.values():
            continue
        if person is not None and item.assignee != person:
            continue
        rule = o.rule
        action = actions[rule.action.value]
        title = (rule.title if language == "zh" else rule.title_en) or rule.id
        home = homes.get(o.household)
        name = people.get(item.assignee, item.assignee or "") if item.assignee else ""
        household_name = home.name if home else ""
        record = met.get(o.key) if met is not None else None
        done = record is not None and (as_of is None or record.date <= as_of)
        line = RosterLine(
            key=o.key,
            household=o.household,
            household_name=household_name,
            address=home.address if home else "",
            rule=rule.id,
            title=title,
            action=action,
            role=roles[(item.assignment.role or rule.role).value],
            start=o.start,
            end=o.end,
            due=o.due,
            assignee=item.assignee,
            assignee_name=name,
            note=item.assignment.note,
            met=record.id if done and record else "",
            met_date=record.date if done and record else None,
            provisional=o.provisional,
            due_note=due_note(o, language) if o.calendar is not None else "",
        )
        line = _visible_line(line)
        building = chain.get(Level.BUILDING, "")
        if redact:
            line = _redacted(line, visible(units[building].name or building) if building in units else "", language)
        group = building if by == "unit" else (item.assignee or "")
        lines.append((group, line))

    grouped: dict[str, list[RosterLine]] = {}
    for group, line in lines:
        grouped.setdefault(group, []).append(line)

    def order(key: str) -> tuple[object, ...]:
        if by == "person":
            return (key == "", people.get(key, key), key)
        chain = ancestors(key)
        return (key == "", chain.get(Level.ESTATE, ""), key)

    groups = []
    unknown = "(no building)" if language == "en" else "（未登记楼栋）"
    nobody = "(unassigned)" if language == "en" else "（无人可接）"
    for key in sorted(grouped, key=order):
        if redact:
            found = _neutral_keys(sorted(grouped[key], key=_shown))
        else:
            found = sorted(grouped[key], key=lambda line: (line.due, line.address, line.household, line.key))
        if by == "unit":
            chain = ancestors(key)
            estate = units[chain[Level.ESTATE]].name if Level.ESTATE in chain else ""
            title = (units[key].name or key) if key in units else unknown
            subtitle = estate
        else:
            name = people.get(key, key)
            title = (redact_name(name) if redact else name) if key else nobody
            subtitle = key
        by_rule, by_role = _counts(found)
        title, subtitle = visible(title), visible(subtitle)
        groups.append(
            RosterGroup(key=key, title=title, subtitle=subtitle, lines=tuple(found), by_rule=by_rule, by_role=by_role)
        )
    by_rule, by_role = _counts(line for group in groups for line in group.lines)
    events = _gathering_lines(gatherings, first, last, homes, chains, unit, language, sensitive if redact else None)
    if events:
        title = "Community events" if language == "en" else "社区活动"
        events_group = RosterGroup(key="(gatherings)", title=title, subtitle="", lines=events, by_rule=(), by_role=())
        groups.insert(0, events_group)
    return Roster(
        community=visible(community),
        year=year,
        month=month,
        by=by,
        language=language,
        redacted=redact,
        groups=tuple(groups),
        by_rule=by_rule,
        by_role=by_role,
    )


def _gathering_lines(
    gatherings: Iterable[tuple[Gathering, dt.date]],
    first: dt.date,
    last: dt.date,
    homes: Mapping[str, Household],
    chains: Mapping[str, Mapping[Level, str]],
    unit: str | None,
    language: Language,
    sensitive: Container[Category] | None,
) -> tuple[RosterLine, ...]:
    """Gathering lines; with ``sensitive`` (redacting), no invitees, and a plain title if one is sensitive."""
    in_scope = [h for hid, h in homes.items() if unit is None or unit in chains.get(hid, {}).values()]
    categories, roles = _CATEGORY_NAMES[language], ROLE_NAMES[language]
    out: list[RosterLine] = []
    for gathering, day in gatherings:
        if not first <= day <= last:
            continue
        title = (gathering.title_en or gathering.title) if language == "en" else gathering.title
        if sensitive is not None:
            note = gathering.festival
            if any(c in sensitive for c in gathering.invites):
                title = REDACTED_EVENT[language]
        else:
            invited = len(gathering.invited(in_scope, day))
            names = [categories[c.value] for c in gathering.invites]
            if language == "en":
                note = f"{gathering.festival}; invited: {', '.join(names)} ({invited} households)"
            else:
                note = f"{gathering.festival}；邀请{'、'.join(names)}，共{invited}户"
        out.append(
            RosterLine(
                key=f"gathering/{day.isoformat()}/{len(out) + 1}"
                if sensitive is not None
                else f"gathering/{gathering.id}/{day.isoformat()}",
                household="",
                household_name="",
                address="",
                rule="" if sensitive is not None else gathering.id,
                title=title,
                action="Hold" if language == "en" else "举办",
                role="、".join(roles[r.value] for r in gathering.roles),
                start=day,
                end=day,
                due=day,
                assignee=None,
                assignee_name="",
                note=note,
            )
        )
    return tuple(out)
