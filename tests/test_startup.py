"""Start fast: ``import visits`` and each command load only what they use (time itself is in benchmarks/)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import visits
from visits.cli import main
from visits.testing import demo

#: Libraries that serve one kind of output or input each (tqdm: a terminal), which no other command may load.
HEAVY = (
    "matplotlib",
    "reportlab",
    "jinja2",
    "icalendar",
    "xlsxwriter",
    "python_calamine",
    "openpyxl",
    "hypothesis",
    "tqdm",
    "pyarrow",
    "numpy",
)

_PROBE = """
import contextlib, io, json, sys
from visits.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:
        status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def loaded(*args: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running ``visits ARGS``."""
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert result["status"] == 0, args
    return {name.split(".")[0] for name in result["modules"]} | set(result["modules"])


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup") / "c.json"
    visits.save_community(demo.generate(30, seed=1), path)
    return path


def test_help_loads_no_part_of_the_planner_nor_any_library_but_the_standard_ones() -> None:
    modules = loaded("--help")
    assert not modules & {*HEAVY, "cattrs", "chinese_calendar", "borax", "tomli_w"}
    assert not {m for m in modules if m.count(".") > 1 and m.split(".")[1] in ("core", "io", "render")} - {
        "visits.core.checks",  # the dates the options accept
        "visits.core.errors",  # what a command's failure is (attrs classes)
        "visits.core.text",
        "visits.render.rosters",  # the roster formats the options accept
    }


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["plan", "{c}", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv"], set()),
        (
            ["plan", "{c}", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "parquet", "-o", "{d}/p"],
            {"pyarrow", "numpy"},  # pyarrow's arrays, and the columnar planner's
        ),
        (["status", "{c}", "--as-of", "2026-12-31"], {"numpy"}),  # planned, assigned and matched in columns
        (["rules"], set()),
        (["roster", "{c}", "--month", "2026-12", "-o", "{d}/r.csv"], set()),
        (["roster", "{c}", "--month", "2026-12", "-o", "{d}/r.html"], {"jinja2"}),
        (["roster", "{c}", "--month", "2026-12", "-o", "{d}/r.ics"], set()),
        (["roster", "{c}", "--month", "2026-12", "-o", "{d}/r.xlsx"], {"xlsxwriter"}),
        (["roster", "{c}", "--month", "2026-12", "-o", "{d}/r.pdf"], {"reportlab"}),
        (["template", "-o", "{d}/t.xlsx"], {"xlsxwriter"}),
        (
            ["report", "{c}", "--from", "2026-11", "--to", "2026-12", "-o", "{d}/r.html"],
            {"numpy", "matplotlib", "jinja2"},
        ),
        (["report", "{c}", "--from", "2026-11", "--to", "2026-12", "--format", "json"], {"numpy"}),
        (["convert", "{c}", "-o", "{d}/c.xlsx"], {"xlsxwriter"}),
    ],
)
def test_each_command_loads_the_libraries_of_its_own_output_only(
    args: list[str], wanted: set[str], community: Path, tmp_path: Path
) -> None:
    modules = loaded(*(a.format(c=community, d=tmp_path) for a in args))
    assert modules & set(HEAVY) == wanted


def test_reading_a_workbook_loads_its_reader(community: Path, tmp_path: Path) -> None:
    assert main(["convert", str(community), "-o", str(tmp_path / "c.xlsx")]) == 0
    modules = loaded("status", str(tmp_path / "c.xlsx"), "--as-of", "2026-12-31")
    assert modules & set(HEAVY) == {"python_calamine", "numpy"}


def test_import_visits_loads_nothing_until_a_name_is_used() -> None:
    probe = "import sys, visits; print(sorted(m for m in sys.modules if m.startswith('visits')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == ["visits"]


def test_the_lazy_table_says_what_the_type_checkers_read() -> None:
    """The imports under TYPE_CHECKING and the table used at run time name the same things, and __all__ lists them."""
    tree = ast.parse(Path(visits.__file__).read_text(encoding="utf-8"))
    [block] = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
    declared = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert declared == visits._WHERE
    assert sorted(visits.__all__) == sorted(declared)
    assert all(getattr(visits, name) is not None for name in visits.__all__)
    assert visits.festival_dates is visits.core.festivals.dates
    with pytest.raises(AttributeError, match="no attribute 'plann'"):
        visits.plann  # noqa: B018
