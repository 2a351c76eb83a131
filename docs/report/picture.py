"""Regenerate docs/report/page.png: ``python docs/report/picture.py``.

The picture is the top of the page ``visits report`` makes from the
40,000-household demo with a year of records (2026), as headless Chromium
shows it in a window 1200 pixels wide.  Needs chromium (a Debian package).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from visits.cli import main as visits

HERE = Path(__file__).resolve().parent


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        community, page = work / "year.json", work / "report.html"
        if visits(["demo", "--with-visits", "-o", str(community)]) != 0:
            return 1
        if visits(["report", str(community), "--from", "2026-01", "--to", "2026-12", "-o", str(page)]) != 0:
            return 1
        command = [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={work / 'profile'}", "--hide-scrollbars", "--window-size=1200,1500",
            f"--screenshot={HERE / 'page.png'}", page.as_uri(),
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    return 0


if __name__ == "__main__":
    sys.exit(main())
