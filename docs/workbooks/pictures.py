"""Regenerate the pictures of docs/workbooks.md: ``python docs/workbooks/pictures.py``.

The blank template (``visits template``) as LibreOffice Calc prints it: the
instructions sheet, and the circumstances sheet (情况) with its header and
note rows; and a December roster (a 300-household demo) with its first lines
filled in as an office would, by a script here.  Needs libreoffice-calc-nogui
and poppler-utils (Debian packages), and openpyxl to fill in the roster.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from visits.cli import main as visits

HERE = Path(__file__).resolve().parent
#: Printed page of each picture (one page per sheet, instructions first), and its name.
PAGES = {1: "template-instructions", 8: "template-circumstances"}


def _printed(book: Path, tmp: str, page: int, name: str, height: int = 300) -> None:
    """Page ``page`` of ``book`` as LibreOffice prints it, its top ``height`` pixels at 100 dpi, as ``name``.png.

    A4 landscape is 1169 x 827 pixels at 100 dpi.
    """
    profile = f"-env:UserInstallation=file://{tmp}/profile"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(book)],
        check=True,
        capture_output=True,
    )
    pdf = Path(tmp) / (book.stem + ".pdf")
    out = HERE / name
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "1169",
            "-H",
            str(height),
            str(pdf),
            str(out),
        ],
        check=True,
    )
    print(f"wrote {out}.png")


def filled_roster(tmp: str) -> Path:
    """December's office copy of a demo's roster, its first six lines filled in."""
    import openpyxl

    demo = Path(tmp) / "demo.json"
    roster = Path(tmp) / "roster.xlsx"
    assert visits(["demo", "--households", "300", "-o", str(demo)]) == 0
    assert visits(["roster", str(demo), "--month", "2026-12", "-o", str(roster)]) == 0
    book = openpyxl.load_workbook(roster)
    sheet = book.active
    assert sheet is not None
    at = {str(c.value): i + 1 for i, c in enumerate(sheet[2]) if c.value}
    rows = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, at["编号"]).value][:6]
    for n, r in enumerate(rows):
        sheet.cell(r, at["实际走访日期"], sheet.cell(r, at["开始"]).value)
        sheet.cell(r, at["走访人"], f"{sheet.cell(r, at['责任人']).value}（{sheet.cell(r, at['责任人编号']).value}）")
        sheet.cell(r, at["情况记录"], ("家中一切正常", "已联系，近期有面试", "送去慰问品")[n % 3])
    filled = Path(tmp) / "filled.xlsx"
    book.save(filled)
    return filled


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "template.xlsx"
        assert visits(["template", "-o", str(book)]) == 0
        for page, name in PAGES.items():
            _printed(book, tmp, page, name)
        _printed(filled_roster(tmp), tmp, 1, "roster-filled", height=420)


if __name__ == "__main__":
    main()
