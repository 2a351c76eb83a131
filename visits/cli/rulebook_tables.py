"""`visits rules` as text: the rules, the gatherings, the vocabulary and the differences from a base.

Chinese by default, English with ``--lang en``; the names of categories,
roles, actions, events and levels are the titles the rulebook's vocabulary
declares (in English, its ``title_en``), and ids stay beside them where a
reader needs them to write a rulebook.
"""

from __future__ import annotations

from collections.abc import Iterator

from visits.cli.output import aligned
from visits.core.extending import differences
from visits.core.rules import CategoryTrigger, Due, Rule, Rulebook, UnitTrigger
from visits.core.vocabulary import TABLES, Language, Term, Vocabulary
from visits.render.labels import describe

__all__ = ["differences_lines", "rules_table", "vocabulary_table"]

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "header": "{name}{based}: {rules} rules, {gatherings} gatherings\n",
        "based": " (extends {base})",
        "columns": "rule|trigger|roles|action|cadence|due|source (* = a reading)",
        "event": "event: ",
        "unit": "each ",
        "join": ",",
        "due_days": ", due +{days}d",
        "working": "working day",
        "window_end": "window end",
        "gatherings": "\ngatherings (community events, listed in rosters):\n",
        "gathering_columns": "gathering|festival|day|invites|source (* = a reading)",
        "on_the_day": "on the day",
        "day": "{day:+d}",
        "vocabulary": "\nvocabulary (levels from the top; the first role at a level answers for it):\n",
        "vocabulary_columns": "table|id|title|title_en|declares",
        "sensitive": "sensitive",
        "severities": "severities: ",
        "level": "level: ",
        "linked": "linked to households",
        "team": "team: ",
        "differences": "\ndifferences from {base} ({count}):\n",
        "cadence_change": "    cadence: {before} -> {after}\n",
    },
    "zh": {
        "header": "{name}{based}：{rules} 条规则，{gatherings} 项社区活动\n",
        "based": "（继承 {base}）",
        "columns": "规则|对象|角色|事项|周期|应完成日|依据（* 为本规则的解读）",
        "event": "事件：",
        "unit": "每个",
        "join": "、",
        "due_days": "，开始后{days}天内完成",
        "working": "末个工作日",
        "window_end": "期限末日",
        "gatherings": "\n社区活动（列入走访安排表）：\n",
        "gathering_columns": "活动|节日|日期|邀请|依据（* 为本规则的解读）",
        "on_the_day": "当天",
        "day": "{day:+d}天",
        "vocabulary": "\n词汇（层级自上而下；每一层第一个角色负责递补）：\n",
        "vocabulary_columns": "表|编号|名称|英文名|说明",
        "sensitive": "敏感",
        "severities": "轻重：",
        "level": "层级：",
        "linked": "与住户结对",
        "team": "团队：",
        "differences": "\n与 {base} 的不同（{count} 处）：\n",
        "cadence_change": "    周期：{before} → {after}\n",
    },
}
#: The vocabulary tables, as the Chinese table names them.
_TABLE_ZH = {
    "categories": "类别",
    "events": "事件",
    "severities": "轻重",
    "levels": "层级",
    "roles": "角色",
    "actions": "事项",
}
#: How a change is said in Chinese.
_CHANGE_ZH = {
    "added": "新增",
    "removed": "删除",
    "changed": "修改",
    "rule": "规则",
    "gathering": "活动",
    "rulebook": "规则集",
}


def _names(vocabulary: Vocabulary, table: str, ids: tuple[str, ...], language: Language) -> str:
    """Ids of a table as the language names them: titles in Chinese, ids in English."""
    if language == "en":
        return _WORDS["en"]["join"].join(ids)
    titles = vocabulary.titles(table, "zh")
    return "、".join(titles.get(i, i) for i in ids)


def _trigger(rule: Rule, vocabulary: Vocabulary, language: Language) -> str:
    words, trigger = _WORDS[language], rule.trigger
    if isinstance(trigger, CategoryTrigger):
        return _names(vocabulary, "categories", (trigger.category,), language)
    if isinstance(trigger, UnitTrigger):
        return words["unit"] + _names(vocabulary, "levels", (trigger.level,), language)
    when = words["event"] + _names(vocabulary, "events", trigger.events, language)
    if trigger.severities is not None:
        severities = _names(vocabulary, "severities", trigger.severities, language)
        when += f" ({severities})" if language == "en" else f"（{severities}）"
    return when


def rules_table(rulebook: Rulebook, language: Language = "en") -> Iterator[str]:
    """The rules, the gatherings and the vocabulary, one line each."""
    words, vocabulary = _WORDS[language], rulebook.vocabulary
    rows = [tuple(words["columns"].split("|"))]
    for rule in rulebook.rules:
        due_days = words["due_days"].format(days=rule.due_days) if rule.due_days is not None else ""
        rows.append(
            (
                rule.id,
                _trigger(rule, vocabulary, language),
                _names(vocabulary, "roles", rule.roles, language),
                _names(vocabulary, "actions", (rule.action,), language),
                describe(rule.cadence, language) + due_days,
                words["working"] if rulebook.due_of(rule) is Due.LAST_WORKING_DAY else words["window_end"],
                ("* " if rule.reading else "  ") + rule.source,
            )
        )
    based = words["based"].format(base=rulebook.based_on) if rulebook.based_on else ""
    yield words["header"].format(
        name=rulebook.name, based=based, rules=len(rulebook.rules), gatherings=len(rulebook.gatherings)
    )
    yield from aligned(rows)
    if rulebook.gatherings:
        yield words["gatherings"]
        table = [tuple(words["gathering_columns"].split("|"))]
        table += [
            (
                f"{g.id} {g.title}",
                g.festival,
                words["day"].format(day=g.day) if g.day else words["on_the_day"],
                _names(vocabulary, "categories", g.invites, language),
                ("* " if g.reading else "  ") + g.source,
            )
            for g in rulebook.gatherings
        ]
        yield from aligned(table)
    yield from vocabulary_table(vocabulary, language)


def _declares(table: str, term: Term, vocabulary: Vocabulary, language: Language) -> str:
    """What a term declares besides its titles."""
    words = _WORDS[language]
    if table == "categories":
        return words["sensitive"] if term.sensitive else ""
    if table == "events" and term.severities:
        return words["severities"] + _names(vocabulary, "severities", term.severities, language)
    if table == "roles":
        if term.level is None:
            return words["linked"]
        return words["level"] + _names(vocabulary, "levels", (term.level,), language)
    if table == "levels" and term.team:
        return words["team"] + _names(vocabulary, "roles", term.team, language)
    return ""


def vocabulary_table(vocabulary: Vocabulary, language: Language = "en") -> Iterator[str]:
    """The rulebook's vocabulary, table by table: id, titles, and what each term declares besides."""
    words = _WORDS[language]
    rows = [tuple(words["vocabulary_columns"].split("|"))]
    for table in TABLES:
        shown = table if language == "en" else _TABLE_ZH[table]
        for term in getattr(vocabulary, table):
            rows.append((shown, term.id, term.title, term.title_en, _declares(table, term, vocabulary, language)))
    yield words["vocabulary"]
    yield from aligned(rows)


def differences_lines(base: Rulebook, rulebook: Rulebook, language: Language = "en") -> Iterator[str]:
    """What the rulebook changes from the one it extends, and how a changed cadence reads before and after."""
    words = _WORDS[language]
    changes = differences(base, rulebook)
    yield words["differences"].format(base=base.name, count=len(changes))
    old_rules = {r.id: r for r in base.rules}
    for change in changes:
        if language == "en":
            yield f"  {change.kind} {change.what} {change.id}"
            if change.fields:
                yield f" ({', '.join(change.fields)})"
        else:
            yield f"  {_CHANGE_ZH[change.kind]}{_CHANGE_ZH[change.what]} {change.id}"
            if change.fields:
                yield f"（{'、'.join(change.fields)}）"
        yield "\n"
        if change.what == "rule" and change.kind == "changed" and "cadence" in change.fields:
            before, after = old_rules[change.id].cadence, rulebook.get(change.id).cadence
            yield words["cadence_change"].format(before=describe(before, language), after=describe(after, language))
