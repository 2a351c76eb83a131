"""Nothing half-written, same input same bytes, and clean refusals at the edges."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.test_roster import community
from visits.cli import main
from visits.convert import community_to_dict


@pytest.fixture
def community_file(tmp_path: Path) -> Path:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(community_to_dict(community()), ensure_ascii=False), encoding="utf-8")
    return path


class TestSameBytes:
    @pytest.mark.parametrize("fmt", ["xlsx", "pdf", "html", "csv", "ics"])
    def test_two_runs_write_the_same_bytes(self, fmt: str, community_file: Path, tmp_path: Path) -> None:
        """No creation timestamp or random document id in any format."""
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        for target in (first, second):
            assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(target)]) == 0
        assert first.read_bytes() == second.read_bytes()

    def test_source_date_epoch_sets_the_creation_date(
        self, community_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SOURCE_DATE_EPOCH=86400 is 1970-01-02 in the workbook's properties and the PDF's dates."""
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
        xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(xlsx)]) == 0
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(pdf)]) == 0
        core = zipfile.ZipFile(xlsx).read("docProps/core.xml").decode()
        assert "1970-01-02T00:00:00Z" in core
        assert b"D:19700102000000" in pdf.read_bytes()

    def test_without_source_date_epoch_the_date_is_fixed(
        self, community_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """2000-01-01, not today."""
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        xlsx = tmp_path / "r.xlsx"
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(xlsx)]) == 0
        assert "2000-01-01T00:00:00Z" in zipfile.ZipFile(xlsx).read("docProps/core.xml").decode()

    def test_a_bad_source_date_epoch_is_one_line(
        self,
        community_file: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Not a number: exit 1, one line naming the variable, nothing written."""
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
        target = tmp_path / "r.pdf"
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(target)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("SOURCE_DATE_EPOCH: must be a whole number")
        assert not target.exists()
