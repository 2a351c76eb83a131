"""The ``visits`` command line: a thin edge over the library.

Exit status: 0 on success, 1 when the input is invalid (one line per problem
on standard error, nothing written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import attrs

from visits.core import festivals
from visits.core.assign import Assigned, workload
from visits.core.cadence import describe
from visits.core.checks import MAX_DATE, MIN_DATE
from visits.core.community import Community, Horizon
from visits.core.errors import FieldProblems, OutputError, Problem, VisitsError
from visits.core.ledger import Report
from visits.core.links import apply_links, check_links, propose_links
from visits.core.periods import ONE_DAY, Period, next_start
from visits.core.planner import Obligation
from visits.core.rules import CategoryTrigger, Due, Rulebook, differences, gatherings_between
from visits.core.text import display_width, visible
from visits.core.workdays import WorkCalendar
from visits.io import serialise
from visits.io.calendars import china
from visits.io.convert import rulebook_to_dict
from visits.io.files import (
    load_calendar,
    load_community,
    load_rulebook,
    load_rulebook_and_base,
    output_problem,
    rulebook_to_toml,
    save_community,
    write_atomically,
)
from visits.io.serialise import safe_cell
from visits.render import formats
from visits.render.rosters import ROSTER_FORMATS, render_roster
from visits.service import assigned_plan, monthly_roster, plan, report_to_dict, status_report
from visits.testing import demo

__all__ = ["main"]

T = TypeVar("T")

_FORMATS: dict[str, Callable[[Iterable[Obligation | Assigned]], Iterator[str]]] = {
    "json": serialise.to_json,
    "jsonl": serialise.to_jsonl,
    "csv": serialise.to_csv,
}


class _UsageError(Exception):
    """A command-line usage problem (exit status 2)."""


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise argparse.ArgumentTypeError(f"{text} is outside the dates visits computes with ({MIN_DATE}..{MAX_DATE})")
    return day


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
    rules_help = "a built-in rulebook (baibuting, baibuting-festivals) or a TOML file (default: baibuting)"
    calendar_help = "a community calendar file (TOML): closures, extra working days, next year's schedule"

    p = sub.add_parser("plan", help="list the obligations of a community in a date range")
    p.add_argument("community", metavar="COMMUNITY.json")
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    p.add_argument("--calendar", metavar="PATH.toml", help=calendar_help)
    p.add_argument("--format", choices=sorted(_FORMATS), default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    r = sub.add_parser("rules", help="show a rulebook")
    r.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    r.add_argument("--format", choices=["table", "toml", "json"], default="table")

    w = sub.add_parser("load", help="each person's obligations in a month, flagging heavy loads")
    w.add_argument("community", metavar="COMMUNITY.json")
    w.add_argument("--month", required=True, metavar="YYYY-MM")
    w.add_argument(
        "--limit",
        type=_positive,
        default=60,
        metavar="N",
        help="flag people with more than N obligations open in the month (default 60)",
    )
    w.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    w.add_argument("--calendar", metavar="PATH.toml", help=calendar_help)
    w.add_argument("--format", choices=["table", "json"], default="table")

    t = sub.add_parser("status", help="compliance as of a date: met, due, overdue, missed")
    t.add_argument("community", metavar="COMMUNITY.json")
    t.add_argument("--as-of", dest="as_of", type=_date, required=True, metavar="YYYY-MM-DD")
    t.add_argument(
        "--from",
        dest="start",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day of obligations to report (default: 1 January of the --as-of year)",
    )
    t.add_argument(
        "--to",
        dest="end",
        type=_date,
        metavar="YYYY-MM-DD",
        help="last day of obligations to report (default: 31 December of the --as-of year)",
    )
    t.add_argument("--by", choices=["unit", "person", "rule"], default="rule")
    t.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    t.add_argument("--calendar", metavar="PATH.toml", help=calendar_help)
    t.add_argument("--format", choices=["table", "json", "csv"], default="table")

    o = sub.add_parser("roster", help="the monthly visit roster (月度走访安排表) as HTML, PDF, XLSX, CSV or ICS")
    o.add_argument("community", metavar="COMMUNITY.json")
    o.add_argument("--month", required=True, metavar="YYYY-MM")
    o.add_argument("--by", choices=["unit", "person"], default="unit", help="a group per building or per person")
    o.add_argument("--unit", metavar="ID", help="only households under this unit")
    o.add_argument("--person", metavar="ID", help="only this person's obligations")
    o.add_argument("--format", choices=ROSTER_FORMATS, help="default: from the output file's suffix")
    o.add_argument("--lang", choices=["zh", "en"], default="zh")
    o.add_argument(
        "--redact",
        action="store_true",
        help="for posting: one neutral task for every line, addresses to the building, names reduced to 某",
    )
    o.add_argument("--font", metavar="PATH", help="PDF: a TrueType font (.ttf/.ttc) with every character needed")
    o.add_argument(
        "--as-of",
        dest="as_of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="mark items met by records up to this day (default: the month's last day)",
    )
    o.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)
    o.add_argument("--calendar", metavar="PATH.toml", help=calendar_help)
    o.add_argument("-o", "--output", required=True, metavar="FILE")

    k = sub.add_parser("links", help="check member-household links (3-5 each) and propose missing ones")
    k.add_argument("community", metavar="COMMUNITY.json")
    k.add_argument("--min", type=_positive, default=3, metavar="N")
    k.add_argument("--max", type=_positive, default=5, metavar="N")
    k.add_argument(
        "--every-household",
        action="store_true",
        help="every household needs a link (default: those with an ongoing circumstance)",
    )
    k.add_argument("--propose", action="store_true", help="propose links for unlinked households")
    k.add_argument("-o", "--output", metavar="FILE.json", help="with --propose: write the community with the links")

    c = sub.add_parser("calendar", help="working days, holidays and festivals of a year, and where they come from")
    c.add_argument("--year", type=int, required=True, metavar="YYYY")
    c.add_argument("--calendar", metavar="PATH.toml", help=calendar_help)
    c.add_argument("--rules", default="baibuting", metavar="NAME|PATH.toml", help=rules_help)

    d = sub.add_parser("demo", help="write a synthetic community shaped like Baibuting")
    d.add_argument("--households", type=_positive, default=40_000, metavar="N")
    d.add_argument("--seed", type=int, default=0, metavar="S")
    d.add_argument("--year", type=int, default=2026, metavar="YYYY")
    d.add_argument(
        "--with-visits",
        action="store_true",
        help="add a year of simulated visit records (most on time, some late or missing)",
    )
    d.add_argument("-o", "--output", required=True, metavar="FILE.json")
    return parser


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like an interrupt, so that temporary files are removed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Interrupted (Ctrl-C, exit 130) or terminated (SIGTERM, exit 143), it
    removes any half-written file and says so in one line.
    """
    args = _parser().parse_args(argv)
    # Signal handlers can only be set in the main thread (a service may call main() from another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("visits: interrupted; nothing was written", file=sys.stderr)
        return 130
    except _Terminated:
        print("visits: terminated; nothing was written", file=sys.stderr)
        return 143
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        output = getattr(args, "output", None)
        problem = output_problem(output) if output else None
        if problem is not None:
            raise OutputError([Problem(path="", message=problem)], source=output)
        if args.command == "plan":
            return _plan(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "load":
            return _load(args)
        if args.command == "links":
            return _links(args)
        if args.command == "status":
            return _status(args)
        if args.command == "roster":
            return _roster(args)
        if args.command == "calendar":
            return _calendar(args)
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


#: Output for standard output is held in memory up to this size, then in a temporary file.
_SPOOL_BYTES = 32 << 20


def _emit(chunks: Iterable[str], output: str | None) -> None:
    """Write the output whole or not at all: to ``output`` atomically, or to stdout once it is complete.

    A problem found while the output is being produced (a festival window past
    the lunar tables, say) must not leave half a JSON array on standard
    output, so the text is spooled first (in memory, then on disk when large)
    and copied out only when every chunk has been made.
    """
    if output is not None:
        write_atomically(output, chunks, newline="")
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline="") as spool:
        for chunk in chunks:
            spool.write(chunk)
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout)
    sys.stdout.flush()


def _horizon(start: dt.date, end: dt.date) -> Horizon:
    try:
        return Horizon(start=start, end=end)
    except FieldProblems as exc:
        flags = {"start": "--from", "end": "--to"}
        raise VisitsError([Problem(path=flags[f], message=m) for f, m in exc.problems]) from None


@attrs.frozen
class _Inputs:
    rulebook: Rulebook
    community: Community
    horizon: Horizon
    calendar: WorkCalendar | None


def _work_calendar(path: str | None) -> WorkCalendar:
    """China's calendar, with the community's file if one is given."""
    return china() if path is None else china().with_file(load_calendar(path))


def _inputs(args: argparse.Namespace, horizon: Callable[[], Horizon]) -> _Inputs:
    """Load rulebook, community, calendar and horizon, reporting every problem of all of them at once."""
    community_path: str = args.community
    problems: list[str] = []

    def attempt(load: Callable[[], T]) -> T | None:
        try:
            return load()
        except VisitsError as exc:
            problems.extend(exc.lines())
            return None

    rulebook = attempt(lambda: load_rulebook(args.rules))
    community = attempt(lambda: load_community(community_path))
    calendar = attempt(lambda: _work_calendar(args.calendar))
    span = attempt(horizon)
    if rulebook is None or community is None or span is None or calendar is None:
        raise VisitsError([Problem(path="", message=line) for line in problems])
    # The loaded community lives until the command exits and never changes:
    # keep the garbage collector's full passes from walking it again and again
    # (measured on the 40,000-household demo's status: 2.1 s -> 1.8 s).
    gc.freeze()
    return _Inputs(rulebook, community, span, calendar if rulebook.uses_working_days() else None)


def _obligations(inputs: _Inputs) -> Iterator[Obligation | Assigned]:
    """The plan, assigned to people when the community has an organisation (else bare obligations).

    Obligations that rest on a provisional calendar are counted, and standard
    error says so once the plan is done.
    """
    community = inputs.community
    items: Iterator[Obligation | Assigned]
    if community.organisation is None:
        items = plan(inputs.rulebook, community.households, community.events, inputs.horizon, calendar=inputs.calendar)
    else:
        items = assigned_plan(inputs.rulebook, community, inputs.horizon, calendar=inputs.calendar)
    return _warn_provisional(items, inputs.calendar)


def _warn_provisional(items: Iterable[T], calendar: WorkCalendar | None) -> Iterator[T]:
    """The items, unchanged; once they are all through, a warning if some rest on a provisional calendar."""
    count, years = 0, set[int]()  # counted, not kept: a streamed plan may have millions
    for item in items:
        o = item.obligation if isinstance(item, Assigned) else item
        if isinstance(o, Obligation) and o.provisional:
            count += 1
            years.update((o.due.year, (o.adjustment.nominal if o.adjustment else o.due).year))
        yield item
    _provisional_warning(count, years, calendar)


def _provisional_warning(count: int, years: Iterable[int], calendar: WorkCalendar | None) -> None:
    """Say on stderr how many of the output's obligations assume Monday to Friday, and in which years."""
    if calendar is not None:
        years = {y for y in years if not calendar.is_official(y)}
    if count and calendar is not None:
        print(
            f"visits: warning: {calendar.name} has no official holiday schedule for "
            f"{', '.join(map(str, sorted(years)))}; {count} obligations assume Monday to Friday there "
            '(marked calendar: "provisional"). Add the schedule with --calendar when it is published.',
            file=sys.stderr,
        )


def _plan(args: argparse.Namespace) -> int:
    inputs = _inputs(args, lambda: _horizon(args.start, args.end))
    _emit(_FORMATS[args.format](_obligations(inputs)), args.output)
    return 0


def _month(text: str) -> Horizon:
    try:
        if len(text) != 7:
            raise ValueError
        first = dt.date.fromisoformat(text + "-01")
    except ValueError:
        raise VisitsError([Problem(path="--month", message=f"not a month written YYYY-MM: {text!r}")]) from None
    return Horizon(start=first, end=next_start(Period.MONTH, first) - ONE_DAY)


def _load(args: argparse.Namespace) -> int:
    inputs = _inputs(args, lambda: _month(args.month))
    community, month = inputs.community, inputs.horizon
    if community.organisation is None:
        message = "no organisation: the community file has no 'units' and 'people' sections"
        raise VisitsError([Problem(path="", message=message)], source=args.community)
    names = {p.id: p for p in community.organisation.people}
    assigned = [item for item in _obligations(inputs) if isinstance(item, Assigned)]
    open_count = workload(assigned)
    due_count = workload(a for a in assigned if month.start <= a.obligation.due <= month.end)
    rows = []
    for person_id, count in sorted(open_count.items(), key=lambda kv: (-kv[1], kv[0] or "")):
        if person_id is None:
            continue
        person = names[person_id]
        roles = ",".join(sorted({f"{q.role.value}@{q.unit}" for q in person.positions}))
        rows.append(
            {
                "person": person_id,
                "name": person.name,
                "positions": roles,
                "obligations": count,
                "due": due_count[person_id],
                "over_limit": count > args.limit,
            }
        )
    unassigned = open_count.get(None, 0)
    if args.format == "json":
        report = {"month": args.month, "limit": args.limit, "people": rows, "unassigned": unassigned}
        _emit([json.dumps(report, ensure_ascii=False, indent=1) + "\n"], None)
        return 0
    over = sum(1 for r in rows if r["over_limit"])
    lines = [
        f"{args.month}: {len(rows)} people with obligations; {over} over the limit of {args.limit}; "
        f"{unassigned} obligations with nobody to take them\n"
    ]
    header = ("person", "name", "obligations", "due", "", "positions")
    table = [header] + [
        (
            r["person"],
            r["name"],
            str(r["obligations"]),
            str(r["due"]),
            "OVER" if r["over_limit"] else "",
            r["positions"],
        )
        for r in rows
    ]
    lines += _aligned(table)
    _emit(lines, None)
    return 0


def _status(args: argparse.Namespace) -> int:
    as_of = args.as_of
    first = args.start or dt.date(as_of.year, 1, 1)
    last = args.end or dt.date(as_of.year, 12, 31)
    inputs = _inputs(args, lambda: _horizon(first, last))
    community = inputs.community
    report = status_report(inputs.rulebook, community, inputs.horizon, as_of, args.by, calendar=inputs.calendar)
    names = {p.id: p.name for p in community.organisation.people} if community.organisation else {}
    if args.format == "json":
        _emit([json.dumps(report_to_dict(report, names), ensure_ascii=False, indent=1) + "\n"], None)
    elif args.format == "csv":
        _emit(_report_csv(report), None)
    else:
        _emit(_report_table(report, names), None)
    return 0


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


_GROUP_COLUMNS = ("total", "due", "met_due", "overdue", "missed", "open", "upcoming", "met", "late", "cancelled")


def _report_table(report: Report, names: Mapping[str, str]) -> Iterator[str]:
    header = (report.by, *_GROUP_COLUMNS, "rate")
    rows = [header] + [
        (g.name, *(str(getattr(g, c)) for c in _GROUP_COLUMNS), _percent(g.rate))
        for g in (*report.groups, report.overall)
    ]
    yield f"status as of {report.as_of}: rate = met / due (obligations whose due date came before that day)\n"
    yield from _aligned(rows)
    yield f"\noverdue ({len(report.overdue)}):\n"
    for s in report.overdue:
        yield visible(f"  {s.obligation.key}  {s.assignee or '-'}  {s.explain('zh', names)}") + "\n"
    yield f"missed: {len(report.missed)} (see --format json for the list)\n"
    reasons = Counter(u.reason.value for u in report.unmatched)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "none"
    yield f"records that met nothing: {len(report.unmatched)} ({summary})\n"


def _report_csv(report: Report) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.by, *_GROUP_COLUMNS, "rate"])
    for g in (*report.groups, report.overall):
        rate = "" if g.rate is None else f"{g.rate:.4f}"
        writer.writerow([safe_cell(g.name), *(getattr(g, c) for c in _GROUP_COLUMNS), rate])
    yield buffer.getvalue()


def _roster(args: argparse.Namespace) -> int:
    created = _source_date()
    inputs = _inputs(args, lambda: _month(args.month))
    rulebook, community, month = inputs.rulebook, inputs.community, inputs.horizon
    problems = []
    units = {u.id for u in community.organisation.units} if community.organisation else set()
    people = {p.id for p in community.organisation.people} if community.organisation else set()
    if args.unit is not None and args.unit not in units:
        problems.append(Problem(path="--unit", message=f"unknown unit {args.unit!r}"))
    if args.person is not None and args.person not in people:
        problems.append(Problem(path="--person", message=f"unknown person {args.person!r}"))
    if problems:
        raise VisitsError(problems)
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in ROSTER_FORMATS:
        raise _UsageError(f"--format must be one of {', '.join(ROSTER_FORMATS)} (or use such a file suffix)")
    roster = monthly_roster(
        rulebook,
        community,
        month.start.year,
        month.start.month,
        by=args.by,
        unit=args.unit,
        person=args.person,
        language=args.lang,
        redact=args.redact,
        as_of=args.as_of,
        calendar=inputs.calendar,
    )
    data = render_roster(roster, fmt, font=args.font, created=created)
    write_atomically(args.output, data)
    lines = [line for group in roster.groups for line in group.lines if line.provisional]
    _provisional_warning(len(lines), {y for line in lines for y in (line.due.year, line.end.year)}, inputs.calendar)
    print(
        f"wrote {args.output}: {roster.title}, {len(roster.groups)} groups, {roster.lines} lines",
        file=sys.stderr,
    )
    return 0


def _source_date() -> dt.datetime:
    """The creation date for XLSX and PDF files: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else fixed."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return formats.FIXED_CREATED
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except (ValueError, OverflowError, OSError):
        message = f"must be a whole number of seconds since 1970-01-01, got {text[:40]!r}"
        raise VisitsError([Problem(path="SOURCE_DATE_EPOCH", message=message)]) from None


def _links(args: argparse.Namespace) -> int:
    community = load_community(args.community)
    if community.organisation is None:
        message = "no organisation: the community file has no 'units' and 'people' sections"
        raise VisitsError([Problem(path="", message=message)], source=args.community)
    if not 1 <= args.min <= args.max:
        raise _UsageError(f"--min and --max must satisfy 1 <= min <= max, got {args.min} and {args.max}")
    organisation, homes = community.organisation, community.households
    report = check_links(organisation, homes, args.min, args.max, args.every_household)
    out = [
        f"members (party members) outside {args.min}-{args.max} links: "
        f"{len(report.over)} over, {len(report.under)} under; "
        f"households needing a link without one: {len(report.unlinked)}\n"
    ]
    out += [f"over   {person}: {count} households\n" for person, count in report.over]
    out += [f"under  {person}: {count} households\n" for person, count in report.under]
    out += [f"unlinked  {household}\n" for household in report.unlinked]
    if args.propose:
        links, left = propose_links(organisation, homes, args.min, args.max, args.every_household)
        out.append(f"proposed links: {len(links)}; households left without a member with room: {len(left)}\n")
        out += [f"link  {link.person} -> {link.household}  (same {link.scope.value})\n" for link in links]
        out += [f"left  {household}\n" for household in left]
        if args.output:
            updated = attrs.evolve(community, organisation=apply_links(organisation, links))
            save_community(updated, args.output)
    _emit([visible(line.rstrip("\n")) + "\n" for line in out], None)
    return 0


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as text lines with columns aligned (Chinese characters count double; the last column is free)."""
    rows = [[visible(cell) for cell in row] for row in rows]  # no escape sequence or bidi override from the data
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(
            [*(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row[:-1])), row[-1]]
        ).rstrip()
        + "\n"
        for row in rows
    ]


def _rules_table(rulebook: Rulebook) -> Iterator[str]:
    header = ("rule", "trigger", "roles", "action", "cadence", "due", "source (* = a reading)")
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
                "working day" if rulebook.due_of(rule) is Due.LAST_WORKING_DAY else "window end",
                ("* " if rule.reading else "  ") + rule.source,
            )
        )
    based = f" (extends {rulebook.based_on})" if rulebook.based_on else ""
    yield f"{rulebook.name}{based}: {len(rulebook.rules)} rules, {len(rulebook.gatherings)} gatherings\n"
    yield from _aligned(rows)
    if rulebook.gatherings:
        yield "\ngatherings (community events, listed in rosters):\n"
        table = [("gathering", "festival", "day", "invites", "source (* = a reading)")]
        table += [
            (
                f"{g.id} {g.title}",
                g.festival,
                f"{g.day:+d}" if g.day else "on the day",
                ",".join(c.value for c in g.invites),
                ("* " if g.reading else "  ") + g.source,
            )
            for g in rulebook.gatherings
        ]
        yield from _aligned(table)


def _rules(args: argparse.Namespace) -> int:
    rulebook, base = load_rulebook_and_base(args.rules)
    if args.format == "toml":
        _emit([rulebook_to_toml(rulebook)], None)
    elif args.format == "json":
        _emit([json.dumps(rulebook_to_dict(rulebook), ensure_ascii=False, indent=2) + "\n"], None)
    else:
        _emit(_rules_table(rulebook), None)
        if base is not None:
            _emit(_differences(base, rulebook), None)
    return 0


def _differences(base: Rulebook, rulebook: Rulebook) -> Iterator[str]:
    changes = differences(base, rulebook)
    yield f"\ndifferences from {base.name} ({len(changes)}):\n"
    old_rules = {r.id: r for r in base.rules}
    for change in changes:
        yield f"  {change.kind} {change.what} {change.id}"
        if change.fields:
            yield f" ({', '.join(change.fields)})"
        yield "\n"
        if change.what == "rule" and change.kind == "changed" and "cadence" in change.fields:
            before, after = old_rules[change.id].cadence, rulebook.get(change.id).cadence
            yield f"    cadence: {describe(before)} -> {describe(after)}\n"


def _calendar(args: argparse.Namespace) -> int:
    year = args.year
    if not festivals.FIRST_YEAR <= year <= festivals.LAST_YEAR:
        raise _UsageError(f"--year must be between {festivals.FIRST_YEAR} and {festivals.LAST_YEAR}, got {year}")
    calendar = _work_calendar(args.calendar)
    rulebook = load_rulebook(args.rules)
    status = (
        "official"
        if calendar.is_official(year)
        else (
            "PROVISIONAL: no official schedule yet; statutory holidays as the national rules fix them, "
            "otherwise Monday to Friday (调休 unknown)"
        )
    )
    out = [f"{calendar.name}, {year}: {status}\n"]
    weekdays = "一二三四五六日"
    rows = [("date", "", "working", "source", "name")]
    for day in calendar.exceptions(year):
        working = "work" if day.working else "off"
        rows.append((day.date.isoformat(), f"周{weekdays[day.date.weekday()]}", working, day.source.value, day.name))
    if len(rows) > 1:
        out += _aligned(rows)
    else:
        out.append("no holidays or working weekend days known\n")
    anchors = {"春节", "中秋节", "重阳节"}
    anchors |= {name for rule in rulebook.rules for name in getattr(rule.cadence, "festivals", ())}
    anchors |= {g.festival for g in rulebook.gatherings}
    out.append("\nfestivals:\n")
    for name in festivals.known():
        if name in anchors:
            found = ", ".join(f"{d} 周{weekdays[d.weekday()]}" for d in festivals.dates(name, year))
            out.append(f"  {name}: {found}\n")
    held = gatherings_between(rulebook, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if held:
        out.append(f"\ngatherings ({rulebook.name}):\n")
        out += [f"  {day}  {g.title}\n" for g, day in held]
    _emit(out, None)
    return 0


def _demo(args: argparse.Namespace) -> int:
    if not 1901 <= args.year <= 2998:
        raise _UsageError(f"--year must be between 1901 and 2998, got {args.year}")
    community = demo.generate(args.households, seed=args.seed, year=args.year, with_visits=args.with_visits)
    save_community(community, args.output)
    shape = demo.shape_for(args.households)
    print(
        f"wrote {args.output}: {shape.households} households in {shape.buildings} buildings, "
        f"{shape.zones} zones, {shape.estates} estates; {len(community.events)} events in {args.year}"
        + (f", {len(community.visits)} visit records" if args.with_visits else ""),
        file=sys.stderr,
    )
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
