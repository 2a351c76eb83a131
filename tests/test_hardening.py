"""Nothing half-written, same input same bytes, and clean refusals at the edges."""

from __future__ import annotations

import datetime as dt
import json
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import attrs
import openpyxl
import pytest

from tests.helpers.roster import community
from visits import Community
from visits.cli import main
from visits.core.community import Horizon
from visits.core.errors import FieldProblems
from visits.io.convert import community_to_dict


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


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "visits", *args], capture_output=True, text=True, check=False)


class TestNothingHalfWritten:
    def test_a_problem_found_while_planning_leaves_stdout_empty(self, community_file: Path) -> None:
        """Festival windows past 2100 are found mid-plan: exit 1, one line, not even the opening '['."""
        result = _run(
            "plan", str(community_file), "--from", "2100-06-01", "--to", "2101-03-01", "--rules", "baibuting-festivals"
        )
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.startswith("horizon: festival dates are known for 1901..2100 only")

    @pytest.mark.parametrize(
        ("args", "flag"),
        [
            (["status", "--as-of", "9999-12-31"], "--as-of"),
            (["plan", "--from", "9999-01-01", "--to", "9999-12-31"], "--from"),
            (["plan", "--from", "2026-01-01", "--to", "3000-01-01"], "--to"),
            (["roster", "--month", "2026-12", "--as-of", "0001-01-01", "-o", "x.csv"], "--as-of"),
        ],
    )
    def test_dates_beyond_what_visits_computes_with_name_the_limit(
        self, community_file: Path, args: list[str], flag: str
    ) -> None:
        """Exit 2 with the usage line and the limit; no traceback."""
        result = _run(args[0], str(community_file), *args[1:])
        assert result.returncode == 2 and result.stdout == ""
        assert f"argument {flag}:" in result.stderr and "1900-01-01..2999-12-31" in result.stderr
        assert "Traceback" not in result.stderr

    def test_a_horizon_at_the_end_of_time_is_a_field_problem_not_an_overflow(self) -> None:
        """Horizon's own check reports the range before computing a 100-year limit."""
        with pytest.raises(FieldProblems) as caught:
            Horizon(start=dt.date(9999, 1, 1), end=dt.date(9999, 12, 31))
        assert [p.path for p in caught.value.problems] == ["start", "end"]

    @pytest.mark.parametrize(
        ("where", "message"),
        [
            ("missing/r.csv", "no such directory: "),
            (".", "is a directory"),
            ("/proc/r.csv", "cannot create a file in /proc: "),
        ],
    )
    def test_an_output_that_cannot_be_written_is_one_line(
        self, community_file: Path, tmp_path: Path, where: str, message: str
    ) -> None:
        """-o into a missing directory, onto a directory, into a directory nobody may write: exit 1, one line."""
        target = where if where.startswith("/") else str(tmp_path / where)
        for args in (
            ["roster", str(community_file), "--month", "2026-12", "-o", target],
            ["plan", str(community_file), "--from", "2026-12-01", "--to", "2026-12-07", "-o", target],
            ["demo", "--households", "20", "-o", target],
        ):
            result = _run(*args)
            assert result.returncode == 1, result.stderr
            lines = [line for line in result.stderr.splitlines() if not line.startswith("visits: warning:")]
            assert len(lines) == 1 and message in lines[0], result.stderr
            assert "Traceback" not in result.stderr and result.stdout == ""

    def test_overwriting_keeps_the_files_permissions(self, community_file: Path, tmp_path: Path) -> None:
        """A 0600 file stays 0600."""
        target = tmp_path / "r.csv"
        target.write_text("old", encoding="utf-8")
        target.chmod(0o600)
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(target)]) == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text(encoding="utf-8-sig") != "old"

    def test_a_symbolic_link_stays_a_link_and_its_file_is_replaced(self, community_file: Path, tmp_path: Path) -> None:
        """Written through the link: the link remains, the file it points to has the roster."""
        real = tmp_path / "real.csv"
        real.write_text("old", encoding="utf-8")
        link = tmp_path / "link.csv"
        link.symlink_to(real)
        assert main(["roster", str(community_file), "--month", "2026-12", "-o", str(link)]) == 0
        assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("分组")

    @pytest.mark.parametrize(
        ("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
    )
    def test_a_signal_during_a_long_write_removes_the_temporary_file(
        self, community_file: Path, tmp_path: Path, sig: int, code: int, word: str
    ) -> None:
        """Once the temporary file exists, the signal: exit 130/143, one line, no file left behind.

        The child is the real command line in its own process, with one change
        that removes the race with the machine's speed: ``os.replace`` (the
        moment the finished temporary file would become the output) waits for
        the signal instead of returning at once.  A parent that ignores SIGINT
        (mutmut's runner does) passes that on to its children; the child sets
        Python's usual handler back, as a shell would have it.
        """
        out = tmp_path / "out" / "plan.json"
        out.parent.mkdir()
        arguments = ["plan", str(community_file), "--from", "2026-01-01", "--to", "2026-06-30", "-o", str(out)]
        child = (
            "import os, signal, sys, time\n"
            "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # as from a terminal
            "os.replace = lambda *args, **kwargs: time.sleep(600)\n"
            "from visits.cli import main\n"
            f"sys.exit(main({arguments!r}))\n"
        )
        process = subprocess.Popen([sys.executable, "-c", child], stderr=subprocess.PIPE, text=True)
        try:
            while process.poll() is None and not any(p.name.startswith(".plan.json.") for p in out.parent.iterdir()):
                time.sleep(0.01)
            seen = [p.name for p in out.parent.iterdir()]
            assert process.poll() is None, f"the command ended before it could be interrupted: {seen}"
            process.send_signal(sig)
            _, err = process.communicate(timeout=120)
        finally:
            process.kill()
        assert (process.returncode, err.strip().splitlines()) == (code, [f"visits: {word}; nothing was written"]), seen
        assert list(out.parent.iterdir()) == []


class TestWarnings:
    def test_the_provisional_warning_counts_the_rosters_own_lines(
        self, community_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """December 2040 has no schedule: the one-person roster's warning counts that person's lines only."""
        target = tmp_path / "r.csv"
        assert main(["roster", str(community_file), "--month", "2040-12", "-o", str(target)]) == 0
        everyone = capsys.readouterr().err
        assert main(["roster", str(community_file), "--month", "2040-12", "--person", "C1", "-o", str(target)]) == 0
        one = capsys.readouterr().err
        rows = target.read_text(encoding="utf-8-sig").splitlines()[1:]
        provisional = [row for row in rows if "暂按周一至周五" in row]
        assert provisional and f"; {len(provisional)} obligations assume Monday to Friday" in one
        assert f"; {len(provisional)} obligations" not in everyone


DISGUISED = "张\u202e丽\u200b"  # a right-to-left override and a zero-width space in a name


def _disguised_community() -> Community:
    c = community()
    homes = tuple(attrs.evolve(h, name=DISGUISED, address="1栋\u2066101\u2069室") for h in c.households)
    assert c.organisation is not None
    people = tuple(attrs.evolve(p, name=DISGUISED) for p in c.organisation.people)
    return attrs.evolve(
        c,
        households=homes,
        organisation=attrs.evolve(c.organisation, people=people),
        sections={"community": {"name": "=1+1社区"}},
    )


class TestHostileTextInExports:
    @pytest.mark.parametrize("fmt", ["html", "csv", "xlsx", "ics", "pdf"])
    @pytest.mark.parametrize("redact", [False, True])
    def test_direction_overrides_and_zero_width_characters_are_shown_not_obeyed(
        self, fmt: str, redact: bool, tmp_path: Path
    ) -> None:
        """Every format writes <U+202E> and <U+200B> in their place; the PDF does not fail on them."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(_disguised_community()), ensure_ascii=False), encoding="utf-8")
        target = tmp_path / f"r.{fmt}"
        args = ["roster", str(path), "--month", "2026-12", "-o", str(target)]
        assert main([*args, "--redact"] if redact else args) == 0
        text = _shown(target, fmt)
        for hidden in ("\u202e", "\u200b", "\u2066", "\u2069"):
            assert hidden not in text
        if not redact and fmt != "pdf":  # a redacted roster shows neither the full name nor the address
            assert "张<U+202E>丽<U+200B>" in text and "1栋<U+2066>101<U+2069>室" in text
        elif not redact:  # pdftotext interleaves wrapped cells: look for each marker
            assert all(f"<U+{code}>" in text for code in ("202E", "200B", "2066")), text

    def test_the_xlsx_title_cell_is_neutralised_like_every_other(self, tmp_path: Path) -> None:
        """A community named '=1+1社区' titles the sheet as text, not as a formula."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(_disguised_community()), ensure_ascii=False), encoding="utf-8")
        target = tmp_path / "r.xlsx"
        assert main(["roster", str(path), "--month", "2026-12", "-o", str(target)]) == 0
        sheet = openpyxl.load_workbook(target).active
        assert sheet is not None
        assert str(sheet["A1"].value).startswith("'=1+1社区")

    def test_terminal_tables_show_what_the_data_hides(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """visits load prints names with the override written out."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(_disguised_community()), ensure_ascii=False), encoding="utf-8")
        assert main(["load", str(path), "--month", "2026-12"]) == 0
        out = capsys.readouterr().out
        assert "张<U+202E>丽<U+200B>" in out and "\u202e" not in out


def _shown(target: Path, fmt: str) -> str:
    if fmt == "xlsx":
        book = openpyxl.load_workbook(target)
        return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    if fmt == "pdf":
        out = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
        return "".join(out.split())  # cells wrap: compare without line breaks
    data = target.read_bytes().decode("utf-8-sig")
    return data.replace("&lt;", "<").replace("&gt;", ">")


def test_main_runs_from_a_thread_other_than_the_main_one(capsys: pytest.CaptureFixture[str]) -> None:
    """A service calling main() from a worker thread: no signal handler is set there, and it still works."""
    import threading

    codes: list[int] = []
    worker = threading.Thread(target=lambda: codes.append(main(["calendar", "--year", "2026"])))
    worker.start()
    worker.join()
    assert codes == [0] and "2026" in capsys.readouterr().out
