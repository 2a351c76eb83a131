"""visits plan --format parquet: the CSV's rows with their types, in row groups of bounded size."""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.test_record import quiet
from visits import save_community
from visits.cli import main
from visits.io import parquet
from visits.testing import demo


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parquet") / "c.json"
    save_community(demo.generate(200, seed=4), path)
    return path


def planned(community: Path, fmt: str, output: Path, *rules: str) -> None:
    args = ["plan", str(community), "--from", "2026-01-01", "--to", "2026-12-31", "--format", fmt, "-o", str(output)]
    assert quiet([*args, *rules]) == 0


def as_csv_text(value: object) -> str:
    """A Parquet value written the way the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)  # a date in ISO form, a number, a text


@pytest.mark.parametrize("rules", [[], ["--rules", "baibuting-organisation"]], ids=["households", "with duties"])
def test_the_parquet_plan_is_the_csv_plan_with_types(community: Path, tmp_path: Path, rules: list[str]) -> None:
    planned(community, "csv", tmp_path / "p.csv", *rules)
    planned(community, "parquet", tmp_path / "p.parquet", *rules)
    rows = list(csv.reader(io.StringIO((tmp_path / "p.csv").read_text(encoding="utf-8"))))
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.schema.names == rows[0]
    assert table.schema.field("due").type == "date32[day]" and table.schema.field("assigned_rank").type == "int32"
    records = table.to_pylist()
    assert len(records) == len(rows) - 1 > 100
    # CSV cells are made formula-safe; no cell of this plan starts like a formula, so the texts are equal
    assert [[as_csv_text(r[name]) for name in rows[0]] for r in records] == rows[1:]
    assert ("unit" in table.schema.names) == bool(rules)


def test_row_groups_bound_the_memory(community: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "BATCH", 100)
    planned(community, "parquet", tmp_path / "p.parquet")
    found = pq.ParquetFile(tmp_path / "p.parquet")
    rows = found.metadata.num_rows
    assert rows > 300 and found.metadata.num_row_groups == -(-rows // 100)


def test_an_empty_plan_is_a_file_with_the_columns_and_no_rows(community: Path, tmp_path: Path) -> None:
    args = ["plan", str(community), "--from", "1950-01-01", "--to", "1950-01-31", "--format", "parquet"]
    assert quiet([*args, "-o", str(tmp_path / "p.parquet")]) == 0
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.num_rows == 0 and "key" in table.schema.names


def test_parquet_needs_a_file(community: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(community), "--from", "2026-01-01", "--to", "2026-01-31", "--format", "parquet"]) == 2
    assert "give -o FILE.parquet" in capsys.readouterr().err


def test_without_pyarrow_it_says_how_to_get_it_and_writes_nothing(
    community: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what an import of a missing package does
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    err = io.StringIO()
    args = ["plan", str(community), "--from", "2026-01-01", "--to", "2026-01-31", "--format", "parquet"]
    with contextlib.redirect_stderr(err):
        assert main([*args, "-o", str(tmp_path / "p.parquet")]) == 2
    assert "pip install 'visits[parquet]'" in err.getvalue()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("by", ["rule", "unit", "person"])
def test_the_status_report_as_parquet_is_its_csv_with_numbers(community: Path, tmp_path: Path, by: str) -> None:
    args = ["status", str(community), "--as-of", "2026-06-30", "--by", by]
    assert quiet([*args, "--format", "csv", "-o", str(tmp_path / "s.csv")]) == 0
    assert quiet([*args, "--format", "parquet", "-o", str(tmp_path / "s.parquet")]) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8"))))
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.schema.names == rows[0] and rows[0][0] == by
    assert table.schema.field("overdue").type == "int64" and table.schema.field("rate").type == "double"
    records = table.to_pylist()
    expected = [[*row[:-1], float(row[-1]) if row[-1] else None] for row in rows[1:]]
    got = [
        [str(r[name]) for name in rows[0][:-1]] + [None if r["rate"] is None else round(r["rate"], 4)] for r in records
    ]
    assert got == expected and len(got) >= 2  # the groups, then the whole


def test_status_writes_any_format_to_a_file_with_o(community: Path, tmp_path: Path) -> None:
    args = ["status", str(community), "--as-of", "2026-06-30", "--format", "json"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 0
    assert quiet([*args, "-o", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == out.getvalue()
