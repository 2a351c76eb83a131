"""Reading a community workbook (.xlsx) as it comes back from an office.

The layout is :data:`visits.io.sheets.SHEETS`.  Columns are found by their
header, so a column someone added, moved or left out (if not required) does
not matter; the note row may be kept or deleted; blank rows are skipped and
merged cells give their value to every cell they cover.  Cells are taken as a
spreadsheet program stores them: a date as a date, a serial number or text
(``2026-03-01``, ``2026/3/1``, ``2026年3月1日``), an id typed as a number
(``12``, ``12.0``) as its digits and with its surrounding spaces trimmed, a
term by its Chinese title or its id; names, addresses and notes as written.

The records then go through :func:`visits.io.convert.community_from_dict`,
every check of a JSON file included, and every problem is reported at its
cell in the sheet's own words: ``情况!C7（开始日期）: 2026-02-30 is not a
date``.  Read with python-calamine (see docs/workbooks.md for why).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import defaultdict
from typing import Any

import python_calamine

from visits.core.community import Community
from visits.core.errors import CommunityError, Problem
from visits.core.vocabulary import Vocabulary
from visits.io.convert import community_from_dict
from visits.io.sheets import OTHER, SHEETS, TERM_TABLES, Column, Sheet, choices

__all__ = ["cell_date", "cell_text", "column_letter", "open_workbook", "read_workbook", "sheet_cells"]

#: Excel's day 0 (serial dates count from it; 1900's phantom 29 February is before every date we accept).
_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_PATH = re.compile(r"(\w+)\[(\d+)\](?:\.(\w+)\[(\d+)\])?(?:\.(\w+))?")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Reader:
    """One workbook's cells turned into the community file's plain form, remembering where each value came from."""

    def __init__(self, vocabulary: Vocabulary | None) -> None:
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.terms: dict[str, dict[str, str]] = {}
        self.offered: dict[str, str] = {}
        for table in TERM_TABLES:
            if vocabulary is not None:
                shown = choices(vocabulary, table)
                self.offered[table] = "、".join(shown)
                self.terms[table] = {i: i for i in vocabulary.ids(table)}
                self.terms[table].update(zip(shown, vocabulary.ids(table), strict=True))
        self.columns: dict[str, dict[str, int]] = {}  # section -> field -> column index, as found

    def problem(self, sheet: Sheet, row: int, col: int | None, header: str, message: str) -> None:
        where = f"{sheet.name}!{column_letter(col)}{row}（{header}）" if col is not None else f"{sheet.name}!第{row}行"
        order = (SHEETS.index(sheet), row, -1 if col is None else col)
        self.problems.append((order, Problem(path=where, message=message)))

    def value(self, sheet: Sheet, row: int, col: int, column: Column, raw: object) -> object:
        """The plain value of one cell for its column, or None (blank, or a problem reported)."""
        if raw is None or raw == "":
            return None
        if column.kind == "date":
            return self.date(sheet, row, col, column, raw)
        if column.kind == "int":
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().isdigit():
                return int(raw.strip())
            self.problem(sheet, row, col, column.header, f"{cell_text(raw)} is not a whole number")
            return None
        if column.kind == "text":  # names and notes keep their spaces; ids and terms are trimmed
            return raw if isinstance(raw, str) else cell_text(raw)
        text = cell_text(raw)
        if column.kind == "term" and column.table is not None and self.terms:
            known = self.terms[column.table]
            if text not in known:
                offered = self.offered[column.table]
                self.problem(
                    sheet, row, col, column.header, f"unknown {column.header} {text!r} (choose from: {offered})"
                )
                return None
            return known[text]
        return text or None

    def date(self, sheet: Sheet, row: int, col: int, column: Column, raw: object) -> str | None:
        day = cell_date(raw)
        if day is None:
            self.problem(sheet, row, col, column.header, f"{cell_text(raw)} is not a date")
            return None
        return day.isoformat()

    def records(self, sheet: Sheet, rows: list[list[object]]) -> list[tuple[int, dict[str, object]]]:
        """The sheet's data rows as (row number, record), found by header; problems for missing columns."""
        if not rows:
            return []
        header = [cell_text(c) for c in rows[0]]
        at: dict[str, int] = {}
        for column in sheet.columns:
            if column.header in header:
                at[column.field] = header.index(column.header)
            elif column.required:
                self.problem(
                    sheet,
                    1,
                    None,
                    "",
                    f"no column {column.header} (the header row has: {'、'.join(h for h in header if h)})",
                )
        start = 1
        if len(rows) > 1 and any(
            cell_text(rows[1][i]) == sheet.column(f).note for f, i in at.items() if i < len(rows[1])
        ):
            start = 2  # the note row, kept
        out = []
        for n, cells in enumerate(rows[start:], start + 1):
            if all(c is None or cell_text(c) == "" for c in cells):
                continue
            record: dict[str, object] = {}
            for field, i in at.items():
                value = self.value(sheet, n, i, sheet.column(field), cells[i] if i < len(cells) else None)
                if value is not None:
                    record[field] = value
            out.append((n, record))
        self.columns[sheet.section] = at
        return out


def cell_date(raw: object) -> dt.date | None:
    """A cell as a date: a date, Excel's serial number, or text like 2026-03-01, 2026/3/1 or 2026年3月1日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return _EPOCH + dt.timedelta(days=int(raw))
    found = _DATE_TEXT.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if found is not None:
        try:
            return dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            return None
    return None


def cell_text(raw: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, surrounding spaces trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()[:10]
    return str(raw).strip()


def sheet_cells(sheet: Any) -> list[list[object]]:
    """The sheet's cells from A1, with each merged range's value in every cell it covers."""
    values: list[list[object]] = sheet.to_python(skip_empty_area=False)
    for merged in sheet.merged_cell_ranges or ():
        (top, left), (bottom, right) = merged
        if top >= len(values) or left >= len(values[top]):
            continue
        value = values[top][left]
        for r in range(top, min(bottom, len(values) - 1) + 1):
            for c in range(left, min(right, len(values[r]) - 1) + 1):
                values[r][c] = value
    return values


_Rows = dict[str, list[tuple[int, dict[str, object]]]]
#: (section, index) or (section, index, list, k) of a record in the plain form -> (sheet, row).
_Places = dict[tuple[object, ...], tuple[Sheet, int]]


def _assemble(rows: _Rows, reader: _Reader) -> tuple[dict[str, Any], _Places]:
    """The plain form of the records, nested lists gathered under their owners, and where each record was."""
    by_section = {sheet.section: sheet for sheet in SHEETS}
    plain: dict[str, Any] = {}
    places: _Places = {}
    owners: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    indexes: dict[str, dict[str, int]] = defaultdict(dict)
    for sheet in SHEETS:
        if sheet.within is not None:
            continue
        records = []
        for i, (n, record) in enumerate(rows[sheet.section]):
            records.append(record)
            places[(sheet.section, i)] = (sheet, n)
            ident = record.get("id")
            if isinstance(ident, str) and ident not in owners[sheet.section]:
                owners[sheet.section][ident] = record
                indexes[sheet.section][ident] = i
        if records or sheet.section in ("households", "events"):
            plain[sheet.section] = records
    for sheet in SHEETS:
        if sheet.within is None:
            continue
        outer, inner, owner = sheet.within
        col = reader.columns.get(sheet.section, {}).get(owner)
        for n, record in rows[sheet.section]:
            ident = record.pop(owner, None)
            header = sheet.column(owner).header
            if ident is None:
                reader.problem(sheet, n, col, header, "missing: names no owner")
                continue
            home = owners[outer].get(str(ident))
            if home is None:
                what = by_section[outer].name
                reader.problem(sheet, n, col, header, f"unknown {owner} {ident!r} (not on the sheet {what})")
                continue
            items = home.setdefault(inner, [])
            places[(outer, indexes[outer][str(ident)], inner, len(items))] = (sheet, n)
            items.append(record["household"] if sheet.section == "links" and "household" in record else record)
    if "people" in plain and "units" not in plain:
        plain["units"] = []
    if "units" in plain and "people" not in plain:
        plain["people"] = []
    return plain, places


def _cell(path: str, places: _Places, reader: _Reader) -> str:
    """Where a problem of the plain form is in the workbook: a cell, a row, or (for a section) a sheet."""
    found = _PATH.match(path)
    if found is None:
        sheet = next((s for s in SHEETS if s.section == path.split(".")[0].split("[")[0]), None)
        return sheet.name if sheet is not None else path
    section, index, inner, k, field = found.groups()
    key: tuple[object, ...] = (section, int(index)) if inner is None else (section, int(index), inner, int(k))
    place = places.get(key)
    if place is None:
        return path
    sheet, row = place
    if field is None and sheet.section == "links":
        field = "household"
    at = reader.columns.get(sheet.section, {})
    if field is not None and field in at:
        return f"{sheet.name}!{column_letter(at[field])}{row}（{sheet.column(field).header}）"
    return f"{sheet.name}!第{row}行"


def _others(grid: list[list[object]]) -> list[tuple[str, str]]:
    """The (section, JSON text) rows of the sheet 其他, below its header."""
    return [(cell_text(r[0]), cell_text(r[1])) for r in grid[1:] if len(r) >= 2 and cell_text(r[0])]


def open_workbook(data: bytes, *, source: str | None = None) -> Any:
    """The workbook behind ``data`` (python-calamine's); :class:`CommunityError` if it is not one."""
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - calamine raises its own errors for anything that is not a workbook
        message = "not an Excel workbook (.xlsx): it cannot be opened as one"
        raise CommunityError([Problem(path="", message=message)], source=source) from None


def read_workbook(data: bytes, vocabulary: Vocabulary | None = None, *, source: str | None = None) -> Community:
    """The community a workbook holds; :class:`CommunityError` lists every problem at its cell."""
    book = open_workbook(data, source=source)
    reader = _Reader(vocabulary)
    found = {name: sheet_cells(book.get_sheet_by_name(name)) for name in book.sheet_names}
    homes = next(sheet.name for sheet in SHEETS if sheet.section == "households")
    if homes not in found:
        message = f"no sheet {homes} (the workbook has: {'、'.join(book.sheet_names)})"
        raise CommunityError([Problem(path="", message=message)], source=source)
    rows = {sheet.section: reader.records(sheet, found.get(sheet.name, [])) for sheet in SHEETS}
    plain, places = _assemble(rows, reader)
    for key, text in _others(found.get(OTHER, [])):
        try:
            plain.setdefault(key, json.loads(text))
        except json.JSONDecodeError:
            reader.problems.append(((len(SHEETS), 0, 0), Problem(path=f"{OTHER}!{key}", message="not JSON text")))
    problems = [p for _, p in sorted(reader.problems, key=lambda t: t[0])]
    taken = {p.path for p in problems}
    try:
        community = community_from_dict(plain, vocabulary, where=lambda path: _cell(path, places, reader))
    except CommunityError as exc:
        problems += [p for p in exc.problems if p.path not in taken]
    else:
        if not problems:
            return community
    raise CommunityError(problems, source=source)
