"""The commands of the ``visits`` command line, each a few lines over :mod:`visits.service`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from visits.cli.inputs import Inputs, month_horizon, read_inputs, work_calendar
from visits.cli.organisation import links_command, teams_command
from visits.cli.output import (
    aligned,
    emit,
    provisional_warning,
    report_csv,
    report_table,
    source_date,
    warn_provisional,
    write_report_parquet,
)
from visits.cli.parser import UsageError
from visits.cli.progress import progress_bar
from visits.cli.report import report_command
from visits.cli.rulebook_tables import differences_lines, rules_table
from visits.cli.streamed import is_lines_file, plan_parquet, plan_streamed
from visits.cli.workbooks import convert_command, record_command, template_command
from visits.core import festivals
from visits.core.assign import Assigned, workload
from visits.core.community import Horizon
from visits.core.errors import FieldProblems, Problem, VisitsError
from visits.core.planner import Obligation
from visits.core.rules import gatherings_between
from visits.io import serialise
from visits.io.convert import rulebook_to_dict
from visits.io.files import (
    load_rulebook,
    load_rulebook_and_base,
    rulebook_to_toml,
    save_community,
    write_atomically,
)
from visits.render.rosters import ROSTER_FORMATS, render_roster
from visits.service import Progress, assigned_plan, monthly_roster, plan, report_to_dict, status_report

__all__ = ["COMMANDS"]

T = TypeVar("T")


def _horizon(start: dt.date, end: dt.date) -> Horizon:
    try:
        return Horizon(start=start, end=end)
    except FieldProblems as exc:
        flags = {"start": "--from", "end": "--to"}
        raise VisitsError([Problem(path=flags[p.path], message=p.message) for p in exc.problems]) from None


def _obligations(inputs: Inputs, progress: Progress | None = None) -> Iterator[Obligation | Assigned]:
    """The plan, assigned to people when the community has an organisation (else bare obligations).

    Obligations that rest on a provisional calendar are counted, and standard
    error says so once the plan is done.
    """
    community, rulebook, horizon = inputs.community, inputs.rulebook, inputs.horizon
    items: Iterator[Obligation | Assigned]
    if community.organisation is None:
        items = plan(
            rulebook, community.households, community.events, horizon, calendar=inputs.calendar, progress=progress
        )
    else:
        items = assigned_plan(rulebook, community, horizon, calendar=inputs.calendar, progress=progress)
    return warn_provisional(items, inputs.calendar)


def _plan(args: argparse.Namespace) -> int:
    if args.format == "parquet" and args.output is None:
        raise UsageError("--format parquet writes a file: give -o FILE.parquet")
    if is_lines_file(args.community):  # read and planned a part at a time
        return plan_streamed(args, lambda: _horizon(args.start, args.end), work_calendar)
    inputs = read_inputs(args, lambda: _horizon(args.start, args.end))
    if args.format == "parquet":  # planned, assigned and written in columns: no object per row
        return plan_parquet(inputs.rulebook, inputs.community, inputs.horizon, inputs.calendar, args.output)
    with progress_bar("planning", "households") as progress:
        items = _obligations(inputs, progress)
        emit(serialise.written(args.format, items, units=inputs.rulebook.has_duties()), args.output)
    return 0


def _load(args: argparse.Namespace) -> int:
    inputs = read_inputs(args, lambda: month_horizon(args.month))
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
        roles = ",".join(sorted({f"{q.role}@{q.unit}" for q in person.positions}))
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
        emit([json.dumps(report, ensure_ascii=False, indent=1) + "\n"], None)
        return 0
    lines, header, flag = _load_words(args, rows, unassigned, inputs.rulebook.vocabulary.titles("roles", "zh"))
    table = [header] + [
        (
            str(r["person"]),
            str(r["name"]),
            str(r["obligations"]),
            str(r["due"]),
            flag if r["over_limit"] else "",
            str(r["positions"]),
        )
        for r in rows
    ]
    lines += aligned(table)
    emit(lines, None)
    return 0


def _load_words(
    args: argparse.Namespace, rows: list[dict[str, Any]], unassigned: int, titles: dict[str, str]
) -> tuple[list[str], tuple[str, ...], str]:
    """The heading, the column names and the over-the-limit flag of `visits load`; in Chinese, roles by title."""
    over = sum(1 for r in rows if r["over_limit"])
    if args.lang == "en":
        heading = (
            f"{args.month}: {len(rows)} people with obligations; {over} over the limit of {args.limit}; "
            f"{unassigned} obligations with nobody to take them\n"
        )
        return [heading], ("person", "name", "obligations", "due", "", "positions"), "OVER"
    for r in rows:
        held = (position.split("@", 1) for position in str(r["positions"]).split(",") if position)
        r["positions"] = "、".join(f"{titles.get(role, role)}@{unit}" for role, unit in held)
    heading = f"{args.month}：{len(rows)} 人有待办事项；{over} 人超过上限 {args.limit}；{unassigned} 项无人可接\n"
    return [heading], ("人员", "姓名", "待办", "本月到期", "", "职务"), "超限"


def _status(args: argparse.Namespace) -> int:
    as_of = args.as_of
    first = args.start or dt.date(as_of.year, 1, 1)
    last = args.end or dt.date(as_of.year, 12, 31)
    if args.format == "parquet" and args.output is None:
        raise UsageError("--format parquet writes a file: give -o FILE.parquet")
    inputs = read_inputs(args, lambda: _horizon(first, last))
    community = inputs.community
    with progress_bar("planning", "households") as progress:
        report = status_report(
            inputs.rulebook, community, inputs.horizon, as_of, args.by, calendar=inputs.calendar, progress=progress
        )
    names = {p.id: p.name for p in community.organisation.people} if community.organisation else {}
    if args.format == "json":
        emit([json.dumps(report_to_dict(report, names), ensure_ascii=False, indent=1) + "\n"], args.output)
    elif args.format == "csv":
        emit(report_csv(report), args.output)
    elif args.format == "parquet":
        write_report_parquet(report, args.output)
    else:
        emit(report_table(report, names, args.lang), args.output)
    return 0


def _roster(args: argparse.Namespace) -> int:
    created = source_date()
    inputs = read_inputs(args, lambda: month_horizon(args.month))
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
        raise UsageError(f"--format must be one of {', '.join(ROSTER_FORMATS)} (or use such a file suffix)")
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
    with progress_bar(f"writing {fmt.upper()}", "groups") as progress:
        data = render_roster(roster, fmt, font=args.font, created=created, progress=progress)
    write_atomically(args.output, data)
    lines = [line for group in roster.groups for line in group.lines if line.provisional]
    provisional_warning(len(lines), {y for line in lines for y in (line.due.year, line.end.year)}, inputs.calendar)
    print(
        f"wrote {args.output}: {roster.title}, {len(roster.groups)} groups, {roster.lines} lines",
        file=sys.stderr,
    )
    return 0


def _rules(args: argparse.Namespace) -> int:
    rulebook, base = load_rulebook_and_base(args.rules)
    if args.format == "toml":
        emit([rulebook_to_toml(rulebook)], None)
    elif args.format == "json":
        emit([json.dumps(rulebook_to_dict(rulebook), ensure_ascii=False, indent=2) + "\n"], None)
    else:
        emit(rules_table(rulebook, args.lang), None)
        if base is not None:
            emit(differences_lines(base, rulebook, args.lang), None)
    return 0


#: The words of `visits calendar`, by language.
_CALENDAR_WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "{name}, {year}: {status}\n",
        "official": "official",
        "provisional": "PROVISIONAL: no official schedule yet; statutory holidays as the national rules fix them, "
        "otherwise Monday to Friday (调休 unknown)",
        "columns": ("date", "", "working", "source", "name"),
        "work": "work",
        "off": "off",
        "none": "no holidays or working weekend days known\n",
        "festivals": "\nfestivals:\n",
        "gatherings": "\ngatherings ({name}):\n",
    },
    "zh": {
        "title": "{name}，{year} 年：{status}\n",
        "official": "正式安排",
        "provisional": "暂定：当年放假安排尚未公布；法定节假日按国家规定，其余按周一至周五（调休未知）",
        "columns": ("日期", "", "上班/休息", "来源", "名称"),
        "work": "上班",
        "off": "休息",
        "none": "没有已知的节假日或周末上班日\n",
        "festivals": "\n节日：\n",
        "gatherings": "\n社区活动（{name}）：\n",
    },
}
#: Where a day's status comes from, in Chinese.
_SOURCE_ZH = {"official": "国务院安排", "statutory": "法定节假日", "community": "社区", "provisional": "暂定"}


def _calendar(args: argparse.Namespace) -> int:
    year = args.year
    if not festivals.FIRST_YEAR <= year <= festivals.LAST_YEAR:
        raise UsageError(f"--year must be between {festivals.FIRST_YEAR} and {festivals.LAST_YEAR}, got {year}")
    calendar = work_calendar(args.calendar)
    rulebook = load_rulebook(args.rules)
    words = _CALENDAR_WORDS[args.lang]
    status = words["official"] if calendar.is_official(year) else words["provisional"]
    out = [words["title"].format(name=calendar.name, year=year, status=status)]
    weekdays = "一二三四五六日"
    rows = [words["columns"]]
    for day in calendar.exceptions(year):
        working = words["work"] if day.working else words["off"]
        source = day.source.value if args.lang == "en" else _SOURCE_ZH.get(day.source.value, day.source.value)
        rows.append((day.date.isoformat(), f"周{weekdays[day.date.weekday()]}", working, source, day.name))
    if len(rows) > 1:
        out += aligned(rows)
    else:
        out.append(words["none"])
    anchors = {"春节", "中秋节", "重阳节"}
    anchors |= {name for rule in rulebook.rules for name in getattr(rule.cadence, "festivals", ())}
    anchors |= {g.festival for g in rulebook.gatherings}
    out.append(words["festivals"])
    for name in festivals.known():
        if name in anchors:
            found = ", ".join(f"{d} 周{weekdays[d.weekday()]}" for d in festivals.dates(name, year))
            out.append(f"  {name}: {found}\n")
    held = gatherings_between(rulebook, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if held:
        out.append(words["gatherings"].format(name=rulebook.name))
        out += [f"  {day}  {g.title}\n" for g, day in held]
    emit(out, None)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from visits.testing import demo  # the demo generator, for this command only

    if not 1901 <= args.year <= 2998:
        raise UsageError(f"--year must be between 1901 and 2998, got {args.year}")
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


#: Each sub-command's function.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "plan": _plan,
    "rules": _rules,
    "load": _load,
    "links": links_command,
    "teams": teams_command,
    "template": template_command,
    "convert": convert_command,
    "record": record_command,
    "status": _status,
    "roster": _roster,
    "report": report_command,
    "calendar": _calendar,
    "demo": _demo,
}
