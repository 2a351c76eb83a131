"""Working-day calendars from outside the library: China's official schedule.

The core takes a :class:`~visits.core.workdays.WorkCalendar` as an argument
and never reaches for one itself; the service layer passes :func:`china` when
the caller gives none.
"""

from __future__ import annotations

import functools

from visits.core.workdays import WorkCalendar

__all__ = ["china"]


@functools.cache
def china() -> WorkCalendar:
    """China's official calendar (国务院办公厅 holiday notices) from ``chinesecalendar``.

    The years it knows are the years its tables cover; any other year is
    Monday to Friday and provisional.
    """
    from chinese_calendar import constants

    def chinese(english: str) -> str:
        try:
            return str(constants.Holiday(english).chinese)
        except ValueError:
            return english

    off = tuple(sorted((d, chinese(n)) for d, n in constants.holidays.items()))
    work = tuple(sorted((d, chinese(n)) for d, n in constants.workdays.items()))
    years = frozenset(d.year for d, _ in off)
    version = _version("chinesecalendar")
    name = f"中国法定节假日 (chinesecalendar {version})"
    return WorkCalendar(name=name, years=years, off=off, work=work, statutory=True)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - installed with visits
        return "?"
