"""The blank community workbook (visits template): its sheets, drop-downs, formats, and a real spreadsheet program."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from tests.helpers.calc import calc_convert
from visits import Community, CommunityError, Term, Vocabulary, load_community, load_rulebook
from visits.cli import main
from visits.io.convert import community_from_dict
from visits.io.sheets import DATA_ROW, SHEETS, choices
from visits.io.workbook_reader import read_workbook
from visits.io.workbook_writer import INSTRUCTIONS, TERMS, template, workbook
from visits.testing import strategies as vst

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
        book = tmp_path / "t.xlsx"
        book.write_bytes(template(BAIBUTING.vocabulary, rulebook="baibuting"))
        # Every sheet to CSV, UTF-8 (filter options: comma, quote, UTF-8, ..., -1 = all sheets).
        calc_convert(book, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", tmp_path)
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


# ------------------------------------------------------------------ reading back

ORGANISATION = load_rulebook("baibuting-organisation")


def written(c: Community) -> bytes:
    return workbook(BAIBUTING.vocabulary, rulebook="baibuting", community=c)


class TestRoundTrip:
    @settings(max_examples=40)
    @given(st.one_of(vst.organised_communities(max_households=5), vst.communities(max_households=5)))
    def test_json_to_workbook_and_back_is_the_identity(self, c: Community) -> None:
        assert read_workbook(written(c), BAIBUTING.vocabulary) == c

    def test_the_demo_with_records_duties_and_other_sections_comes_back_whole(self, tmp_path: Path) -> None:
        demo = tmp_path / "demo.json"
        assert main(["demo", "--households", "200", "--with-visits", "-o", str(demo)]) == 0
        c = load_community(demo, ORGANISATION.vocabulary)
        assert c.sections  # the demo's own sections (community name, seed) ride along on 其他
        back = read_workbook(workbook(ORGANISATION.vocabulary, rulebook="x", community=c), ORGANISATION.vocabulary)
        assert back == c and back.sections == c.sections

    def test_convert_both_ways_through_the_cli(self, tmp_path: Path) -> None:
        source = Path(__file__).resolve().parent.parent / "examples" / "grid-community" / "community.json"
        book, again = tmp_path / "grid.xlsx", tmp_path / "grid.json"
        assert main(["convert", str(source), "-o", str(book), "--rules", str(GRID)]) == 0
        assert main(["convert", str(book), "-o", str(again), "--rules", str(GRID)]) == 0
        vocabulary = load_rulebook(GRID).vocabulary
        assert load_community(again, vocabulary) == load_community(source, vocabulary)

    def test_convert_refuses_another_suffix_and_writes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        source = Path(__file__).resolve().parent.parent / "examples" / "grid-community" / "community.json"
        assert main(["convert", str(source), "-o", str(tmp_path / "out.txt"), "--rules", str(GRID)]) != 0
        assert "-o must name a .json, .jsonl or .xlsx file" in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []


def _filled() -> bytes:
    """A template filled in the way people do: stray spaces, numbers for ids, dates as text, a merged cell."""
    import datetime as dt

    book = opened(template(BAIBUTING.vocabulary, rulebook="baibuting"))
    for r, row in enumerate(
        [
            ("C", "百步亭社区", "社区", None),
            ("E1", "温馨苑", "苑区", "C"),
            ("Z1", "1区", "片区", "E1"),
            ("B1", "1栋", "楼栋", "Z1"),
        ],
        3,
    ):
        for c, v in enumerate(row, 1):
            book["单位"].cell(r, c, v)
    homes = book["住户"]
    homes.cell(3, 1, "H1 ")
    homes.cell(3, 4, "B1")
    homes.cell(5, 1, 12.0)  # an id typed as a number, after a blank row
    homes.cell(5, 4, "A-12")
    homes.cell(1, 6, "备注")  # a column someone added
    homes.cell(3, 6, "something")
    rows = book["情况"]
    cells: list[tuple[str | int | dt.datetime | None, ...]] = [
        ("H1", "困难家庭", "2026-02-30"),
        ("H1", "困难户", dt.datetime(2026, 3, 1)),
        ("12", "失业人员", 46100),
        ("H9", "孤寡老人", "2026/3/1"),
        (None, "孤寡老人", "2026年3月1日"),
    ]
    for r, line in enumerate(cells, 3):
        for c, value in enumerate(line, 1):
            rows.cell(r, c, value)
    rows.merge_cells("A6:A7")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestProblemsAtCells:
    def test_every_problem_at_once_in_the_sheets_own_words(self) -> None:
        with pytest.raises(CommunityError) as caught:
            read_workbook(_filled(), BAIBUTING.vocabulary)
        assert [str(p) for p in caught.value.problems] == [
            "情况!C3（开始日期）: 2026-02-30 is not a date",
            "情况!B4（类别）: unknown 类别 '困难户' (choose from: 困难家庭、住院病人、失业人员、刑释人员、孤寡老人)",
            "情况!A6（住户编号）: unknown household 'H9' (not on the sheet 住户)",
            "情况!A7（住户编号）: unknown household 'H9' (not on the sheet 住户)",
            "住户!D5（所在楼栋）: unknown building 'A-12'",
        ]

    def test_what_was_right_is_read_as_meant(self) -> None:
        fixed = opened(_filled())
        fixed["情况"]["C3"] = "2026-02-01"
        fixed["情况"]["B4"] = "困难家庭"
        fixed["情况"]["A6"] = "H1"
        fixed["住户"]["D5"] = "B1"
        fixed["情况"].unmerge_cells("A6:A7")
        fixed["情况"]["A7"] = "12"
        fixed["情况"]["B4"] = "住院病人"
        buffer = io.BytesIO()
        fixed.save(buffer)
        c = read_workbook(buffer.getvalue(), BAIBUTING.vocabulary)
        homes = {h.id: h for h in c.households}
        assert set(homes) == {"H1", "12"}  # trimmed, and the number's digits
        assert [(x.category, x.start.isoformat()) for x in homes["H1"].circumstances] == [
            ("hardship", "2026-02-01"),
            ("hospitalized", "2026-03-01"),
            ("elderly_alone", "2026-03-01"),
        ]
        assert [(x.category, x.start.isoformat()) for x in homes["12"].circumstances] == [
            ("unemployed", "2026-03-19"),  # serial 46100: 1899-12-30 + 46,100 days
            ("elderly_alone", "2026-03-01"),
        ]

    def test_a_file_that_is_no_workbook(self, tmp_path: Path) -> None:
        import zipfile

        fake = tmp_path / "book.xlsx"
        with zipfile.ZipFile(fake, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        with pytest.raises(CommunityError) as caught:
            load_community(fake)
        assert caught.value.lines() == [f"{fake}: not an Excel workbook (.xlsx): it cannot be opened as one"]

    def test_a_required_column_that_is_missing_is_a_problem_of_the_header_row(self) -> None:
        book = opened(template(BAIBUTING.vocabulary, rulebook="b"))
        book["人员"].delete_cols(1)
        book["人员"]["A3"] = "张丽"
        buffer = io.BytesIO()
        book.save(buffer)
        with pytest.raises(CommunityError) as caught:
            read_workbook(buffer.getvalue(), BAIBUTING.vocabulary)
        assert "人员!第1行: no column 编号 (the header row has: 姓名、电话)" in [str(p) for p in caught.value.problems]

    def test_a_workbook_without_households(self) -> None:
        book = opened(template(BAIBUTING.vocabulary, rulebook="b"))
        del book["住户"]
        buffer = io.BytesIO()
        book.save(buffer)
        with pytest.raises(CommunityError) as caught:
            read_workbook(buffer.getvalue(), BAIBUTING.vocabulary)
        assert "no sheet 住户" in caught.value.lines()[0]


class TestLibreOfficeSavesBack:
    def test_a_workbook_saved_by_calc_reads_the_same(self, tmp_path: Path) -> None:
        c = read_workbook(written(_organised_sample()), BAIBUTING.vocabulary)
        (tmp_path / "in").mkdir()
        source = tmp_path / "in" / "book.xlsx"
        source.write_bytes(written(c))
        calc_convert(source, "xlsx", tmp_path)
        saved = (tmp_path / "book.xlsx").read_bytes()
        assert saved != source.read_bytes()  # Calc wrote its own file
        assert read_workbook(saved, BAIBUTING.vocabulary) == c


def _organised_sample() -> Community:
    from tests.helpers.loading import organised

    data = organised()
    data["households"][0]["circumstances"] = [{"category": "hardship", "start": "2026-01-01", "end": "2026-06-30"}]
    data["visits"] = [
        {"id": "V1", "household": "H1", "person": "P1", "date": "2026-02-03", "action": "visit", "note": " 一切正常 "}
    ]
    return community_from_dict(data, BAIBUTING.vocabulary)
