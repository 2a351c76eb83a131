"""Regenerate the pictures of docs/workbooks.md: ``python docs/workbooks/pictures.py``.

The blank template (``visits template``) as LibreOffice Calc prints it: the
instructions sheet, and the circumstances sheet (情况) with its header and
note rows.  Needs libreoffice-calc-nogui and poppler-utils (Debian packages).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from visits.cli import main as visits

HERE = Path(__file__).resolve().parent
#: Printed page of each picture (one page per sheet, instructions first), and its name.
PAGES = {1: "template-instructions", 8: "template-circumstances"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "template.xlsx"
        assert visits(["template", "-o", str(book)]) == 0
        profile = f"-env:UserInstallation=file://{tmp}/profile"
        subprocess.run(
            ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(book)],
            check=True,
            capture_output=True,
        )
        for page, name in PAGES.items():
            out = HERE / name
            # The top of the page, 100 dpi: A4 landscape is 1169 x 827 pixels there.
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
                    "300",
                    str(Path(tmp) / "template.pdf"),
                    str(out),
                ],
                check=True,
            )
            print(f"wrote {out}.png")


if __name__ == "__main__":
    main()
