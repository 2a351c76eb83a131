"""Words for people: every word of a roster, a status explained in one line, a cadence described.

The core describes obligations and rules with codes, dates and numbers; the
words a person reads about them are made here, at the edge, one entry per
thing and language.  A roster's words reach the core as data
(:func:`roster_words`, given to :func:`~visits.core.rostering.build_roster`),
with the names of categories, roles and actions taken from the rulebook's
vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from visits.core.assign import Assignment, Choice
from visits.core.cadence import Cadence, Calendar, Festival, Interval, Once, Span
from visits.core.ledger import State, Status
from visits.core.organisation import Organisation
from visits.core.roster import RosterWords
from visits.core.vocabulary import Language, Vocabulary
from visits.io.serialise import assignment_note

__all__ = ["chinese_note", "describe", "explain", "roster_words"]

#: The state words of a Chinese explanation.
_ZH = {
    State.UPCOMING: "未开始",
    State.OPEN: "待完成",
    State.MET: "已完成",
    State.OVERDUE: "逾期",
    State.MISSED: "未完成",
    State.CANCELLED: "已取消",
}
#: The words of a roster that are the same for every community, by language;
#: :func:`roster_words` adds the rulebook's own (actions, roles, categories).
_ROSTER_WORDS: dict[Language, RosterWords] = {
    "zh": RosterWords(
        language="zh",
        title="{community} {year}年{month}月 走访安排表",
        actions={},
        roles={},
        categories={},
        no_building="（未登记楼栋）",
        unassigned="（无人可接）",
        events="社区活动",
        hold="举办",
        invited="{festival}；邀请{categories}，共{count}户",
        category_separator="、",
        role_separator="、",
        note_separator="；",
        weekend="周末",
        moved="原定{date}（{why}），提前至工作日",
        stuck="期限内无工作日，仍为{date}",
        provisional="暂按周一至周五（当年放假安排未公布）",
        redacted_task="走访联系",
        redacted_event="社区活动",
        substitute="代为走访",
        nobody_available="无人可接",
        assignment_note=assignment_note,  # replaced by chinese_note over the vocabulary's roles
        sign_off="负责人：____________　　审核：____________　　日期：____________",
    ),
    "en": RosterWords(
        language="en",
        title="{community} visit roster, {date:%B %Y}",
        actions={},
        roles={},
        categories={},
        no_building="(no building)",
        unassigned="(unassigned)",
        events="Community events",
        hold="Hold",
        invited="{festival}; invited: {categories} ({count} households)",
        category_separator=", ",
        role_separator="、",
        note_separator="; ",
        weekend="weekend",
        moved="moved from {date} ({why}) to a working day",
        stuck="no working day in the window; kept {date}",
        provisional="provisional: Monday to Friday (no official schedule yet)",
        redacted_task="Visit or contact",
        redacted_event="Community event",
        substitute="substitute",
        nobody_available="nobody available",
        assignment_note=assignment_note,
        sign_off="Responsible: ____________    Checked: ____________    Date: ____________",
    ),
}


#: Why nobody took an obligation, in a Chinese roster's 备注.
_ZH_NOBODY = {
    Choice.NO_ORGANISATION: "无组织架构",
    Choice.NO_BUILDING: "未登记楼栋",
    Choice.NO_HOLDER: "无人担任可承担的角色",
    Choice.ALL_ABSENT: "可承担者均不在岗",
}


def chinese_note(roles: Mapping[str, str]) -> Callable[[Assignment], str]:
    """How an assignment was reached, in Chinese with the vocabulary's role titles; empty for a first choice.

    >>> note = chinese_note({"group_leader": "党小组长", "branch_member": "支部委员"})
    >>> note(Assignment(assignee="P2", choice=Choice.NEXT_IN_LINE, role="group_leader", unit="B1", rank=2))
    '依次递补：B1 第2顺位党小组长'
    >>> note(Assignment(assignee="P3", choice=Choice.ESCALATED, role="branch_member", unit="Z1",
    ...                 missing="group_leader"))
    '无党小组长；逐级递补至 Z1 支部委员'
    """

    def note(assignment: Assignment) -> str:
        choice = assignment.choice
        if choice is Choice.FIRST:
            return ""
        if choice is Choice.UNKNOWN_BUILDING:
            return f"楼栋 {assignment.building} 不在组织架构中"
        if choice in _ZH_NOBODY:
            return _ZH_NOBODY[choice]
        role = roles.get(assignment.role or "", assignment.role or "")
        place = f" {assignment.unit} " if assignment.unit else ""  # a linked role's title says it
        missing = "" if assignment.missing is None else f"无{roles.get(assignment.missing, assignment.missing)}；"
        if choice is Choice.ESCALATED:
            return f"{missing}逐级递补至{place}{role}"
        if choice is Choice.OTHER_ROLE:
            return f"{missing}由{place}{role}代为走访"
        if choice is Choice.SAME_RANK:
            return f"同为第{assignment.rank}顺位的{place}{role}分担"
        return f"依次递补：{place.lstrip()}第{assignment.rank}顺位{role}"

    return note


def roster_words(language: Language, vocabulary: Vocabulary) -> RosterWords:
    """Every word of a roster in ``language``: the fixed ones, and the titles the rulebook's vocabulary declares."""
    if language not in _ROSTER_WORDS:
        raise ValueError(f"unknown language {language!r} (choose from {', '.join(_ROSTER_WORDS)})")
    roles = vocabulary.titles("roles", language)
    words = _ROSTER_WORDS[language]
    return attrs.evolve(
        words,
        actions=vocabulary.titles("actions", language),
        roles=roles,
        categories=vocabulary.titles("categories", language),
        assignment_note=chinese_note(roles) if language == "zh" else words.assignment_note,
    )


def describe(cadence: Cadence, language: Language = "en") -> str:
    """A short description of a cadence, in English (``en``) or Chinese (``zh``).

    >>> from visits.core.periods import Period
    >>> describe(Calendar(period=Period.YEAR, within=(12, 12)))
    'yearly, month 12 of the year'
    >>> describe(Calendar(period=Period.YEAR, within=(12, 12)), "zh")
    '每年，第12个月'
    >>> describe(Once(first_day=-30, last_day=-1))
    'once, days -30..-1 from start'
    >>> describe(Once(first_day=-30, last_day=-1), "zh")
    '一次，开始前30天至前1天'
    """
    if language == "zh":
        return _describe_zh(cadence)
    if isinstance(cadence, Calendar):
        text = {"week": "weekly (ISO week)", "half": "half-yearly"}.get(
            cadence.period.value, cadence.period.value + "ly"
        )
        if cadence.within is not None:
            first, last = cadence.within
            months = f"month {first}" if first == last else f"months {first}-{last}"
            text += f", {months} of the {cadence.period.value}"
        return text
    if isinstance(cadence, Interval):
        return f"every {cadence.every} {cadence.unit.value} from start"
    if isinstance(cadence, Once):
        if cadence.first_day == cadence.last_day:
            return f"once, day {cadence.first_day} from start"
        return f"once, days {cadence.first_day}..{cadence.last_day} from start"
    if isinstance(cadence, Span):
        return f"whole span (first {cadence.open_days} days while open)"
    if isinstance(cadence, Festival):
        names = " and ".join(cadence.festivals)
        first, last = cadence.first_day, cadence.last_day
        if last == -1 and first < 0:
            return f"the {-first} days before {names}"
        if first == last:
            return f"day {first} from {names}"
        return f"days {first}..{last} from {names}"
    if cadence.within_days == 0:
        return "same day"
    unit = "working day" if cadence.working_days else "day"
    return f"within {cadence.within_days} {unit}{'s' if cadence.within_days > 1 else ''}"


_ZH_PERIOD = {"week": "每周（ISO周）", "month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
_ZH_UNIT = {"days": "天", "weeks": "周", "months": "个月"}


def _describe_zh(cadence: Cadence) -> str:
    """:func:`describe` in Chinese."""
    if isinstance(cadence, Calendar):
        text = _ZH_PERIOD[cadence.period.value]
        if cadence.within is not None:
            first, last = cadence.within
            text += f"，第{first}个月" if first == last else f"，第{first}至{last}个月"
        return text
    if isinstance(cadence, Interval):
        return f"自开始起每{cadence.every}{_ZH_UNIT[cadence.unit.value]}"
    if isinstance(cadence, Once):
        if cadence.first_day == cadence.last_day:
            return f"一次，开始{_offset_zh(cadence.first_day)}"
        return f"一次，开始{_offset_zh(cadence.first_day)}至{_offset_zh(cadence.last_day)}"
    if isinstance(cadence, Span):
        return f"整个期间（未结束时为前{cadence.open_days}天）"
    if isinstance(cadence, Festival):
        names = "、".join(cadence.festivals)
        first, last = cadence.first_day, cadence.last_day
        if last == -1 and first < 0:
            return f"{names}前{-first}天"
        if first == last:
            return f"{names}{_offset_zh(first)}"
        return f"{names}{_offset_zh(first)}至{_offset_zh(last)}"
    if cadence.within_days == 0:
        return "当天"
    return f"{cadence.within_days}个工作日内" if cadence.working_days else f"{cadence.within_days}天内"


def _offset_zh(days: int) -> str:
    """A day offset from a date: 前3天, 当天, 后3天."""
    return "当天" if days == 0 else (f"前{-days}天" if days < 0 else f"后{days}天")


def explain(
    status: Status,
    language: Language = "zh",
    names: Mapping[str, str] | Organisation | None = None,
    vocabulary: Vocabulary | None = None,
) -> str:
    """A status in one line, in Chinese (``zh``) or English (``en``).

    ``names`` gives the people's names, as a mapping from person id or as the
    community's organisation (``explain(s, "zh", community.organisation)``,
    as the command line prints it); without it the ids are shown.
    ``vocabulary`` (the rulebook's) names the category of a cancelled
    obligation; without it the category's id is shown.
    """
    if isinstance(names, Organisation):
        names = {p.id: p.name for p in names.people if p.name}
    o, rule = status.obligation, status.obligation.rule
    names = names or {}
    who = (names.get(status.assignee) or status.assignee) if status.assignee else None
    if language == "en":
        title = rule.title_en or rule.id
        holder = f"assigned to {who}" if who else "nobody assigned"
        text = {
            State.UPCOMING: f"Upcoming: {title}, window opens {o.start}, {holder}",
            State.OPEN: f"Open: {title}, due by {o.due}, {holder}",
            State.OVERDUE: f"Overdue: {title}, due by {o.due}, {holder}",
            State.MISSED: f"Missed: {title}, window {o.start}..{o.end} closed, {holder}",
            State.CANCELLED: f"Cancelled: {title}, the circumstance ended {status.ended}",
        }
        if status.state is State.MET:
            assert status.record is not None
            visitor = names.get(status.record.person) or status.record.person
            late = f", late (due {o.due})" if status.late else ""
            return f"Met: {title}, {status.record.date} by {visitor} (record {status.record.id}){late}"
        return text[status.state]
    title = rule.title or rule.id
    holder = f"责任人 {who}" if who else "无责任人"
    if status.state is State.MET:
        assert status.record is not None
        visitor = names.get(status.record.person) or status.record.person
        late = f"，逾期完成（应于{o.due}前）" if status.late else ""
        return f"已完成：{title}，{status.record.date} 由 {visitor} 完成（记录 {status.record.id}）{late}"
    if status.state is State.CANCELLED:
        category = rule.category or ""
        if vocabulary is not None and category:
            category = vocabulary.titles("categories", "zh").get(category, category)
        return f"已取消：{title}，{category}情况已于{status.ended}结束"
    tail = {
        State.UPCOMING: f"自{o.start}起",
        State.OPEN: f"应于{o.due}前完成",
        State.OVERDUE: f"应于{o.due}前完成",
        State.MISSED: f"期限{o.start}至{o.end}已过",
    }[status.state]
    return f"{_ZH[status.state]}：{title}，{tail}，{holder}"
