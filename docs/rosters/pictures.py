"""Regenerate the page-1 pictures of docs/rosters/: ``python docs/rosters/pictures.py``.

Each picture is rendered from the real output of ``visits roster`` on a small
demo community (600 households, December 2026): the PDF directly with
pdftoppm; the HTML as printed by headless Chromium; the XLSX and CSV as
printed by LibreOffice (as a spreadsheet program would show them).  Needs
chromium, poppler-utils and libreoffice-calc-nogui (Debian packages).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from visits.cli import main as visits

HERE = Path(__file__).resolve().parent
CHROMIUM = [
    "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


#: The demo the pictures and samples show, and its roster's command line.
DEMO = ["demo", "--households", "600", "--with-visits"]
MONTH = ["--month", "2026-12"]


def ics_sample(ics: Path) -> str:
    """The first events of a calendar file, as docs/rosters/ics-sample.txt shows them."""
    return "\n".join(ics.read_text(encoding="utf-8").splitlines()[:24]) + "\n"


def page_one(pdf: Path, name: str) -> None:
    """Page 1 of ``pdf`` as docs/rosters/NAME.png."""
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(stem)], check=True
    )
    shutil.copyfile(stem.with_suffix(".png"), HERE / f"{name}.png")
    print(f"wrote {HERE / f'{name}.png'}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        community = work / "demo.json"
        assert visits([*DEMO, "-o", str(community)]) == 0
        for fmt in ("pdf", "html", "xlsx", "csv", "ics"):
            assert visits(["roster", str(community), *MONTH, "-o", str(work / f"roster.{fmt}")]) == 0
        page_one(work / "roster.pdf", "pdf-page1")
        printed = work / "html.pdf"
        subprocess.run(
            [
                *CHROMIUM,
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={printed}",
                (work / "roster.html").as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        page_one(printed, "html-page1")
        for fmt in ("xlsx", "csv"):
            out = work / fmt
            # LibreOffice's headless CSV import ignores the byte-order mark unless
            # told the file is UTF-8 (44 = comma, 34 = quote, 76 = UTF-8).
            infilter = ["--infilter=CSV:44,34,76,1"] if fmt == "csv" else []
            subprocess.run(
                [
                    "soffice",
                    "--headless",
                    *infilter,
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    str(work / f"roster.{fmt}"),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            page_one(out / "roster.pdf", f"{fmt}-page1")
        (HERE / "ics-sample.txt").write_text(ics_sample(work / "roster.ics"), encoding="utf-8")
        print(f"wrote {HERE / 'ics-sample.txt'}")


if __name__ == "__main__":
    sys.exit(main())
