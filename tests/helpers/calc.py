"""LibreOffice Calc from the tests: converting a workbook headless, with a profile of the test's own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def calc_convert(source: Path, to: str, outdir: Path) -> None:
    """``soffice --convert-to TO``: Calc opens ``source`` and saves it into ``outdir`` (same stem, TO's suffix).

    The profile is a fresh folder beside ``outdir``, so runs never share one.
    """
    soffice = shutil.which("soffice")
    assert soffice is not None, "LibreOffice Calc is part of the README's test command (libreoffice-calc-nogui)"
    profile = f"-env:UserInstallation=file://{outdir / 'calc-profile'}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", to, "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
