"""The command line's arguments: a sub-command each (plan, rules, load, status, roster, links, teams, ...)."""

from __future__ import annotations

import argparse
import datetime as dt

from visits.core.checks import MAX_DATE, MIN_DATE
from visits.render.rosters import ROSTER_FORMATS

__all__ = ["PLAN_FORMATS", "UsageError", "build_parser", "date_argument", "positive_argument"]

#: The formats ``visits plan`` writes.
PLAN_FORMATS = ("csv", "json", "jsonl", "parquet")
_RULES_HELP = (
    "a built-in rulebook (baibuting, baibuting-festivals, baibuting-organisation) or a TOML file (default: baibuting)"
)
_CALENDAR_HELP = "a community calendar file (TOML): closures, extra working days, next year's schedule"


class UsageError(Exception):
    """A command-line usage problem (exit status 2)."""


def date_argument(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` option: exactly that form, a real date, in the range visits computes with."""
    try:
        if len(text) != 10:
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise argparse.ArgumentTypeError(f"{text} is outside the dates visits computes with ({MIN_DATE}..{MAX_DATE})")
    return day


def positive_argument(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="the words of the table (default: zh)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="visits",
        description="Turn household-visiting rules (三必到、五必访) into dated obligations.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _plan(sub)
    _rules(sub)
    _load(sub)
    _status(sub)
    _roster(sub)
    _report(sub)
    _links(sub)
    _teams(sub)
    _template(sub)
    _convert(sub)
    _record(sub)
    _calendar(sub)
    _demo(sub)
    return parser


def _plan(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plan", help="list the obligations of a community in a date range")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--from", dest="start", type=date_argument, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=date_argument, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument("--format", choices=PLAN_FORMATS, default="json", help="parquet needs -o and pyarrow")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")


def _rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="show a rulebook")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--format", choices=["table", "toml", "json"], default="table")
    _add_lang(p)


def _load(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("load", help="each person's obligations in a month, flagging heavy loads")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    _add_limit(p, "flag people with more than N obligations open in the month (default 60)")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument("--format", choices=["table", "json"], default="table")
    _add_lang(p)


def _add_limit(p: argparse.ArgumentParser, text: str) -> None:
    p.add_argument("--limit", type=positive_argument, default=60, metavar="N", help=text)


def _status(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="compliance as of a date: met, due, overdue, missed")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--as-of", dest="as_of", type=date_argument, required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--from",
        dest="start",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="first day of obligations to report (default: 1 January of the --as-of year)",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="last day of obligations to report (default: 31 December of the --as-of year)",
    )
    p.add_argument("--by", choices=["unit", "person", "rule"], default="rule")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument(
        "--format", choices=["table", "json", "csv", "parquet"], default="table", help="parquet needs -o and pyarrow"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _add_lang(p)


def _roster(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("roster", help="the monthly visit roster (月度走访安排表) as HTML, PDF, XLSX, CSV or ICS")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--by", choices=["unit", "person"], default="unit", help="a group per building or per person")
    p.add_argument("--unit", metavar="ID", help="only households under this unit")
    p.add_argument("--person", metavar="ID", help="only this person's obligations")
    p.add_argument("--format", choices=ROSTER_FORMATS, help="default: from the output file's suffix")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--redact",
        action="store_true",
        help="for posting: one neutral task for every line, addresses to the building, names reduced to 某",
    )
    p.add_argument("--font", metavar="PATH", help="PDF: a TrueType font (.ttf/.ttc) with every character needed")
    p.add_argument(
        "--as-of",
        dest="as_of",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="mark items met by records up to this day (default: the month's last day)",
    )
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument("-o", "--output", required=True, metavar="FILE")


def _report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="the supervisor's report: compliance month by month, as a page with heat maps")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM", help="the first month")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM", help="the last month")
    p.add_argument("--format", choices=["html", "pdf", "json", "csv"], help="default: from the output file's suffix")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--redact", action="store_true", help="leave out the rules of sensitive categories, everywhere")
    _add_limit(p, "flag a visitor's month with more than N obligations (default 60, as visits load)")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="the page (.html, .pdf) or the numbers (.json, .csv)")


def _links(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("links", help="check member-household links (3-5 each) and propose missing ones")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--min", type=positive_argument, default=3, metavar="N")
    p.add_argument("--max", type=positive_argument, default=5, metavar="N")
    p.add_argument(
        "--every-household",
        action="store_true",
        help="every household needs a link (default: those with an ongoing circumstance)",
    )
    p.add_argument("--propose", action="store_true", help="propose links for unlinked households")
    p.add_argument("-o", "--output", metavar="FILE.json", help="with --propose: write the community with the links")
    p.add_argument(
        "--rules",
        default="baibuting",
        metavar="NAME|PATH.toml",
        help=_RULES_HELP + " Its first linked role is the members' (Baibuting: party members).",
    )
    _add_lang(p)


def _teams(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("teams", help="list units whose team (Baibuting's 两长四员 of a building) has an empty seat")
    p.add_argument("community", metavar="COMMUNITY.json|.xlsx|.jsonl")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    _add_lang(p)
    p.add_argument("--format", choices=("text", "json"), default="text")


def _template(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("template", help="a blank community workbook (台账) with the rulebook's drop-down lists")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)


def _convert(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a community file between JSON, a workbook (.xlsx) and lines (.jsonl), losing nothing",
    )
    p.add_argument("input", metavar="IN.json|IN.xlsx|IN.jsonl")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xlsx|OUT.json|OUT.jsonl")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)


def _record(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("record", help="add the visits written on a filled-in XLSX roster to the community's records")
    p.add_argument("roster", metavar="ROSTER.xlsx")
    p.add_argument("--into", required=True, metavar="COMMUNITY.json|.xlsx", help="the community file to add them to")
    p.add_argument("--check", action="store_true", help="show what would be added; write nothing")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)


def _calendar(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("calendar", help="working days, holidays and festivals of a year, and where they come from")
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.add_argument("--calendar", metavar="PATH.toml", help=_CALENDAR_HELP)
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=_RULES_HELP)
    _add_lang(p)


def _demo(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="write a synthetic community shaped like Baibuting")
    p.add_argument("--households", type=positive_argument, default=40_000, metavar="N")
    p.add_argument("--seed", type=int, default=0, metavar="S")
    p.add_argument("--year", type=int, default=2026, metavar="YYYY")
    p.add_argument(
        "--with-visits",
        action="store_true",
        help="add a year of simulated visit records (most on time, some late or missing)",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.json")
