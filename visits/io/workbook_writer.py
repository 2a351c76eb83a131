"""Writing community workbooks: the blank template an office fills in (``visits template``), or a community.

The layout is :data:`visits.io.sheets.SHEETS`: an instructions sheet, then a
sheet per kind of record with a Chinese header row, a row saying what each
column holds, and room for data below.  Columns of vocabulary terms offer a
drop-down of the rulebook's titles (kept on a hidden sheet, 词汇, so that a
list of any length fits), date columns are formatted and checked as dates,
id and text columns are formatted as text (so that ``0012`` stays ``0012``),
and the first two rows stay in view.  Written with xlsxwriter, as the XLSX
roster is.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from visits.core.checks import MAX_DATE, MIN_DATE
from visits.core.community import Community
from visits.core.vocabulary import Vocabulary
from visits.io.convert import community_to_dict
from visits.io.sheets import DATA_ROW, FIXED_CREATED, OTHER, SHEETS, Cell, Column, Sheet, choices, sheet_rows

__all__ = ["INSTRUCTIONS", "TERMS", "template", "workbook"]

#: The names of the instructions sheet and of the hidden sheet of drop-down lists.
INSTRUCTIONS = "说明"
TERMS = "词汇"
#: How many rows the drop-downs and the date checks cover below the note row.
ROWS = 20_000
_TABLES = ("levels", "roles", "categories", "events", "severities", "actions")
_TABLE_TITLES = {
    "levels": "层级",
    "roles": "角色",
    "categories": "类别",
    "events": "事件类型",
    "severities": "轻重",
    "actions": "事项",
}


def template(vocabulary: Vocabulary, *, rulebook: str, created: dt.datetime = FIXED_CREATED) -> bytes:
    """The blank workbook for a community planned with a rulebook of this vocabulary.

    ``rulebook`` is the rulebook's name, said on the instructions sheet.  The
    bytes depend on the vocabulary, the name and ``created`` only.
    """
    return workbook(vocabulary, rulebook=rulebook, created=created)


def workbook(
    vocabulary: Vocabulary,
    *,
    rulebook: str,
    community: Community | None = None,
    created: dt.datetime = FIXED_CREATED,
) -> bytes:
    """The workbook of ``community`` (blank without one), in the template's layout.

    Every record is a row (a nested list's items rows of its own sheet),
    terms by their titles, dates as dates; the file's other top-level
    sections are kept as JSON text on the sheet 其他, so that reading the
    workbook back gives the same community.
    """
    rows = sheet_rows(community_to_dict(community), vocabulary) if community is not None else {}
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": created.astimezone(dt.UTC).replace(tzinfo=None), "title": "社区台账"})
    formats = _Formats(book)
    _instructions(book.add_worksheet(INSTRUCTIONS), formats, vocabulary, rulebook)
    for sheet in SHEETS:
        ws = book.add_worksheet(sheet.name)
        _data_sheet(ws, sheet, formats)
        for r, row in enumerate(rows.get(sheet.section, ()), DATA_ROW - 1):
            for c, value in enumerate(row):
                _write(ws, r, c, value, formats)
    if community is not None and community.sections:
        other = book.add_worksheet(OTHER)
        other.write_row(0, 0, ["名称", "内容（JSON）"], formats.head)
        other.set_column(0, 0, 14, formats.text)
        other.set_column(1, 1, 80, formats.text)
        for r, (key, content) in enumerate(community.sections.items(), 1):
            other.write_string(r, 0, key)
            other.write_string(r, 1, json.dumps(content, ensure_ascii=False))
    terms = book.add_worksheet(TERMS)
    for col, table in enumerate(_TABLES):
        values = choices(vocabulary, table)
        terms.write_string(0, col, _TABLE_TITLES[table], formats.head)
        for n, term in enumerate(values, 1):
            terms.write_string(n, col, term)
        last = max(len(values), 1)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        book.define_name(f"terms_{table}", f"={TERMS}!${letter}$2:${letter}${last + 1}")
    terms.hide()
    book.close()
    return output.getvalue()


class _Formats:
    def __init__(self, book: Any) -> None:
        self.head = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
        self.required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        self.note = book.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.text = book.add_format({"num_format": "@"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.int = book.add_format({"num_format": "0"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _data_sheet(ws: Any, sheet: Sheet, formats: _Formats) -> None:
    """Header row, note row, column formats and checks of one sheet."""
    first, last = DATA_ROW - 1, DATA_ROW - 2 + ROWS
    for col, column in enumerate(sheet.columns):
        cell = {"date": formats.date, "int": formats.int}.get(column.kind, formats.text)
        ws.set_column(col, col, column.width, cell)
        ws.write_string(0, col, column.header, formats.required if column.required else formats.head)
        ws.write_string(1, col, column.note, formats.note)
        _check(ws, col, column, first, last)
    ws.set_row(1, 45)
    ws.freeze_panes(DATA_ROW - 1, 0)
    _printed(ws)


def _write(ws: Any, row: int, col: int, value: Cell, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats.date)
    elif isinstance(value, int):
        ws.write_number(row, col, value, formats.int)
    else:
        ws.write_string(row, col, value, formats.text)


def _printed(ws: Any) -> None:
    """A4 landscape, one page wide, the header rows on every page."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, DATA_ROW - 2)


def _check(ws: Any, col: int, column: Column, first: int, last: int) -> None:
    """The data validation of a column: a drop-down of terms, a date in range, or a rank of 1 or more."""
    if column.kind == "term" and column.table is not None:
        rule: dict[str, object] = {
            "validate": "list",
            "source": f"=terms_{column.table}",
            "error_title": column.header,
            "error_message": f"请从下拉列表选择{column.header}",
        }
    elif column.kind == "date":
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.datetime.combine(MIN_DATE, dt.time()),
            "maximum": dt.datetime.combine(MAX_DATE, dt.time()),
            "error_title": column.header,
            "error_message": "请填写日期，如 2026-12-01",
        }
    elif column.kind == "int":
        rule = {
            "validate": "integer",
            "criteria": ">=",
            "value": 1,
            "error_title": column.header,
            "error_message": "请填写 1 或更大的整数",
        }
    else:
        return
    ws.data_validation(first, col, last, col, rule)


def _instructions(ws: Any, formats: _Formats, vocabulary: Vocabulary, rulebook: str) -> None:
    """What the workbook is, how to fill it in, and what each sheet holds."""
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 80, formats.wrap)
    _printed(ws)
    ws.write_string(0, 0, "社区台账", formats.title)
    lines = [
        ("规则", f"按规则 {rulebook} 的词汇填写；类别、角色、层级、事项、事件类型从下拉列表选。"),
        ("填写", f"每张表第1行是列名，第2行是说明，从第{DATA_ROW}行起一行一条记录；橙色列名为必填。"),
        ("日期", "日期列按日期填写（如 2026-12-01）；编号列按文本保存，0012 不会变成 12。"),
    ]
    lines += [(sheet.name, sheet.title) for sheet in SHEETS]
    terms = "、".join(f"{_TABLE_TITLES[t]} {len(vocabulary.ids(t))} 项" for t in _TABLES)
    lines.append((TERMS, f"下拉列表的内容（隐藏）：{terms}。"))
    for row, (name, text) in enumerate(lines, 2):
        ws.write_string(row, 0, name, formats.head)
        ws.write_string(row, 1, text)
