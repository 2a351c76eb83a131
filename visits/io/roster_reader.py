"""Reading a filled-in roster back as visit records: ``visits record``.

The office copy of an XLSX roster (``visits roster -o FILE.xlsx``, not
redacted) carries, in hidden columns, each line's key, rule, household or
unit, window, assignee and month.  A line whose 实际走访日期 is filled in
becomes a visit record: by the person named in 走访人 (``姓名（编号）`` as the
drop-down writes it, an id, or a name only one person has; the assignee when
left blank), on that day, doing the rule's action, with 情况记录 as its note.

Every record names a household (or unit) and a person of the community, so
adding them keeps the file valid.  A record's id is made from the line's
key, the visitor and the day, so
reading the same roster twice finds its records already there and adds
nothing.  A line that cannot be taken (no such person, a day outside its
window, a line of another month's roster, a rule the rulebook lacks) is a
problem at its cell; :func:`read_roster` reports every one and takes no line
when there is any.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import attrs

from visits.core.community import Community, Visit
from visits.core.errors import CommunityError, Problem
from visits.core.rules import Rulebook
from visits.io.workbook_reader import cell_date, cell_text, column_letter, open_workbook, sheet_cells

__all__ = ["Recording", "read_roster", "record_id"]

#: The headers read, in either language, by what they hold.
_HEADERS = {
    "date": ("实际走访日期", "Visited on"),
    "visitor": ("走访人", "Visitor"),
    "findings": ("情况记录", "Findings"),
    "key": ("编号",),
    "rule": ("规则",),
    "subject": ("对象",),
    "duty": ("单位事务",),
    "start": ("开始",),
    "end": ("结束",),
    "assignee": ("责任人编号",),
    "month": ("月份",),
}
_NAMED = re.compile(r".*[（(]\s*([^（）()]+?)\s*[）)]\s*")


@attrs.frozen
class Recording:
    """What a filled-in roster adds: new records, and the ids of those already in the community."""

    added: tuple[Visit, ...]
    already: tuple[str, ...]
    lines: int  # lines with a visit date


def record_id(key: str, person: str, day: str) -> str:
    """The id of the record a roster line makes: the same line, visitor and day always give the same id."""
    digest = hashlib.blake2b(f"{key}\x1f{person}\x1f{day}".encode(), digest_size=6).hexdigest()
    return f"R{digest}"


def read_roster(data: bytes, community: Community, rulebook: Rulebook, *, source: str | None = None) -> Recording:
    """The visit records a filled-in roster adds to ``community``.

    Raises :class:`CommunityError` with every line that cannot be taken, at its cell.
    """

    def fail(message: str) -> CommunityError:
        return CommunityError([Problem(path="", message=message)], source=source)

    book = open_workbook(data, source=source)
    name = book.sheet_names[0]
    grid = sheet_cells(book.get_sheet_by_name(name))
    header = [cell_text(c) for c in grid[1]] if len(grid) > 1 else []
    at = {field: next((header.index(h) for h in names if h in header), None) for field, names in _HEADERS.items()}
    if at["key"] is None or at["date"] is None:
        raise fail(
            "not the office copy of a roster: it has no hidden key column (a redacted roster cannot be read back; "
            "print the office copy with visits roster ... -o FILE.xlsx)"
        )
    month_col = at["month"]
    month = cell_text(grid[0][month_col]) if month_col is not None and month_col < len(grid[0]) else ""
    people = {p.id: p for p in community.organisation.people} if community.organisation else {}
    units = {u.id for u in community.organisation.units} if community.organisation else set()
    homes = {h.id for h in community.households}
    by_name: dict[str, list[str]] = {}
    for someone in people.values():
        by_name.setdefault(someone.name, []).append(someone.id)
    problems: list[Problem] = []
    existing = {v.id: v for v in community.visits}
    added: dict[str, Visit] = {}
    already: list[str] = []
    dated = 0

    def cell(row: list[object], field: str) -> str:
        col = at[field]
        return cell_text(row[col]) if col is not None and col < len(row) else ""

    def where(n: int, field: str) -> str:
        col = at[field]
        return f"{name}!{column_letter(col if col is not None else 0)}{n}（{header[col] if col is not None else ''}）"

    for n, row in enumerate(grid[2:], 3):
        key = cell(row, "key")
        if not key or key.startswith("gathering/"):
            continue
        raw_date = row[at["date"]] if at["date"] < len(row) else None
        if cell_text(raw_date) == "":
            if cell(row, "visitor") or cell(row, "findings"):
                problems.append(Problem(path=where(n, "date"), message="no visit date, but a visitor or findings"))
            continue
        dated += 1
        day = cell_date(raw_date)
        line_month = cell(row, "month")
        if day is None:
            problems.append(Problem(path=where(n, "date"), message=f"{cell_text(raw_date)} is not a date"))
            continue
        if line_month != month:
            message = f"a line of the {line_month or 'unknown'} roster, in the {month or 'unknown'} roster: not taken"
            problems.append(Problem(path=where(n, "date"), message=message))
            continue
        start, end = cell(row, "start"), cell(row, "end")
        if not start <= day.isoformat() <= end:
            problems.append(
                Problem(path=where(n, "date"), message=f"{day} is outside the line's window {start}..{end}")
            )
            continue
        person, why = _visitor(cell(row, "visitor"), cell(row, "assignee"), people, by_name)
        if person is None:
            problems.append(Problem(path=where(n, "visitor"), message=why))
            continue
        rule_id = cell(row, "rule")
        try:
            rule = rulebook.get(rule_id)
        except KeyError:
            problems.append(Problem(path=where(n, "key"), message=f"rule {rule_id!r} is not in {rulebook.name}"))
            continue
        subject = cell(row, "subject")
        if subject not in (units if cell(row, "duty") else homes):
            what = "unit" if cell(row, "duty") else "household"
            message = f"{what} {subject!r} is not in the community file (a roster of another community?)"
            problems.append(Problem(path=where(n, "key"), message=message))
            continue
        ident = record_id(key, person, day.isoformat())
        visit = Visit(
            id=ident,
            household=None if cell(row, "duty") else subject,
            unit=subject if cell(row, "duty") else None,
            person=person,
            date=day,
            action=rule.action,
            note=cell(row, "findings"),
        )
        if ident in existing:
            if existing[ident] != visit:
                message = f"already recorded as {ident} with other findings; the record is not changed"
                problems.append(Problem(path=where(n, "findings"), message=message))
            else:
                already.append(ident)
            continue
        added.setdefault(ident, visit)
    if problems:
        raise CommunityError(problems, source=source)
    return Recording(added=tuple(added.values()), already=tuple(already), lines=dated)


def _visitor(
    text: str, assignee: str, people: Mapping[str, object], by_name: Mapping[str, list[str]]
) -> tuple[str | None, str]:
    """The visitor's id from the 走访人 cell, and why not when it cannot be told."""
    if not text:
        return (assignee, "") if assignee else (None, "no visitor, and the line has no assignee")
    found = _NAMED.fullmatch(text)
    ident = found.group(1) if found else text
    if ident in people:
        return ident, ""
    same = by_name.get(text, [])
    if len(same) == 1:
        return same[0], ""
    if same:
        return None, f"{len(same)} people are called {text}: choose from the list (姓名（编号）) or give the id"
    return None, f"unknown person {text!r}"
