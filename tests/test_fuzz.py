"""Fuzzing the command line with mutated demo files: a clean refusal or a clean result, never a crash.

Each example takes a small demo community (or the built-in rulebook, or a
calendar file), applies a few seeded mutations of the kinds people and
programs make (a value of the wrong type, a string where an object belongs,
text with control characters, lone surrogates or line breaks, dates that do
not exist, huge numbers, deep nesting, duplicate keys, truncated files), and
runs one command on it in-process.  It must either succeed (exit 0) or fail
with exit 1 or 2 and only the library's own lines on stderr; on failure
nothing appears on stdout or in the ``-o`` file.  An exception escaping
``main`` fails the test: that would be a traceback for the user.

Twelve tests (ten commands over community files, rulebooks, calendar
files): the CI profile runs 200 examples each, 2,400 inputs; the thorough
profile 2,000 each, 24,000 inputs (``HYPOTHESIS_PROFILE=thorough``).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visits.cli import main
from visits.io.convert import community_to_dict
from visits.io.files import BUILTIN_RULEBOOKS
from visits.testing import demo

_DEMO = community_to_dict(demo.generate(24, seed=5, year=2026, with_visits=True))
_RULEBOOK = (Path(__file__).parent.parent / "visits" / "data" / BUILTIN_RULEBOOKS["baibuting"]).read_text("utf-8")
_CALENDAR = """name = "社区"
closed = [{ start = 2026-12-24, end = 2026-12-25, name = "停电" }]
open = [{ start = 2026-12-27, name = "加班" }]
[[years]]
year = 2027
off = [{ start = 2027-01-01, end = 2027-01-03, name = "元旦" }]
"""

#: Values that replace a node of the data: each a mistake seen in the wild or a hostile one.
HOSTILE: tuple[object, ...] = (
    "x",
    "",
    " H1 ",
    "\ud800",
    "a\x00b",
    "line\nbreak",
    "\x1b[31mred\x1b[0m",
    "张\u202e丽",
    "=cmd|' /C calc'!A0",
    "2026-02-30",
    "2026-13-01",
    "26-1-1",
    "9999-12-31",
    "0001-01-01",
    -1,
    0,
    1.5,
    10**30,
    True,
    None,
    [],
    {},
    ["x"],
    [{}],
    {"id": []},
    [[[[[[]]]]]],
)


def _paths(node: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:6]):  # the first few elements of long lists
            out += _paths(value, (*here, i))
    return out


def _replace(node: Any, path: tuple[object, ...], value: object) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(node, dict):
        return {k: (_replace(v, tuple(rest), value) if k == head else v) for k, v in node.items()}
    return [(_replace(v, tuple(rest), value) if i == head else v) for i, v in enumerate(node)]


def _delete(node: Any, path: tuple[object, ...]) -> Any:
    head, *rest = path
    if not rest:
        if isinstance(node, dict):
            return {k: v for k, v in node.items() if k != head}
        return [v for i, v in enumerate(node) if i != head]
    if isinstance(node, dict):
        return {k: (_delete(v, tuple(rest)) if k == head else v) for k, v in node.items()}
    return [(_delete(v, tuple(rest)) if i == head else v) for i, v in enumerate(node)]


def mutate_data(data: object, rng: random.Random) -> object:
    """A few structural mutations of parsed data."""
    for _ in range(rng.randint(1, 3)):
        paths = _paths(data)
        path = rng.choice(paths)
        action = rng.random()
        if action < 0.6:
            data = _replace(data, path, rng.choice(HOSTILE))
        elif action < 0.8 and path:
            data = _delete(data, path)
        else:  # duplicate a list element (same id twice) or swap a node with another one
            other = rng.choice(paths)
            node: Any = data
            for step in other:
                node = node[step]
            data = _replace(data, path, node)
    return data


def mutate_text(text: str, rng: random.Random) -> str:
    """Mutations of a file's text: truncation, a stray character, nesting, huge numbers, duplicate keys."""
    action = rng.random()
    if action < 0.2:
        return text[: rng.randint(0, len(text))]
    if action < 0.4:
        at = rng.randint(0, len(text))
        return text[:at] + rng.choice(["\x00", "\ufffd", '"', "{", "]", ",", "\\", "\n", "é"]) + text[at:]
    if action < 0.55:
        return text.replace("[", "[" + "[" * 5000, 1).replace("]", "]" + "]" * 5000, 1)
    if action < 0.7:
        return re.sub(r"\b(\d+)\b", lambda m: m.group(1) + "7" * 5000, text, count=1)
    if action < 0.85 and text.lstrip().startswith("{"):
        return text.replace("{", '{"households": [], ', 1)  # a duplicate key in a JSON object
    return text


#: How the command line's own lines begin, besides a file's name: its warnings and errors, argparse's usage
#: lines (and their indented continuations), and problems with a flag or the horizon.
_OWN_PREFIXES = ("visits: ", "visits ", "usage: ", " ", "--", "horizon: ", "SOURCE_DATE_EPOCH: ")


def run(args: list[str], out: Path | None) -> None:
    """Run the command line; check the outcome is a clean success or a clean refusal."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    err = stderr.getvalue()
    err.encode("utf-8")  # a lone surrogate here would crash a real terminal
    stdout.getvalue().encode("utf-8")
    assert "Traceback" not in err
    assert code in (0, 1, 2), (code, err)
    if code != 0:
        assert stdout.getvalue() == "", "output on stdout despite a failure"
        assert out is None or not out.exists(), "a file was written despite a failure"
        assert err.strip(), "a failure must say why"
        # The library's own lines only: each problem prefixed by its file (or flag), or the command's own words.
        own = (*(f"{a}: " for a in args if "/" in a), *_OWN_PREFIXES)
        for line in err.strip().splitlines():
            assert len(line) < 2_000, "one short line per problem"
            assert line.startswith(own), f"not one of the library's lines: {line!r}"
    else:
        assert out is None or out.exists()


_FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

COMMANDS: list[tuple[str, Callable[[str, Path], list[str]]]] = [
    ("plan-json", lambda c, o: ["plan", c, "--from", "2026-11-01", "--to", "2027-01-31"]),
    (
        "plan-csv",
        lambda c, o: ["plan", c, "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv", "-o", str(o)],
    ),
    ("status", lambda c, o: ["status", c, "--as-of", "2026-12-31", "--by", "unit"]),
    ("status-json", lambda c, o: ["status", c, "--as-of", "2026-06-30", "--format", "json"]),
    ("roster-csv", lambda c, o: ["roster", c, "--month", "2026-12", "--redact", "-o", str(o)]),
    ("roster-ics", lambda c, o: ["roster", c, "--month", "2026-12", "-o", str(o.with_suffix(".ics"))]),
    ("roster-html", lambda c, o: ["roster", c, "--month", "2026-12", "-o", str(o.with_suffix(".html"))]),
    (
        "roster-xlsx",
        lambda c, o: ["roster", c, "--month", "2026-12", "--by", "person", "-o", str(o.with_suffix(".xlsx"))],
    ),
    ("load", lambda c, o: ["load", c, "--month", "2026-12"]),
    ("links", lambda c, o: ["links", c, "--propose"]),
]


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
@_FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_a_mutated_community_file_is_refused_cleanly(
    name: str, command: Callable[[str, Path], list[str]], seed: int, tmp_path: Path
) -> None:
    """Any mutation of a community file: exit 0, or 1/2 with the library's own lines and nothing written."""
    rng = random.Random(seed)
    path = tmp_path / f"c{seed}.json"
    if rng.random() < 0.75:
        text = json.dumps(mutate_data(_DEMO, rng), ensure_ascii=rng.random() < 0.5)
    else:
        text = mutate_text(json.dumps(_DEMO, ensure_ascii=False), rng)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = tmp_path / f"o{seed}.csv"
    args = command(str(path), out)
    target = Path(args[args.index("-o") + 1]) if "-o" in args else None
    if target is not None:
        target.unlink(missing_ok=True)
    run(args, target)


def mutated_toml(text: str, rng: random.Random, fallback: str) -> str:
    """A TOML file's text mutated as data (written back by tomli_w) or as text."""
    if rng.random() >= 0.6:
        return mutate_text(text, rng)
    try:
        return str(tomli_w.dumps(mutate_data(tomllib.loads(text), rng)))  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):  # tomli_w writes tables only
        return fallback


@_FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_a_mutated_rulebook_is_refused_cleanly(seed: int, tmp_path: Path) -> None:
    """Any mutation of the rulebook's TOML, used to plan the demo: a clean result or a clean refusal."""
    rng = random.Random(seed)
    path = tmp_path / f"r{seed}.toml"
    text = mutated_toml(_RULEBOOK, rng, _RULEBOOK.replace("[[rules]]", "rules = 5\n[[rules]]", 1))
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    community = tmp_path / "c.json"
    if not community.exists():
        community.write_text(json.dumps(_DEMO, ensure_ascii=False), encoding="utf-8")
    if rng.random() < 0.5:
        run(["rules", "--rules", str(path)], None)
    else:
        run(["plan", str(community), "--from", "2026-12-01", "--to", "2026-12-31", "--rules", str(path)], None)


@_FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_a_mutated_calendar_file_is_refused_cleanly(seed: int, tmp_path: Path) -> None:
    """Any mutation of a community calendar file: a clean result or a clean refusal."""
    rng = random.Random(seed)
    path = tmp_path / f"k{seed}.toml"
    path.write_text(mutated_toml(_CALENDAR, rng, 'closed = ["x"]\n'), encoding="utf-8", errors="surrogatepass")
    run(["calendar", "--year", "2027", "--calendar", str(path)], None)
