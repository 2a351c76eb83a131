"""The community workbook's layout: its sheets, their columns, and what each column holds.

One description serves the writer (:mod:`visits.io.workbook_writer`: the
blank template, or a community) and the reader
(:mod:`visits.io.workbook_reader`): a sheet per kind of record, a Chinese
header row, a second row saying what each column holds, and data from the
third row on.  A column is a field of the community file's JSON
(``docs/contract.md``); a nested list (a household's circumstances, a
person's positions) is a sheet of its own, whose rows name their owner by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from visits.core.vocabulary import Vocabulary

__all__ = [
    "DATA_ROW",
    "FIXED_CREATED",
    "OTHER",
    "SHEETS",
    "TERM_TABLES",
    "Cell",
    "Column",
    "Kind",
    "Sheet",
    "choices",
    "sheet_rows",
]

#: The kinds of cell: an id, free text, a date, a whole number, or a term of the rulebook's vocabulary.
Kind = Literal["id", "text", "date", "int", "term"]
#: The creation date written into files when none is given: the same content gives the same bytes.
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: What a written cell holds.
Cell = str | int | dt.date | None
#: The vocabulary tables whose terms columns name.
TERM_TABLES = ("levels", "roles", "categories", "events", "severities", "actions")
#: The sheet that keeps the community file's other top-level sections, as JSON text, so nothing is lost.
OTHER = "其他"
#: The first row of data (1-based, as a spreadsheet counts): after the header and the note row.
DATA_ROW = 3


@attrs.frozen
class Column:
    """One column: the JSON field it fills, its header, the note under it, its kind."""

    field: str
    header: str
    note: str
    kind: Kind = "text"
    table: str | None = None  # for a term: the vocabulary table its drop-down lists
    required: bool = False
    width: float = 14


@attrs.frozen
class Sheet:
    """One sheet: the section of the community file it fills, its name, its columns."""

    section: str
    name: str
    title: str  # what the instructions sheet says it holds
    columns: tuple[Column, ...]
    #: For a nested list: (the section of its owners, the list's field in an owner, the column naming the owner).
    within: tuple[str, str, str] | None = None

    def column(self, field: str) -> Column:
        """The column that fills ``field`` (KeyError if none)."""
        for column in self.columns:
            if column.field == field:
                return column
        raise KeyError(field)


def _id(field: str, header: str, note: str, *, required: bool = True) -> Column:
    return Column(field=field, header=header, note=note, kind="id", required=required)


def _date(field: str, header: str, note: str, *, required: bool = True) -> Column:
    return Column(field=field, header=header, note=note, kind="date", required=required, width=12)


def _term(field: str, header: str, note: str, table: str, *, required: bool = True) -> Column:
    return Column(field=field, header=header, note=note, kind="term", table=table, required=required)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "units",
        "单位",
        "组织架构：社区、苑区、片区、楼栋等每一级单位，一行一个",
        (
            _id("id", "编号", "必填；唯一，如 E1.Z1.B1"),
            Column("name", "名称", "如 温馨苑1区1栋", width=18),
            _term("level", "层级", "必填；从下拉列表选", "levels"),
            _id("parent", "上级单位", "上级单位的编号；最上一级留空", required=False),
        ),
    ),
    Sheet(
        "people",
        "人员",
        "走访人员：党委成员、支部书记、党小组长、党员、结对照护人等，一人一行",
        (
            _id("id", "编号", "必填；唯一，如 P00001"),
            Column("name", "姓名", "如 张丽"),
            Column("phone", "电话", "可留空；印在走访安排表上（公示版不印）"),
        ),
    ),
    Sheet(
        "positions",
        "职务",
        "人员的职务：在哪个单位担任什么角色，一项一行（一人可有多行）",
        (
            _id("person", "人员编号", "必填；人员表中的编号"),
            _term("role", "角色", "必填；从下拉列表选", "roles"),
            _id("unit", "所在单位", "必填；单位表中的编号"),
            Column("rank", "顺位", "1 为第一责任人，2、3… 依次递补；留空为 1", kind="int", width=8),
        ),
        within=("people", "positions", "person"),
    ),
    Sheet(
        "absences",
        "请假",
        "人员不能走访的日期（请假、出差、住院），一段一行",
        (
            _id("person", "人员编号", "必填；人员表中的编号"),
            _date("start", "开始日期", "必填；如 2026-12-01"),
            _date("end", "结束日期", "必填；含当天"),
        ),
        within=("people", "absences", "person"),
    ),
    Sheet(
        "links",
        "结对",
        "人员与住户结对（结对照护、专人联系、党员联系户），一对一行",
        (
            _id("person", "人员编号", "必填；人员表中的编号"),
            _id("household", "住户编号", "必填；住户表中的编号"),
        ),
        within=("people", "households", "person"),
    ),
    Sheet(
        "households",
        "住户",
        "住户台账，一户一行",
        (
            _id("id", "编号", "必填；唯一，如 H00001"),
            Column("name", "户名", "走访表上的称呼，如 王伟家"),
            Column("address", "地址", "单元和房号，如 1单元203室", width=20),
            _id("building", "所在楼栋", "单位表中楼栋的编号", required=False),
        ),
    ),
    Sheet(
        "circumstances",
        "情况",
        "住户属于哪一类走访对象、从何时到何时，一段一行（一户可有多行）",
        (
            _id("household", "住户编号", "必填；住户表中的编号"),
            _term("category", "类别", "必填；从下拉列表选", "categories"),
            _date("start", "开始日期", "必填；刑释人员为释放日期"),
            _date("end", "结束日期", "含当天；仍在持续则留空", required=False),
        ),
        within=("households", "circumstances", "household"),
    ),
    Sheet(
        "events",
        "事件",
        "必到的事件：突发事件、不满情绪、家庭纠纷等，一件一行",
        (
            _id("id", "编号", "必填；唯一，如 E00001"),
            _id("household", "住户编号", "必填；住户表中的编号"),
            _term("kind", "类型", "必填；从下拉列表选", "events"),
            _date("date", "日期", "必填"),
            _term("severity", "轻重", "大事或小事；可留空", "severities", required=False),
        ),
    ),
    Sheet(
        "visits",
        "走访记录",
        "已完成的走访（及单位的例会、述职等），一次一行",
        (
            _id("id", "编号", "必填；唯一，如 V000001"),
            _id("household", "住户编号", "走访的住户；单位事务留空", required=False),
            _id("unit", "单位编号", "单位事务（例会、述职）的单位；走访住户留空", required=False),
            _id("person", "走访人编号", "必填；人员表中的编号"),
            _date("date", "日期", "必填；实际走访日期"),
            _term("action", "事项", "必填；从下拉列表选", "actions"),
            Column("note", "情况记录", "可留空", width=30),
        ),
    ),
)


def choices(vocabulary: Vocabulary, table: str) -> tuple[str, ...]:
    """What a drop-down of ``table`` offers: the Chinese titles, or the ids if two terms share a title.

    An office picks 困难家庭, not ``hardship``; the reader maps either back to
    the id, which only works while no two terms of a table have one title.
    """
    titles = vocabulary.titles(table, "zh")
    ids = vocabulary.ids(table)
    shown = [titles[i] for i in ids]
    return tuple(shown) if len(set(shown)) == len(shown) else ids


def sheet_rows(data: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, list[list[Cell]]]:
    """The rows of every sheet for a community in its plain form (:func:`visits.io.convert.community_to_dict`).

    Terms are written as :func:`choices` offers them, dates as dates; a
    nested list's rows come in the order of their owners, then their own.
    """
    shown = {table: dict(zip(vocabulary.ids(table), choices(vocabulary, table), strict=True)) for table in TERM_TABLES}

    def cell(column: Column, value: object) -> Cell:
        if value is None or value == "":
            return None
        if column.kind == "date":
            return dt.date.fromisoformat(str(value))
        if column.kind == "term" and column.table is not None:
            return shown[column.table].get(str(value), str(value))
        return value if isinstance(value, int) and not isinstance(value, bool) else str(value)

    out: dict[str, list[list[Cell]]] = {}
    for sheet in SHEETS:
        if sheet.within is None:
            records: list[Mapping[str, Any]] = list(data.get(sheet.section) or ())
        else:
            outer, inner, owner = sheet.within
            records = [
                {owner: record["id"], **(item if isinstance(item, Mapping) else {"household": item})}
                for record in data.get(outer) or ()
                for item in record.get(inner) or ()
            ]
        out[sheet.section] = [[cell(c, record.get(c.field)) for c in sheet.columns] for record in records]
    return out
