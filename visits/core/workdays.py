"""Working-day calendars: which days people work, with China's 调休.

A :class:`WorkCalendar` is data: the years for which an official holiday
schedule is known, that schedule's days off and working weekend days (调休),
and a community's own closures and extra working days.  Outside the official
years it assumes Monday to Friday and says so: every answer that depended on
such a day is marked *provisional*.

:func:`visits.io.calendars.china` builds the default calendar from the
``chinesecalendar`` package (MIT; the State Council schedules from 2004,
updated when each year's notice is published).  It was chosen because it
raises for a year it has no data for instead of guessing; that is what lets
this module tell official from provisional.  A community file (:class:`CalendarFile`, loaded by
:func:`visits.io.files.load_calendar`) adds closures, extra working days, or a
whole year's schedule on the day it is published.

Everything here is pure: no clock, no files, no package's data.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable

import attrs

from visits.core.checks import range_problems
from visits.core.errors import raise_if
from visits.core.periods import ONE_DAY

__all__ = [
    "Adjustment",
    "CalendarFile",
    "Day",
    "DayRange",
    "DueReason",
    "OfficialYear",
    "Source",
    "WorkCalendar",
    "monday_to_friday",
    "statutory_holidays",
]

#: A range in a calendar file covers at most this many days.
MAX_RANGE_DAYS = 366


class Source(enum.StrEnum):
    """Where a day's status comes from."""

    OFFICIAL = "official"  # the published State Council schedule
    COMMUNITY = "community"  # the community's own closure or working day
    PROVISIONAL = "provisional"  # no schedule for the year: Monday to Friday assumed
    STATUTORY = "statutory"  # a holiday the national rules fix every year; the year's 调休 not yet published


class DueReason(enum.StrEnum):
    """Why a due date was adjusted."""

    HOLIDAY = "holiday"  # the day was an official holiday
    WEEKEND = "weekend"  # a Saturday or Sunday that is not a 调休 working day
    CLOSURE = "closure"  # the community closed that day
    NO_WORKING_DAY = "no_working_day"  # nothing in the window is a working day: left as it was


@attrs.frozen
class Day:
    """One day's status: working or not, from which source, and the holiday or closure name."""

    date: dt.date
    working: bool
    source: Source
    reason: DueReason | None = None  # why it is not a working day
    name: str = ""


@attrs.frozen(kw_only=True)
class Adjustment:
    """How a working-day rule changed (or could not change) a due date.

    ``nominal`` is the due date the cadence gives; ``reason`` and ``name`` say
    why that day was not kept (the holiday, the weekend, the closure), or
    :attr:`DueReason.NO_WORKING_DAY` when the due date stayed because the window
    has no working day.
    """

    nominal: dt.date
    reason: DueReason
    name: str = ""


@attrs.frozen(kw_only=True)
class DayRange:
    """Days ``start`` to ``end`` (inclusive; ``end`` defaults to ``start``) with a name."""

    start: dt.date
    end: dt.date = attrs.field()
    name: str = ""

    @end.default
    def _end(self) -> dt.date:
        return self.start

    def __attrs_post_init__(self) -> None:
        problems = range_problems(self.start, self.end)  # in 1900..2999, and end not before start
        if not problems and (self.end - self.start).days >= MAX_RANGE_DAYS:
            problems.append(("end", f"a range covers at most {MAX_RANGE_DAYS} days, got {self.start}..{self.end}"))
        raise_if(problems)

    def days(self) -> Iterable[dt.date]:
        """Every day of the range."""
        day = self.start
        while day <= self.end:
            yield day
            day += ONE_DAY


@attrs.frozen(kw_only=True)
class OfficialYear:
    """A year's official schedule: its days off and its working weekend days (调休).

    Weekdays not listed in ``off`` are working days; weekend days not listed in
    ``work`` are not.
    """

    year: int
    source: str = ""
    off: tuple[DayRange, ...] = ()
    work: tuple[DayRange, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems = []
        if not 1900 <= self.year <= 2999:
            problems.append(("year", f"must be a year (1900..2999), got {self.year}"))
        for field, ranges in (("off", self.off), ("work", self.work)):
            for i, r in enumerate(ranges):
                if r.start.year != self.year or r.end.year != self.year:
                    problems.append((f"{field}[{i}]", f"{r.start}..{r.end} is not in {self.year}"))
        off = {d for r in self.off for d in r.days()}
        both = sorted(d for r in self.work for d in r.days() if d in off)
        if both:
            problems.append(("work", f"{both[0]} is also listed as a day off"))
        raise_if(problems)


@attrs.frozen(kw_only=True)
class CalendarFile:
    """A community's calendar file: closures, extra working days, and official years.

    ``years`` adds (or replaces) whole official schedules, for a year the
    package does not know yet.  ``closed`` and ``open`` override everything
    else, for this community only.
    """

    name: str = ""
    years: tuple[OfficialYear, ...] = ()
    closed: tuple[DayRange, ...] = ()
    open: tuple[DayRange, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems = []
        seen: dict[int, int] = {}
        for i, year in enumerate(self.years):
            if year.year in seen:
                problems.append((f"years[{i}].year", f"{year.year} is also years[{seen[year.year]}]"))
            seen.setdefault(year.year, i)
        closed = {d for r in self.closed for d in r.days()}
        for i, r in enumerate(self.open):
            clash = next((d for d in r.days() if d in closed), None)
            if clash is not None:
                problems.append((f"open[{i}]", f"{clash} is also listed as closed"))
        raise_if(problems)


@attrs.frozen(kw_only=True)
class WorkCalendar:
    """Which days are working days.

    Build one with :func:`visits.io.calendars.china` (the default) or :func:`monday_to_friday`,
    and add a community's file with :meth:`with_file`.  ``years`` are the
    years with an official schedule; ``off`` and ``work`` that schedule's days
    off and working weekend days; ``closed`` and ``open`` the community's own.
    """

    name: str
    years: frozenset[int] = frozenset()
    off: tuple[tuple[dt.date, str], ...] = ()
    work: tuple[tuple[dt.date, str], ...] = ()
    closed: tuple[tuple[dt.date, str], ...] = ()
    open: tuple[tuple[dt.date, str], ...] = ()
    statutory: bool = False
    _table: dict[dt.date, Day] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _fixed: dict[int, dict[dt.date, Day]] = attrs.field(init=False, eq=False, repr=False, hash=False)
    #: Answers of :meth:`last_working_day` (a calendar never changes, so neither do they).
    _searched: dict[tuple[dt.date, dt.date], tuple[dt.date, Adjustment | None, bool]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        table: dict[dt.date, Day] = {}
        for day, name in self.off:
            table[day] = Day(day, False, Source.OFFICIAL, DueReason.HOLIDAY, name)
        for day, name in self.work:
            table[day] = Day(day, True, Source.OFFICIAL, None, name)
        for day, name in self.closed:
            table[day] = Day(day, False, Source.COMMUNITY, DueReason.CLOSURE, name)
        for day, name in self.open:
            table[day] = Day(day, True, Source.COMMUNITY, None, name)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_fixed", {})
        object.__setattr__(self, "_searched", {})

    def _known(self, date: dt.date) -> Day | None:
        """The day's status if some source fixes it: the schedule, the community, or the statutory rules."""
        found = self._table.get(date)
        if found is not None or not self.statutory or date.year in self.years:
            return found
        fixed = self._fixed.get(date.year)
        if fixed is None:
            fixed = self._fixed[date.year] = {
                day: Day(day, False, Source.STATUTORY, DueReason.HOLIDAY, name)
                for day, name in statutory_holidays(date.year)
            }
        return fixed.get(date)

    def day(self, date: dt.date) -> Day:
        """The status of ``date``."""
        found = self._known(date)
        if found is not None:
            return found
        source = Source.OFFICIAL if date.year in self.years else Source.PROVISIONAL
        if date.weekday() >= 5:
            return Day(date, False, source, DueReason.WEEKEND)
        return Day(date, True, source)

    def is_working(self, date: dt.date) -> bool:
        """Whether people work on ``date``."""
        found = self._known(date)
        return found.working if found is not None else date.weekday() < 5

    def is_official(self, year: int) -> bool:
        """Whether ``year`` has an official schedule (otherwise Monday to Friday is assumed)."""
        return year in self.years

    def is_provisional(self, date: dt.date) -> bool:
        """Whether ``date``'s status is assumed (no schedule for its year, no community entry, no statutory holiday)."""
        return date.year not in self.years and self._known(date) is None

    def last_working_day(self, first: dt.date, last: dt.date) -> tuple[dt.date, Adjustment | None, bool]:
        """The last working day of ``first..last``, how it differs from ``last``, and whether it is provisional.

        With no working day in the range, ``last`` is kept and the adjustment
        says :attr:`DueReason.NO_WORKING_DAY`.
        """
        found = self._searched.get((first, last))
        if found is None:
            found = self._searched[first, last] = self._search(first, last)
        return found

    def _search(self, first: dt.date, last: dt.date) -> tuple[dt.date, Adjustment | None, bool]:
        day = last
        provisional = False
        while day >= first:
            provisional = provisional or self.is_provisional(day)
            if self.is_working(day):
                if day == last:
                    return day, None, provisional
                status = self.day(last)
                assert status.reason is not None
                return day, Adjustment(nominal=last, reason=status.reason, name=status.name), provisional
            day -= ONE_DAY
        return last, Adjustment(nominal=last, reason=DueReason.NO_WORKING_DAY), provisional

    def add_working_days(self, date: dt.date, count: int) -> tuple[dt.date, bool]:
        """The ``count``-th working day after ``date`` (``date`` itself for 0), and whether it is provisional."""
        day = date
        provisional = False
        for _ in range(count):
            day += ONE_DAY
            provisional = provisional or self.is_provisional(day)
            while not self.is_working(day):
                day += ONE_DAY
                provisional = provisional or self.is_provisional(day)
        return day, provisional

    def with_file(self, file: CalendarFile) -> WorkCalendar:
        """This calendar with a community file's years, closures and working days added.

        A year in the file replaces the calendar's schedule for that year.
        """
        replaced = {y.year for y in file.years}
        off = [(d, n) for d, n in self.off if d.year not in replaced]
        work = [(d, n) for d, n in self.work if d.year not in replaced]
        for year in file.years:
            off.extend((d, r.name) for r in year.off for d in r.days())
            work.extend((d, r.name) for r in year.work for d in r.days())
        name = f"{self.name} + {file.name}" if file.name else self.name
        return WorkCalendar(
            name=name,
            years=self.years | replaced,
            off=tuple(sorted(off)),
            work=tuple(sorted(work)),
            closed=tuple(sorted({*self.closed, *((d, r.name) for r in file.closed for d in r.days())})),
            open=tuple(sorted({*self.open, *((d, r.name) for r in file.open for d in r.days())})),
            statutory=self.statutory,
        )

    def up_to(self, year: int) -> WorkCalendar:
        """This calendar as it was before any schedule after ``year`` was published.

        Later official years become provisional again (community entries stay).
        Use it to reproduce a plan made earlier, or to keep a test stable when
        the package learns a new year.
        """
        return attrs.evolve(
            self,
            years=frozenset(y for y in self.years if y <= year),
            off=tuple(x for x in self.off if x[0].year <= year),
            work=tuple(x for x in self.work if x[0].year <= year),
        )

    def exceptions(self, year: int) -> list[Day]:
        """Every day of ``year`` that differs from Monday to Friday, in date order."""
        fixed = set(self._table)
        if self.statutory and year not in self.years:
            fixed.update(day for day, _ in statutory_holidays(year))
        return [self.day(d) for d in sorted(fixed) if d.year == year and self.is_working(d) == (d.weekday() >= 5)]


def monday_to_friday(name: str = "Monday to Friday") -> WorkCalendar:
    """A calendar with no official schedule at all: every answer is provisional."""
    return WorkCalendar(name=name)


@functools.cache
def statutory_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    """The days off China's national holiday rules fix for ``year`` before its schedule is published.

    《全国年节及纪念日放假办法》 names the holidays and their length; each
    year's notice then adds bridging days and swapped weekends (调休), which
    cannot be known in advance.  Fixed by date: 元旦 (1 January), 劳动节 (1 May;
    1-2 May from 2025), 国庆节 (1-3 October).  Fixed by the lunar calendar or
    the solar terms: 春节 (除夕 and 正月初一-初二 in 2008-2013, 初一-初三 in
    2014-2024, 除夕 and 初一-初三 from 2025), 清明, 端午, 中秋.  Years before
    2008 (other rules) or after 2100 (beyond the lunar tables) have none.

    >>> [f"{d:%m-%d} {n}" for d, n in statutory_holidays(2027)][:6]
    ['01-01 元旦', '02-05 春节', '02-06 春节', '02-07 春节', '02-08 春节', '04-05 清明']
    """
    from visits.core import festivals

    if not 2008 <= year <= festivals.LAST_YEAR:
        return ()
    spring = festivals.dates("春节", year)[0]
    eve = spring - ONE_DAY
    if year <= 2013:
        spring_days = [eve, spring, spring + ONE_DAY]
    elif year <= 2024:
        spring_days = [spring + dt.timedelta(days=n) for n in range(3)]
    else:
        spring_days = [eve, *(spring + dt.timedelta(days=n) for n in range(3))]
    days = [(dt.date(year, 1, 1), "元旦")]
    days += [(day, "春节") for day in spring_days]
    days += [(festivals.dates("清明", year)[0], "清明")]
    days += [(dt.date(year, 5, n), "劳动节") for n in ((1, 2) if year >= 2025 else (1,))]
    days += [(festivals.dates("端午节", year)[0], "端午"), (festivals.dates("中秋节", year)[0], "中秋")]
    days += [(dt.date(year, 10, n), "国庆节") for n in (1, 2, 3)]
    return tuple(sorted(days))
