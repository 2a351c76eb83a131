"""Community workbooks: reading and writing the demo with a year of records, and the two readers side by side.

    python benchmarks/bench_workbook.py [--quick] [--households N]

Targets (issue 14): a 40,000-household workbook loads in at most 2x the time
of the same community as JSON, and converts both ways in under 10 s; reading
back December's roster with every line filled in takes under 5 s.  Also
measured, in the same run: reading every cell with python-calamine (the
reader used) and with openpyxl in read-only mode (the alternative).  Each
figure is the median of three runs, with min and max; ``--quick`` makes 4,000
households.  Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine

from visits import Community, load_community, load_rulebook, monthly_roster, render_roster, save_community
from visits.io.roster_reader import read_roster
from visits.io.workbook_writer import workbook
from visits.testing import demo


def timed(run: Callable[[], object], times: int = 3) -> str:
    seconds = []
    for _ in range(times):
        began = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - began)
    return f"{statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 households instead of 40,000")
    parser.add_argument("--households", type=int, default=None)
    args = parser.parse_args()
    households = args.households or (4_000 if args.quick else 40_000)
    vocabulary = load_rulebook().vocabulary
    community = demo.generate(households, seed=0, with_visits=True)
    with tempfile.TemporaryDirectory() as tmp:
        as_json, as_xlsx = Path(tmp) / "c.json", Path(tmp) / "c.xlsx"
        save_community(community, as_json)
        data = workbook(vocabulary, rulebook="baibuting", community=community)
        as_xlsx.write_bytes(data)
        size = as_json.stat().st_size >> 20
        print(
            f"{households} households, {len(community.visits)} records; JSON {size} MiB, workbook {len(data) >> 20} MiB"
        )
        print("load JSON:                ", timed(lambda: load_community(as_json, vocabulary)))
        print("load workbook:            ", timed(lambda: load_community(as_xlsx, vocabulary)))
        print("write workbook:           ", timed(lambda: workbook(vocabulary, rulebook="b", community=community)))

        def calamine() -> int:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)

        def read_only() -> int:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            return sum(sum(1 for _ in sheet.iter_rows(values_only=True)) for sheet in book.worksheets)

        print("cells, python-calamine:   ", timed(calamine))
        print("cells, openpyxl read-only:", timed(read_only))
        filled = _filled_roster(community)
        rulebook = load_rulebook()
        lines = len(read_roster(filled, community, rulebook).added)
        print(f"record a filled roster ({lines} lines):", timed(lambda: read_roster(filled, community, rulebook)))


def _filled_roster(community: Community) -> bytes:
    """December's office copy with every line's visit date filled in (on its window's first day)."""
    roster = monthly_roster(load_rulebook(), community, 2026, 12)
    book = openpyxl.load_workbook(io.BytesIO(render_roster(roster, "xlsx")))
    sheet = book.active
    assert sheet is not None
    at = {str(c.value): i + 1 for i, c in enumerate(sheet[2]) if c.value}
    for row in range(3, sheet.max_row + 1):
        start = sheet.cell(row, at["开始"]).value
        if start:
            sheet.cell(row, at["实际走访日期"], start)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


if __name__ == "__main__":
    main()
