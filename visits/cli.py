"""The ``visits`` command line: a thin edge over the library.

Exit status: 0 on success, 1 when the input is invalid (one line per problem
on standard error, nothing written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from visits import demo, export
from visits.cadence import describe
from visits.convert import community_to_dict, rulebook_to_dict
from visits.errors import FieldProblems, Problem, VisitsError
from visits.files import load_community, load_rulebook, rulebook_to_toml, write_atomically
from visits.model import Horizon
from visits.planner import Obligation, plan
from visits.rules import CategoryTrigger, Rulebook

__all__ = ["main"]

T = TypeVar("T")

_FORMATS: dict[str, Callable[[Iterable[Obligation]], Iterator[str]]] = {
    "json": export.to_json,
    "jsonl": export.to_jsonl,
    "csv": export.to_csv,
}


class _UsageError(Exception):
    """A command-line usage problem (exit status 2)."""


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="visits",
        description="Turn household-visiting rules (三必到、五必访) into dated obligations.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rules_help = "a built-in rulebook name (baibuting) or a TOML file (default: baibuting)"

    p = sub.add_parser("plan", help="list the obligations of a community in a date range")
    p.add_argument("community", metavar="COMMUNITY.json")
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    p.add_argument("--format", choices=sorted(_FORMATS), default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    r = sub.add_parser("rules", help="show a rulebook")
    r.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    r.add_argument("--format", choices=["table", "toml", "json"], default="table")

    d = sub.add_parser("demo", help="write a synthetic community shaped like Baibuting")
    d.add_argument("--households", type=_positive, default=40_000, metavar="N")
    d.add_argument("--seed", type=int, default=0, metavar="S")
    d.add_argument("--year", type=int, default=2026, metavar="YYYY")
    d.add_argument("-o", "--output", required=True, metavar="FILE.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "plan":
            return _plan(args)
        if args.command == "rules":
            return _rules(args)
        return _demo(args)
    except VisitsError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 1
    except _UsageError as exc:
        print(f"visits: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `visits plan ... | head`
        sys.stderr.close()
        return 0


def _emit(chunks: Iterable[str], output: str | None) -> None:
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    else:
        write_atomically(output, chunks, newline="")


def _horizon(start: dt.date, end: dt.date) -> Horizon:
    try:
        return Horizon(start=start, end=end)
    except FieldProblems as exc:
        flags = {"start": "--from", "end": "--to"}
        raise VisitsError([Problem(path=flags[f], message=m) for f, m in exc.problems]) from None


def _plan(args: argparse.Namespace) -> int:
    problems: list[str] = []

    def attempt(load: Callable[[], T]) -> T | None:
        try:
            return load()
        except VisitsError as exc:
            problems.extend(exc.lines())
            return None

    # Read everything before reporting, so that one run shows every problem.
    rulebook = attempt(lambda: load_rulebook(args.rules))
    community = attempt(lambda: load_community(args.community))
    horizon = attempt(lambda: _horizon(args.start, args.end))
    if rulebook is None or community is None or horizon is None:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    obligations = plan(rulebook, community.households, community.events, horizon)
    _emit(_FORMATS[args.format](obligations), args.output)
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _rules_table(rulebook: Rulebook) -> Iterator[str]:
    header = ("rule", "trigger", "roles", "action", "cadence", "source (* = a reading)")
    rows = [header]
    for rule in rulebook.rules:
        trigger = rule.trigger
        if isinstance(trigger, CategoryTrigger):
            when = trigger.category.value
        else:
            when = "event: " + ",".join(k.value for k in trigger.events)
            if len(trigger.severities) == 1:
                when += f" ({trigger.severities[0].value})"
        rows.append(
            (
                rule.id,
                when,
                ",".join(r.value for r in rule.roles),
                rule.action.value,
                describe(rule.cadence) + (f", due +{rule.due_days}d" if rule.due_days is not None else ""),
                ("* " if rule.reading else "  ") + rule.source,
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    yield f"{rulebook.name}: {len(rulebook.rules)} rules\n"
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row[:-1])]
        yield "  ".join([*cells, row[-1]]).rstrip() + "\n"


def _rules(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.rules)
    if args.format == "toml":
        _emit([rulebook_to_toml(rulebook)], None)
    elif args.format == "json":
        _emit([json.dumps(rulebook_to_dict(rulebook), ensure_ascii=False, indent=2) + "\n"], None)
    else:
        _emit(_rules_table(rulebook), None)
    return 0


def _demo(args: argparse.Namespace) -> int:
    if not 1901 <= args.year <= 2998:
        raise _UsageError(f"--year must be between 1901 and 2998, got {args.year}")
    community = demo.generate(args.households, seed=args.seed, year=args.year)
    text = json.dumps(community_to_dict(community), ensure_ascii=False, indent=1)
    write_atomically(args.output, [text, "\n"])
    shape = demo.shape_for(args.households)
    print(
        f"wrote {args.output}: {shape.households} households in {shape.buildings} buildings, "
        f"{shape.zones} zones, {shape.estates} estates; {len(community.events)} events in {args.year}",
        file=sys.stderr,
    )
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
