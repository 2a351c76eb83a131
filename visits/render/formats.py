"""Rosters laid out as XLSX, CSV and iCalendar, and the cells every layout shares.

HTML is :mod:`visits.render.html`, PDF :mod:`visits.render.pdf`.

Every renderer takes a :class:`~visits.core.roster.Roster` and returns bytes; none
reads a file or the clock.  Content is escaped for its format: HTML-escaped
text (Jinja2 autoescaping), and spreadsheet cells that begin with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) prefixed with ``'`` so that no
formula runs when the file is opened.

Dependencies: XlsxWriter (XLSX with print setup), icalendar (RFC 5545 files);
both BSD-licensed and maintained.
Each is imported by the renderer that uses it, on its first call, so a CSV
roster loads none of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import uuid
from collections.abc import Callable
from typing import Any

from visits.core.periods import ONE_DAY
from visits.core.roster import Roster, RosterLine
from visits.core.text import display_width
from visits.io.serialise import safe_cell
from visits.io.sheets import FIXED_CREATED

__all__ = [
    "FILL_IN",
    "FIXED_CREATED",
    "HEADINGS",
    "HIDDEN",
    "cells",
    "role_summary",
    "rule_summary",
    "to_csv",
    "to_ics",
    "to_xlsx",
]

#: Column headings; the last two columns are left blank for the visitor.
HEADINGS = {
    "zh": (
        "序号",
        "应完成日期",
        "期限",
        "住户",
        "地址",
        "事项",
        "责任人",
        "身份",
        "备注",
        "已完成",
        "实际走访日期",
        "签字",
    ),
    "en": (
        "No.",
        "Due",
        "Window",
        "Household",
        "Address",
        "Task",
        "Assignee",
        "Role",
        "Note",
        "Done",
        "Visited on",
        "Signature",
    ),
}
_UID_NAMESPACE = uuid.UUID("6f1c1f9e-2a49-5b35-9a0e-5d1f0c6b7a11")


def _window(line: RosterLine) -> str:
    if line.start == line.end:
        return f"{line.start:%m-%d}"
    return f"{line.start:%m-%d}–{line.end:%m-%d}" if line.start.year == line.end.year else f"{line.start}–{line.end}"


def cells(n: int, line: RosterLine) -> list[str]:
    """The text of one roster row (the visit-date and signature columns blank)."""
    household = f"{line.household_name}（{line.household}）" if line.household_name else line.household
    done = f"√ {line.met}" if line.met else ""
    note = "；".join(part for part in (line.due_note, line.note) if part)
    return [
        str(n),
        line.due.isoformat(),
        _window(line),
        household,
        line.address,
        line.title,
        " ".join(p for p in (line.assignee_name or line.assignee or "—", line.assignee_phone) if p),
        line.role,
        note,
        done,
        "",
        "",
    ]


def rule_summary(roster: Roster, counts: tuple[tuple[str, int], ...]) -> str:
    return (
        "，".join(f"{name} {n}" for name, n in counts)
        if roster.language == "zh"
        else ", ".join(f"{name}: {n}" for name, n in counts)
    )


def role_summary(roster: Roster, counts: tuple[tuple[str, int], ...]) -> str:
    """How many lines each role has (按身份：党小组长 15 项，…); empty when there are none (a redacted roster)."""
    if not counts:
        return ""
    if roster.language == "zh":
        return "按身份：" + "，".join(f"{name} {n} 项" for name, n in counts)
    return "By role: " + ", ".join(f"{name}: {n}" for name, n in counts)


# --------------------------------------------------------------------- CSV


def to_csv(roster: Roster) -> bytes:
    """UTF-8 with a byte-order mark (Excel and WPS then read Chinese correctly); a group column first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    group_heading = "分组" if roster.language == "zh" else "Group"
    writer.writerow([group_heading, *HEADINGS[roster.language][:-2]])
    for group in roster.groups:
        for n, line in enumerate(group.lines, 1):
            writer.writerow([safe_cell(c) for c in [group.title, *cells(n, line)[:-2]]])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# -------------------------------------------------------------------- XLSX

_WIDTHS = (5, 11, 13, 18, 28, 20, 10, 10, 16, 11, 12, 10)
#: The office copy's columns after 实际走访日期, to fill in: the visitor (a drop-down) and what was found.
FILL_IN = {"zh": ("走访人", "情况记录"), "en": ("Visitor", "Findings")}
#: Hidden columns of the office copy, to read it back without guessing (``visits record``).
HIDDEN = ("编号", "规则", "对象", "单位事务", "开始", "结束", "责任人编号", "月份")
_FILL_WIDTHS = (14, 24)


#: A roster repeats its dates, roles and visitors on thousands of rows.
_cell_width = functools.lru_cache(maxsize=1 << 16)(display_width)


def _row_height(texts: list[str], widths: tuple[int, ...] = _WIDTHS) -> float:
    """Points needed for the wrapped cells (spreadsheet programs do not grow rows when opening a file)."""
    lines = max(-(-_cell_width(t) // max(1, w)) if t else 1 for t, w in zip(texts, widths, strict=True))
    return 15.0 * min(max(1, lines), 20)


def _visitor_choices(line: RosterLine) -> list[str]:
    """The drop-down of a line's visitor cell: 姓名（编号）, the assignee first, as many as fit in 255 characters."""
    out: list[str] = []
    for ident, name in line.visitors:
        entry = f"{name}（{ident}）" if name else ident
        if sum(len(e) + 1 for e in [*out, entry]) > 255 or "," in entry or '"' in entry:
            continue
        out.append(entry)
    return out


def to_xlsx(
    roster: Roster, created: dt.datetime = FIXED_CREATED, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """One sheet: a heading row per group, then its lines; printed A4 landscape, one page wide.

    The header row is frozen and repeated on every printed page; each group
    starts a new printed page (Excel allows at most 1,023 such breaks; later
    groups follow on).  Every cell is written as text.  The workbook's
    creation date is ``created`` (the command line passes
    ``SOURCE_DATE_EPOCH`` when it is set), so the bytes depend on the roster
    only.

    Unless it is redacted, the roster is an office copy to fill in and read
    back (``visits record``): after 实际走访日期 come 走访人 (a drop-down of
    who may do it) and 情况记录, and hidden columns carry each line's key,
    rule, household or unit, window, assignee and month.  A redacted roster
    has none of them: they would say why a household is visited.

    ``progress``, if given, is told ``(groups written, groups)`` after each group.
    """
    import xlsxwriter  # type: ignore[import-untyped]

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": created.astimezone(dt.UTC).replace(tzinfo=None)})
    sheet = book.add_worksheet("走访安排" if roster.language == "zh" else "Roster")
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
    group_format = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    body = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    office = not roster.redacted
    headings: tuple[str, ...] = HEADINGS[roster.language]
    widths: tuple[int, ...]
    if office:
        headings = (*headings[:-1], *FILL_IN[roster.language], headings[-1], *HIDDEN)
        widths = (*_WIDTHS[:-1], *_FILL_WIDTHS, _WIDTHS[-1])
    else:
        widths = _WIDTHS
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    if office:
        sheet.set_column(len(widths), len(widths) + len(HIDDEN) - 1, 12, None, {"hidden": True})
        sheet.write_string(0, len(widths) + HIDDEN.index("月份"), f"{roster.year:04d}-{roster.month:02d}")
    sheet.write_string(0, 0, safe_cell(roster.title), title)
    sheet.write_row(1, 0, headings, head)
    sheet.freeze_panes(2, 0)
    row = 2
    breaks: list[int] = []
    for done, group in enumerate(roster.groups, 1):
        if row > 2 and len(breaks) < 1023:
            breaks.append(row)
        label = f"{group.subtitle} {group.title}".strip() if roster.by == "unit" else group.title
        sheet.merge_range(row, 0, row, len(widths) - 1, safe_cell(f"{label}（{len(group.lines)}）"), group_format)
        row += 1
        for n, line in enumerate(group.lines, 1):
            texts = [safe_cell(text) for text in cells(n, line)]
            if office:
                texts = [*texts[:-1], "", "", texts[-1]]
            sheet.set_row(row, _row_height(texts, widths))
            for col, text in enumerate(texts):
                sheet.write_string(row, col, text, body)
            if office:
                _office_cells(sheet, row, len(widths), line, roster)
            row += 1
        if progress is not None:
            progress(done, len(roster.groups))
    sheet.set_h_pagebreaks(breaks)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    footer = "&C第 &P 页 共 &N 页" if roster.language == "zh" else "&CPage &P of &N"
    sheet.set_footer(footer)
    sheet.set_header(f"&L{_header_text(roster.title)}")
    book.close()
    return output.getvalue()


def _office_cells(sheet: Any, row: int, first: int, line: RosterLine, roster: Roster) -> None:
    """A line's hidden columns, and the drop-down of its visitor cell."""
    hidden = (
        line.key,
        line.rule,
        line.household,
        "1" if line.unit else "",
        line.start.isoformat(),
        line.end.isoformat(),
        line.assignee or "",
        f"{roster.year:04d}-{roster.month:02d}",
    )
    for k, value in enumerate(hidden):
        sheet.write_string(row, first + k, value)
    choices = _visitor_choices(line)
    if choices and line.rule and not line.key.startswith("gathering/"):
        visitor = len(HEADINGS[roster.language]) - 1  # 走访人, after 实际走访日期
        sheet.data_validation(row, visitor, row, visitor, {"validate": "list", "source": choices})


def _header_text(text: str) -> str:
    return text.replace("&", "&&")[:200]


# --------------------------------------------------------------------- ICS


def to_ics(roster: Roster, progress: Callable[[int, int], None] | None = None) -> bytes:
    """One all-day event per obligation on its due date, with a UID derived from the key.

    Re-importing an updated roster updates the events instead of adding copies.
    ``progress``, as for :func:`to_xlsx`, is told ``(groups written, groups)``.

    The content lines are written here, as icalendar would write them, byte
    for byte: its objects cost about 100 µs an event, a whole second for a
    city's December.  tests/test_ics.py holds the two equal over generated
    rosters, and reads the files back with icalendar.
    """
    zh = roster.language == "zh"
    out = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//visits//roster//ZH",
        _ics_line("X-WR-CALNAME:" + _ics_text(roster.title)),
    ]
    stamp = f"DTSTAMP:{roster.year:04d}{roster.month:02d}01T000000Z"
    separator = "：" if zh else ": "
    for done, group in enumerate(roster.groups, 1):
        for line in group.lines:
            who = line.household_name or line.household
            window = f"{line.start}..{line.end}"
            assignee = line.assignee_name or line.assignee or "-"
            if line.role:
                assignee += f"（{line.role}）" if zh else f" ({line.role})"
            text = (
                f"期限 {window}；地址 {line.address}；责任人 {assignee}"
                if zh
                else f"Window {window}; address {line.address}; assignee {assignee}"
            )
            if line.due_note:
                text += ("；" if zh else "; ") + line.due_note
            if line.note and not line.household:
                text = line.note
            out += (
                "BEGIN:VEVENT",
                _ics_line("SUMMARY:" + _ics_text(f"{line.title}{separator}{who}" if who else line.title)),
                f"DTSTART;VALUE=DATE:{line.due:%Y%m%d}",
                f"DTEND;VALUE=DATE:{line.due + ONE_DAY:%Y%m%d}",
                stamp,
                _ics_line(f"UID:{uuid.uuid5(_UID_NAMESPACE, line.key)}@visits"),
                _ics_line("DESCRIPTION:" + _ics_text(text)),
            )
            if line.address:
                out.append(_ics_line("LOCATION:" + _ics_text(line.address)))
            out.append("END:VEVENT")
        if progress is not None:
            progress(done, len(roster.groups))
    out.append("END:VCALENDAR")
    return ("\r\n".join(out) + "\r\n").encode()


def _ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 says, in icalendar's order (a written \\N is a line break).

    A byte-order mark at the start (U+FEFF, pasted with text from a file) is
    dropped, as icalendar drops it.
    """
    return (
        value.removeprefix("\ufeff")
        .replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _ics_line(line: str) -> str:
    """A content line folded into pieces of at most 74 octets, never inside a UTF-8 character.

    As icalendar does, a piece does not end with the ``\\`` or ``^`` that
    starts an escape: it goes to the next piece.
    """
    if len(line) <= 18:  # 74 octets or fewer even if every character takes four
        return line
    data = line.encode()
    if len(data) <= 74:
        return line
    pieces = []
    start = 0
    while len(data) - start > 74:
        cut = start + 74
        while 0x80 <= data[cut] < 0xC0:  # a UTF-8 continuation byte
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()
