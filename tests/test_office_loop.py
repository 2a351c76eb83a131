"""An office's whole month through the command line, typed in once by a script and once by LibreOffice Calc.

``visits template`` → the ledger typed into it → December's roster → its lines
typed in → ``visits record`` → ``visits status`` counts them met, and
January's roster shows as done the lines whose window began in December.
Calc types through its own input command (``tests/helpers/calc_typist.py``),
so it decides, as it would for a person, which typed texts become dates or
numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.test_record import quiet
from visits.cli import main

#: (sheet, cell, text): what a person types, and where.
Typed = list[tuple[str, str, str]]
Typist = Callable[[Path, Path, Typed], None]

#: The ledger an office types into the blank template: its sheets' rows, by column header.
LEDGER: dict[str, list[dict[str, str]]] = {
    "单位": [
        {"编号": "C", "名称": "百步亭社区", "层级": "社区"},
        {"编号": "E1", "名称": "温馨苑", "层级": "苑区", "上级单位": "C"},
        {"编号": "Z1", "名称": "温馨苑1区", "层级": "片区", "上级单位": "E1"},
        {"编号": "B1", "名称": "温馨苑1区1栋", "层级": "楼栋", "上级单位": "Z1"},
        {"编号": "B2", "名称": "温馨苑1区2栋", "层级": "楼栋", "上级单位": "Z1"},
    ],
    "人员": [
        {"编号": "P1", "姓名": "张丽", "电话": "13800000001"},
        {"编号": "P2", "姓名": "梁文"},
        {"编号": "P3", "姓名": "田杰"},
        {"编号": "0012", "姓名": "龚军海"},  # an id that looks like a number
    ],
    "职务": [
        {"人员编号": "P1", "角色": "党小组长", "所在单位": "B1"},
        {"人员编号": "0012", "角色": "党小组长", "所在单位": "B2", "顺位": "1"},
        {"人员编号": "P2", "角色": "支部书记", "所在单位": "E1"},
        {"人员编号": "P3", "角色": "社区党委", "所在单位": "C"},
    ],
    "住户": [
        {"编号": "H1", "户名": "薛斌家", "地址": "1单元101室", "所在楼栋": "B1"},
        {"编号": "H2", "户名": "杜敏家", "地址": "2单元202室", "所在楼栋": "B2"},
    ],
    "情况": [
        {"住户编号": "H1", "类别": "困难家庭", "开始日期": "2026-01-01"},
        {"住户编号": "H2", "类别": "失业人员", "开始日期": "2026/6/15"},
    ],
}


def headers(path: Path, sheet: str, row: int) -> dict[str, str]:
    """Column letters by header text, read off the sheet as a person reads it."""
    found = openpyxl.load_workbook(path)[sheet]
    return {str(c.value): get_column_letter(i) for i, c in enumerate(found[row], 1) if c.value}


def ledger_cells(template: Path) -> Typed:
    typed: Typed = []
    for sheet, rows in LEDGER.items():
        at = headers(template, sheet, 1)
        for n, row in enumerate(rows, 3):
            typed += [(sheet, f"{at[header]}{n}", text) for header, text in row.items()]
    return typed


def roster_cells(roster: Path) -> Typed:
    """Every line visited on its window's first day by the first person its drop-down offers (the assignee)."""
    sheet = openpyxl.load_workbook(roster).active
    assert sheet is not None
    at = headers(roster, sheet.title, 2)
    offered = {}
    for rule in sheet.data_validations.dataValidation:
        for cell in rule.sqref.ranges:
            offered[cell.coord] = str(rule.formula1).strip('"').split(",")[0]
    typed: Typed = []
    for row in range(3, sheet.max_row + 1):
        if not sheet[f"{at['编号']}{row}"].value:
            continue  # a group's heading row
        visitor = f"{at['走访人']}{row}"
        typed += [
            (sheet.title, f"{at['实际走访日期']}{row}", str(sheet[f"{at['开始']}{row}"].value)),
            (sheet.title, visitor, offered[visitor]),
            (sheet.title, f"{at['情况记录']}{row}", "家中一切正常"),
        ]
    return typed


def by_script(source: Path, target: Path, typed: Typed) -> None:
    """A script types text into the cells (openpyxl): every value stays the text typed."""
    book = openpyxl.load_workbook(source)
    for sheet, cell, text in typed:
        book[sheet][cell] = text
    book.save(target)


#: The Python that has LibreOffice's bridge (Debian's python3-uno installs it for the system's Python).
SYSTEM_PYTHON = "/usr/bin/python3"


def by_calc(source: Path, target: Path, typed: Typed) -> None:
    """LibreOffice Calc types the text in and saves the workbook as XLSX."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "LibreOffice is missing: apt-get install libreoffice-calc-nogui"
    bridge = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    assert bridge.returncode == 0, "LibreOffice's Python bridge is missing: apt-get install python3-uno"
    spec = target.with_suffix(".json")
    spec.write_text(
        json.dumps(
            {
                "soffice": soffice,
                "profile": str(target.parent / "calc-profile"),
                "source": str(source),
                "target": str(target),
                "cells": typed,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    typist = Path(__file__).parent / "helpers" / "calc_typist.py"
    subprocess.run([SYSTEM_PYTHON, str(typist), str(spec)], check=True, capture_output=True, timeout=600)
    assert target.is_file()


def output(args: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 0
    return out.getvalue()


@pytest.mark.parametrize("typist", [by_script, by_calc], ids=["script", "calc"])
def test_template_ledger_roster_record_status(typist: Typist, tmp_path: Path) -> None:
    blank, ledger = tmp_path / "blank.xlsx", tmp_path / "台账.xlsx"
    assert quiet(["template", "-o", str(blank)]) == 0
    typist(blank, ledger, ledger_cells(blank))
    assert quiet(["convert", str(ledger), "-o", str(tmp_path / "ledger.json")]) == 0
    loaded = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert [h["id"] for h in loaded["households"]] == ["H1", "H2"]
    assert [p["id"] for p in loaded["people"]] == ["P1", "P2", "P3", "0012"]
    assert loaded["people"][0]["phone"] == "13800000001"
    assert [c["start"] for h in loaded["households"] for c in h["circumstances"]] == ["2026-01-01", "2026-06-15"]

    december, filled = tmp_path / "12.xlsx", tmp_path / "12-filled.xlsx"
    assert quiet(["roster", str(ledger), "--month", "2026-12", "-o", str(december)]) == 0
    typed = roster_cells(december)
    lines = len(typed) // 3
    assert lines >= 10 and any(text == "龚军海（0012）" for _, _, text in typed)
    typist(december, filled, typed)
    assert quiet(["record", str(filled), "--into", str(ledger)]) == 0
    assert quiet(["record", str(filled), "--into", str(ledger)]) == 0  # twice: nothing more

    report = json.loads(output(["status", str(ledger), "--as-of", "2026-12-31", "--format", "json"]))
    assert report["overall"]["met"] == lines and report["unmatched"] == []

    assert quiet(["roster", str(ledger), "--month", "2027-01", "-o", str(tmp_path / "01.csv")]) == 0
    january = list(csv.reader(io.StringIO((tmp_path / "01.csv").read_text(encoding="utf-8-sig"))))
    head, rows = january[0], january[1:]
    window, done = head.index("期限"), head.index("已完成")
    begun = [row for row in rows if row[window].startswith("2026-")]
    assert begun and all(row[done].startswith("√") for row in begun)  # December's visit meets them
    assert all(not row[done] for row in rows if not row[window].startswith("2026-"))
