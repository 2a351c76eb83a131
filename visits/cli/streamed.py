"""`visits plan` of a lines file, a part at a time: memory holds one part of the households, not the community.

The output is made as the parts come and written where it can be discarded
(a temporary file beside ``-o``, or a spool for standard output), so that a
problem found on the last line still leaves nothing behind; every problem of
the file is reported, as for a whole file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from visits.cli.output import Attempts, emit, warn_provisional, warn_provisional_columns, write_columns_parquet
from visits.cli.progress import progress_bar
from visits.core.community import Community, Horizon
from visits.core.rules import Rulebook
from visits.core.workdays import WorkCalendar
from visits.io import serialise
from visits.io.files import load_rulebook
from visits.io.lines import is_lines

__all__ = ["is_lines_file", "plan_parquet", "plan_streamed"]

T = TypeVar("T")

#: Enough of a file's start to see a lines head's format (written first).
_PEEK = 4096


def is_lines_file(path: str) -> bool:
    """Whether ``path`` holds a community in the lines layout (by its content; False if it cannot be read)."""
    try:
        with Path(path).open("rb") as file:
            start = file.read(_PEEK)
    except OSError:
        return False
    return is_lines(start.decode("utf-8-sig", errors="replace"))


def plan_streamed(
    args: argparse.Namespace, horizon: Callable[[], Horizon], calendar_of: Callable[[str | None], WorkCalendar]
) -> int:
    """`visits plan FILE.jsonl`: the plan of a lines file, read and planned a part at a time."""
    from visits.io.streaming import stream_community
    from visits.scale import column_parts, plan_parts

    attempt = Attempts()
    rulebook = attempt(lambda: load_rulebook(args.rules))
    vocabulary = rulebook.vocabulary if rulebook is not None else None
    streamed = attempt(lambda: stream_community(args.community, vocabulary))
    calendar = attempt(lambda: calendar_of(args.calendar))
    span = attempt(horizon)
    if rulebook is None or streamed is None or calendar is None or span is None:
        raise attempt.error()
    head, parts = streamed
    if rulebook.has_duties() and head.organisation is None:
        message = f"{rulebook.name} has units' duties, but {args.community} has no units: none planned"
        print(f"visits: warning: {message}", file=sys.stderr)
    uses = calendar if rulebook.uses_working_days() else None
    with progress_bar("planning", "households") as progress:
        if args.format == "parquet":  # in columns, as plan_parquet
            batches = column_parts(rulebook, head, parts, span, calendar=uses, progress=progress)
            write_columns_parquet(warn_provisional_columns(batches, uses), args.output, units=rulebook.has_duties())
            return 0
        items = warn_provisional(plan_parts(rulebook, head, parts, span, calendar=uses, progress=progress), uses)
        emit(serialise.written(args.format, items, units=rulebook.has_duties()), args.output)
    return 0


def plan_parquet(
    rulebook: Rulebook, community: Community, horizon: Horizon, calendar: WorkCalendar | None, output: str
) -> int:
    """`visits plan --format parquet` of a whole file: planned, assigned and written in columns, no object per row.

    The rows are unassigned when the community has no organisation, as the
    other formats' are.
    """
    from visits.scale import planned_columns

    rows = planned_columns(rulebook, community, horizon, calendar=calendar, assigned=community.organisation is not None)
    write_columns_parquet(warn_provisional_columns([rows], calendar), output, units=rulebook.has_duties())
    return 0
