"""Rosters that come back: the office copy filled in, read back with visits record, then met in status."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from tests.helpers.calc import calc_convert
from visits import CommunityError, community_from_dict, load_community, load_rulebook
from visits.cli import main
from visits.io.roster_reader import read_roster, record_id

BAIBUTING = load_rulebook("baibuting")


def quiet(args: list[str]) -> int:
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        return main(args)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-household community as a workbook, and December's office copy of its roster."""
    folder = tmp_path_factory.mktemp("office")
    assert quiet(["demo", "--households", "300", "-o", str(folder / "c.json")]) == 0
    assert quiet(["convert", str(folder / "c.json"), "-o", str(folder / "book.xlsx")]) == 0
    assert quiet(["roster", str(folder / "book.xlsx"), "--month", "2026-12", "-o", str(folder / "12.xlsx")]) == 0
    return folder


def columns(sheet: Worksheet) -> dict[str, int]:
    return {str(c.value): i + 1 for i, c in enumerate(sheet[2]) if c.value}


def lines_of(path: Path) -> list[int]:
    """The rows of the roster's lines (group headings left out)."""
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    at = columns(sheet)
    return [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, at["编号"]).value]


def fill(source: Path, target: Path, lines: int = 10, changes: dict[str, str] | None = None) -> list[int]:
    """Fill in the first ``lines`` lines on their window's first day (by the assignee); returns their rows.

    ``changes`` then sets cells, named with ``{0}``, ``{1}``, ... for the filled rows (``K{0}``).
    """
    book = openpyxl.load_workbook(source)
    sheet = book.active
    assert sheet is not None
    at = columns(sheet)
    rows = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, at["编号"]).value][:lines]
    for n, r in enumerate(rows):
        start = str(sheet.cell(r, at["开始"]).value)
        sheet.cell(r, at["实际走访日期"], start if n % 2 else start.replace("-", "/"))
        sheet.cell(r, at["情况记录"], "家中一切正常")
    for cell, value in (changes or {}).items():
        sheet[cell.format(*rows)] = value
    book.save(target)
    return rows


class TestTheLoop:
    def test_fill_record_twice_and_status_meets_them(self, office: Path, tmp_path: Path) -> None:
        book = tmp_path / "book.xlsx"
        shutil.copy(office / "book.xlsx", book)
        filled = tmp_path / "filled.xlsx"
        fill(office / "12.xlsx", filled)
        before = book.read_bytes()
        assert quiet(["record", str(filled), "--into", str(book), "--check"]) == 0
        assert book.read_bytes() == before  # a dry run writes nothing
        assert quiet(["record", str(filled), "--into", str(book)]) == 0
        after = load_community(book, BAIBUTING.vocabulary)
        assert len(after.visits) == 10
        assert all(v.note == "家中一切正常" for v in after.visits)
        recorded = book.read_bytes()
        assert quiet(["record", str(filled), "--into", str(book)]) == 0
        assert book.read_bytes() == recorded  # the same roster again adds nothing
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["status", str(book), "--as-of", "2026-12-31", "--format", "json"]) == 0
        report = json.loads(out.getvalue())
        assert report["overall"]["met"] == 10 and report["unmatched"] == []

    def test_into_a_json_file_keeps_its_records(self, office: Path, tmp_path: Path) -> None:
        community = tmp_path / "c.json"
        data = json.loads((office / "c.json").read_text(encoding="utf-8"))
        data["visits"] = [
            {"id": "OLD1", "household": "H00010", "person": "P00013", "date": "2026-11-03", "action": "visit"}
        ]
        community.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        filled = tmp_path / "filled.xlsx"
        fill(office / "12.xlsx", filled, lines=3)
        assert quiet(["record", str(filled), "--into", str(community)]) == 0
        ids = [v["id"] for v in json.loads(community.read_text(encoding="utf-8"))["visits"]]
        assert ids[0] == "OLD1" and len(ids) == 4

    def test_a_roster_saved_by_libreoffice_records_the_same(self, office: Path, tmp_path: Path) -> None:
        (tmp_path / "in").mkdir()
        filled = tmp_path / "in" / "filled.xlsx"
        fill(office / "12.xlsx", filled, lines=4)
        calc_convert(filled, "xlsx", tmp_path)
        community = load_community(office / "book.xlsx", BAIBUTING.vocabulary)
        ours = read_roster(filled.read_bytes(), community, BAIBUTING)
        theirs = read_roster((tmp_path / "filled.xlsx").read_bytes(), community, BAIBUTING)
        assert theirs == ours and len(ours.added) == 4


class TestLinesNotTaken:
    def problems(self, office: Path, tmp_path: Path, changes: dict[str, str], lines: int = 2) -> list[str]:
        filled = tmp_path / "filled.xlsx"
        fill(office / "12.xlsx", filled, lines=lines, changes=changes)
        community = load_community(office / "book.xlsx", BAIBUTING.vocabulary)
        with pytest.raises(CommunityError) as caught:
            read_roster(filled.read_bytes(), community, BAIBUTING, source="filled.xlsx")
        return caught.value.lines()

    def test_a_day_outside_the_window_an_unknown_person_another_month(self, office: Path, tmp_path: Path) -> None:
        rows = lines_of(office / "12.xlsx")[:3]
        lines = self.problems(office, tmp_path, {"K{0}": "2027-02-01", "L{1}": "王小二", "V{2}": "2026-11"}, lines=3)
        assert lines[0].startswith(
            f"filled.xlsx: 走访安排!K{rows[0]}（实际走访日期）: 2027-02-01 is outside the line's window "
        )
        assert lines[1] == f"filled.xlsx: 走访安排!L{rows[1]}（走访人）: unknown person '王小二'"
        other = "a line of the 2026-11 roster, in the 2026-12 roster: not taken"
        assert lines[2] == f"filled.xlsx: 走访安排!K{rows[2]}（实际走访日期）: {other}"

    def test_findings_without_a_date_and_a_date_that_is_not_one(self, office: Path, tmp_path: Path) -> None:
        rows = lines_of(office / "12.xlsx")
        lines = self.problems(office, tmp_path, {"K{0}": "2026-12-32", f"M{rows[3]}": "已走访"})
        assert lines == [
            f"filled.xlsx: 走访安排!K{rows[0]}（实际走访日期）: 2026-12-32 is not a date",
            f"filled.xlsx: 走访安排!K{rows[3]}（实际走访日期）: no visit date, but a visitor or findings",
        ]

    def test_nothing_is_written_when_a_line_cannot_be_taken(
        self, office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        book = tmp_path / "book.xlsx"
        shutil.copy(office / "book.xlsx", book)
        filled = tmp_path / "filled.xlsx"
        fill(office / "12.xlsx", filled, lines=3, changes={"L{1}": "王小二"})
        before = book.read_bytes()
        assert main(["record", str(filled), "--into", str(book)]) == 1
        assert "unknown person '王小二'" in capsys.readouterr().err
        assert book.read_bytes() == before

    def test_a_roster_of_another_community(self, office: Path, tmp_path: Path) -> None:
        filled = tmp_path / "filled.xlsx"
        rows = fill(office / "12.xlsx", filled, lines=1)
        data = json.loads((office / "c.json").read_text(encoding="utf-8"))
        for h in data["households"]:
            h["id"] = "X" + h["id"]  # the same people, other households
        data["events"] = []
        for p in data["people"]:
            p.pop("households", None)
        community = community_from_dict(data, BAIBUTING.vocabulary)
        with pytest.raises(CommunityError) as caught:
            read_roster(filled.read_bytes(), community, BAIBUTING)
        [line] = caught.value.lines()
        assert line.startswith(f"走访安排!O{rows[0]}（编号）: household ")
        assert line.endswith("is not in the community file (a roster of another community?)")

    def test_a_redacted_roster_cannot_be_read_back(self, office: Path, tmp_path: Path) -> None:
        red = tmp_path / "red.xlsx"
        assert quiet(["roster", str(office / "book.xlsx"), "--month", "2026-12", "--redact", "-o", str(red)]) == 0
        community = load_community(office / "book.xlsx", BAIBUTING.vocabulary)
        with pytest.raises(CommunityError) as caught:
            read_roster(red.read_bytes(), community, BAIBUTING)
        assert "not the office copy of a roster" in caught.value.lines()[0]


class TestVisitors:
    def test_by_list_entry_by_id_by_a_unique_name_or_the_assignee(self, office: Path, tmp_path: Path) -> None:
        community = load_community(office / "book.xlsx", BAIBUTING.vocabulary)
        assert community.organisation is not None
        names = {p.id: p.name for p in community.organisation.people}
        book = openpyxl.load_workbook(office / "12.xlsx")
        sheet = book.active
        assert sheet is not None
        at = columns(sheet)
        first = lines_of(office / "12.xlsx")[0]
        assignee = str(sheet.cell(first, at["责任人编号"]).value)
        for cell, expected in ((f"{names[assignee]}（{assignee}）", assignee), (assignee, assignee), ("", assignee)):
            filled = tmp_path / "f.xlsx"
            fill(office / "12.xlsx", filled, lines=1, changes={"L{0}": cell})
            recording = read_roster(filled.read_bytes(), community, BAIBUTING)
            assert [v.person for v in recording.added] == [expected]
            visit = recording.added[0]
            key = str(sheet.cell(first, at["编号"]).value)
            assert visit.id == record_id(key, expected, visit.date.isoformat())
