"""The blank community workbook (visits template): its sheets, drop-downs, formats, and a real spreadsheet program."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from visits import Term, Vocabulary, load_rulebook
from visits.cli import main
from visits.io.sheets import DATA_ROW, SHEETS, choices
from visits.render.workbook import INSTRUCTIONS, TERMS, template

BAIBUTING = load_rulebook("baibuting")
GRID = Path(__file__).resolve().parent.parent / "examples" / "grid-community" / "rules.toml"


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def listed(book: openpyxl.Workbook, table: str) -> list[str]:
    """The values the drop-down of ``table`` offers, read through its defined name."""
    reference = book.defined_names[f"terms_{table}"].attr_text
    sheet, cells = reference.split("!")
    assert sheet == TERMS
    return [str(row[0].value) for row in book[sheet][cells.replace("$", "")]]


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return opened(template(BAIBUTING.vocabulary, rulebook="baibuting"))


class TestTemplate:
    def test_the_sheets_in_order_instructions_first_terms_hidden(self, book: openpyxl.Workbook) -> None:
        assert book.sheetnames == [INSTRUCTIONS, *(s.name for s in SHEETS), TERMS]
        assert book[TERMS].sheet_state == "hidden"
        assert all(book[s.name].sheet_state == "visible" for s in SHEETS)

    @pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.section)
    def test_each_sheet_has_headers_notes_and_frozen_rows(self, book: openpyxl.Workbook, sheet: object) -> None:
        from visits.io.sheets import Sheet

        assert isinstance(sheet, Sheet)
        ws: Worksheet = book[sheet.name]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert [c.value for c in ws[2]] == [c.note for c in sheet.columns]
        assert ws.freeze_panes == f"A{DATA_ROW}"
        assert ws.max_row == 2  # nothing to fill in yet

    def test_term_columns_drop_down_the_vocabularys_titles(self, book: openpyxl.Workbook) -> None:
        for sheet in SHEETS:
            rules = {str(v.sqref): v for v in book[sheet.name].data_validations.dataValidation}
            for n, column in enumerate(sheet.columns):
                letter = "ABCDEFGHIJ"[n]
                found = [v for ref, v in rules.items() if ref.startswith(f"{letter}{DATA_ROW}:")]
                if column.kind == "term":
                    assert column.table is not None
                    assert [(v.type, v.formula1) for v in found] == [("list", f"terms_{column.table}")]
                    assert listed(book, column.table) == list(choices(BAIBUTING.vocabulary, column.table))
                elif column.kind in ("date", "int"):
                    assert [v.type for v in found] == [{"date": "date", "int": "whole"}[column.kind]]
                else:
                    assert found == []

    def test_the_categories_are_offered_by_their_chinese_titles(self, book: openpyxl.Workbook) -> None:
        assert listed(book, "categories") == ["困难家庭", "住院病人", "失业人员", "刑释人员", "孤寡老人"]
        assert listed(book, "levels") == ["社区", "苑区", "片区", "楼栋"]

    def test_ids_stay_text_and_dates_are_dates(self, book: openpyxl.Workbook) -> None:
        households = book["住户"]
        assert households.column_dimensions["A"].number_format == "@"
        circumstances = book["情况"]
        assert circumstances.column_dimensions["C"].number_format == "yyyy-mm-dd"
        assert book["职务"].column_dimensions["D"].number_format == "0"

    def test_the_instructions_name_the_rulebook_and_every_sheet(self, book: openpyxl.Workbook) -> None:
        text = "\n".join(str(c.value) for row in book[INSTRUCTIONS].iter_rows() for c in row if c.value)
        assert "baibuting" in text
        for sheet in SHEETS:
            assert f"{sheet.name}\n{sheet.title}" in text

    def test_the_bytes_depend_on_the_vocabulary_only(self) -> None:
        assert template(BAIBUTING.vocabulary, rulebook="x") == template(BAIBUTING.vocabulary, rulebook="x")
        assert template(BAIBUTING.vocabulary, rulebook="x") != template(BAIBUTING.vocabulary, rulebook="y")


class TestChoices:
    def test_titles_unless_two_terms_share_one(self) -> None:
        terms = (Term(id="a", title="甲"), Term(id="b", title="乙"))
        assert choices(Vocabulary(categories=terms), "categories") == ("甲", "乙")
        shared = (Term(id="a", title="甲"), Term(id="b", title="甲"))
        assert choices(Vocabulary(categories=shared), "categories") == ("a", "b")


class TestCommand:
    def test_the_grid_examples_template_has_its_own_words(self, tmp_path: Path) -> None:
        out = tmp_path / "台账.xlsx"
        assert main(["template", "-o", str(out), "--rules", str(GRID)]) == 0
        book = openpyxl.load_workbook(out)
        grid = load_rulebook(GRID).vocabulary
        assert listed(book, "roles") == list(choices(grid, "roles"))
        assert "党小组长" not in listed(book, "roles")

    def test_a_rulebook_that_does_not_load_writes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "台账.xlsx"
        assert main(["template", "-o", str(out), "--rules", str(tmp_path / "none.toml")]) != 0
        assert "none.toml" in capsys.readouterr().err
        assert not out.exists()

    def test_a_folder_that_does_not_exist_is_one_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "no" / "台账.xlsx"
        assert main(["template", "-o", str(out)]) != 0
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err


class TestLibreOffice:
    """LibreOffice Calc (installed by the README's test command) opens the template and reads its lists."""

    def test_calc_reads_every_sheet_and_the_drop_down_lists(self, tmp_path: Path) -> None:
        soffice = shutil.which("soffice")
        assert soffice is not None, "LibreOffice Calc is part of the README's test command (libreoffice-calc-nogui)"
        book = tmp_path / "t.xlsx"
        book.write_bytes(template(BAIBUTING.vocabulary, rulebook="baibuting"))
        # Every sheet to CSV, UTF-8 (filter options: comma, quote, UTF-8, ..., -1 = all sheets).
        options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", options, "--outdir", str(tmp_path), str(book)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        for sheet in SHEETS:
            rows = list(csv.reader((tmp_path / f"t-{sheet.name}.csv").open(encoding="utf-8")))
            assert rows[0] == [c.header for c in sheet.columns]
        terms = list(csv.reader((tmp_path / f"t-{TERMS}.csv").open(encoding="utf-8")))
        assert [row[2] for row in terms[1:6]] == list(choices(BAIBUTING.vocabulary, "categories"))


def test_docs_list_every_sheet_and_column() -> None:
    """docs/workbooks.md shows each sheet with its columns, as the template writes them."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "workbooks.md").read_text(encoding="utf-8")
    for sheet in SHEETS:
        assert f"### {sheet.name} (`{sheet.section}`)" in text
        for column in sheet.columns:
            assert f"| {column.header}{' *' if column.required else ''} | `{column.field}` |" in text
