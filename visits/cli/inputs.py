"""What the commands read, all problems of all inputs reported at once, and the months they take."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from collections.abc import Callable

import attrs

from visits.cli.output import Attempts
from visits.core.community import Community, Horizon
from visits.core.errors import Problem, VisitsError
from visits.core.periods import ONE_DAY, Period, next_start
from visits.core.rules import Rulebook
from visits.core.workdays import WorkCalendar
from visits.io.calendars import china
from visits.io.files import load_calendar, load_community, load_rulebook

__all__ = ["Inputs", "month_horizon", "read_inputs", "work_calendar"]


@attrs.frozen
class Inputs:
    """What a command reads: the rulebook, the community, the horizon and the working-day calendar."""

    rulebook: Rulebook
    community: Community
    horizon: Horizon
    calendar: WorkCalendar | None


def work_calendar(path: str | None) -> WorkCalendar:
    """China's calendar, with the community's file if one is given."""
    return china() if path is None else china().with_file(load_calendar(path))


def read_inputs(args: argparse.Namespace, horizon: Callable[[], Horizon]) -> Inputs:
    """Load rulebook, community, calendar and horizon, reporting every problem of all of them at once."""
    community_path: str = args.community
    attempt = Attempts()
    rulebook = attempt(lambda: load_rulebook(args.rules))
    vocabulary = None if rulebook is None else rulebook.vocabulary
    community = attempt(lambda: load_community(community_path, vocabulary))
    calendar = attempt(lambda: work_calendar(args.calendar))
    span = attempt(horizon)
    if rulebook is None or community is None or span is None or calendar is None:
        raise attempt.error()
    # The loaded community lives until the command exits and never changes:
    # keep the garbage collector's full passes from walking it again and again
    # (measured on the 40,000-household demo's status: 2.1 s -> 1.8 s).
    gc.freeze()
    if rulebook.has_duties() and community.organisation is None:
        print(
            f"visits: warning: {rulebook.name} has units' duties, but {community_path} has no units: none planned",
            file=sys.stderr,
        )
    return Inputs(rulebook, community, span, calendar if rulebook.uses_working_days() else None)


def month_horizon(text: str, flag: str = "--month") -> Horizon:
    """The month ``text`` (YYYY-MM) as a horizon; ``flag`` names the option in the error."""
    try:
        if len(text) != 7:
            raise ValueError
        first = dt.date.fromisoformat(text + "-01")
    except ValueError:
        raise VisitsError([Problem(path=flag, message=f"not a month written YYYY-MM: {text!r}")]) from None
    return Horizon(start=first, end=next_start(Period.MONTH, first) - ONE_DAY)
