"""The words a roster and its due-date notes print, in Chinese and English.

Every action, role and category name of a roster, and the notes on how a
working-day rule moved a due date, are here, one entry per thing and
language.  (They sit in the core for now because :mod:`visits.core.roster`
builds lines of text; docs/architecture.md says where they are headed.)
"""

from __future__ import annotations

import attrs

from visits.core.planner import Obligation
from visits.core.vocabulary import Category, Language, Role
from visits.core.workdays import DueReason

__all__ = [
    "ACTION_NAMES",
    "CATEGORY_NAMES",
    "REDACTED_EVENT",
    "REDACTED_NOTES",
    "REDACTED_TASK",
    "ROLE_NAMES",
    "due_note",
]

#: The one task a redacted roster shows for every household line, whatever its rule.
REDACTED_TASK = {"zh": "走访联系", "en": "Visit or contact"}
#: The title of a gathering on a redacted roster when it invites a sensitive category.
REDACTED_EVENT = {"zh": "社区活动", "en": "Community event"}
#: Notes a redacted roster may show: a substitute took the line, or nobody could.
REDACTED_NOTES = {
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
CATEGORY_NAMES = {
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
