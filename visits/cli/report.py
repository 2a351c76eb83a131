"""``visits report``: the supervisor's page (HTML, or PDF printed by Chromium), or its numbers as JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from visits.cli.inputs import month_horizon, read_inputs
from visits.cli.output import emit
from visits.cli.parser import UsageError
from visits.core.community import Horizon
from visits.core.errors import OutputError, Problem
from visits.io.files import write_atomically
from visits.render.status_json import group_to_dict

if TYPE_CHECKING:
    from visits.core.supervision import Series, Supervision

__all__ = ["REPORT_FORMATS", "report_command"]

REPORT_FORMATS = ("html", "pdf", "json", "csv")
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def report_command(args: argparse.Namespace) -> int:
    from visits.supervising import report_names, supervision

    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "")
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(REPORT_FORMATS)} (or use such a file suffix)")
    if fmt in ("html", "pdf") and args.output is None:
        raise UsageError(f"the {fmt} page is a file: give -o FILE.{fmt}")

    def span() -> Horizon:
        first, last = month_horizon(args.start, "--from"), month_horizon(args.end, "--to")
        if first.start > last.start:
            raise UsageError(f"--from {args.start} is after --to {args.end}")
        return Horizon(start=first.start, end=last.end)

    inputs = read_inputs(args, span)
    horizon = inputs.horizon
    report = supervision(
        inputs.rulebook,
        inputs.community,
        horizon.start,
        horizon.end,
        calendar=inputs.calendar,
        redact=args.redact,
        limit=args.limit,
    )
    if fmt == "json":
        emit([json.dumps(report_to_dict(report), ensure_ascii=False, indent=1) + "\n"], args.output)
    elif fmt == "csv":
        emit(report_csv(report), args.output)
    else:
        from visits.render.report_page import report_html

        page = report_html(report, report_names(inputs.rulebook, inputs.community, args.lang), args.lang)
        write_atomically(args.output, page if fmt == "html" else print_pdf(page, args.output))
    return 0


def _series(series: Series) -> dict[str, Any]:
    return {"name": series.name, "months": [group_to_dict(g) for g in series.counts]}


def report_to_dict(report: Supervision) -> dict[str, Any]:
    """Every number of the page as JSON-ready data (groups by id; each month's counts as of its last day)."""
    return {
        "months": list(report.months),
        "as_of": [d.isoformat() for d in report.ends],
        "redacted": bool(report.hidden),
        "overall": _series(report.overall),
        "estates": [_series(s) for s in report.estates],
        "buildings": [{"estate": e, "buildings": [_series(s) for s in b]} for e, b in report.buildings],
        "rules": [_series(s) for s in report.rules],
        "people": [_series(s) for s in report.people],
        "quiet": [
            {"household": q.household, "building": q.building, "last": q.last.isoformat() if q.last else None}
            for q in report.quiet
        ],
        "streaks": [
            {"household": k.household, "building": k.building, "months": list(k.months)} for k in report.streaks
        ],
        "loads": [{"person": p.person, "assigned": list(p.assigned), "over": list(p.over)} for p in report.loads],
        "limit": report.limit,
        "covers": [
            {"substitute": c.substitute, "instead_of": c.instead_of, "role": c.role, "count": c.count}
            for c in report.covers
        ],
    }


_CSV_FIELDS = ("total", "due", "met", "met_due", "late", "overdue", "missed", "open", "upcoming", "cancelled")


def report_csv(report: Supervision) -> Iterator[str]:
    """The counts, one row per section, group and month: section,group,month,as_of,total,...,rate."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "group", "month", "as_of", *_CSV_FIELDS, "rate"))
    sections = [("overall", [report.overall]), ("estate", report.estates), ("rule", report.rules)]
    sections += [("person", report.people), ("building", [s for _, b in report.buildings for s in b])]
    for section, series in sections:
        for s in series:
            for month, day, g in zip(report.months, report.ends, s.counts, strict=True):
                rate = "" if g.rate is None else f"{g.rate:.4f}"
                writer.writerow((section, s.name, month, day.isoformat(), *(getattr(g, f) for f in _CSV_FIELDS), rate))
    yield out.getvalue()


def print_pdf(page: bytes, output: str) -> bytes:
    """The page printed to PDF by headless Chromium (the same page as the HTML, A4 landscape)."""
    browser = next((found for name in _BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        message = (
            f"a PDF report is printed by Chromium, and none was found ({', '.join(_BROWSERS)}); write .html instead"
        )
        raise OutputError([Problem(path="", message=message)], source=output)
    with tempfile.TemporaryDirectory() as folder:
        html, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        html.write_bytes(page)
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=300, check=False)
        if done.returncode != 0 or not pdf.exists():
            message = f"Chromium could not print the page (exit {done.returncode})"
            raise OutputError([Problem(path="", message=message)], source=output)
        return pdf.read_bytes()
