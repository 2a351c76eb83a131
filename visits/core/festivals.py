"""Festival dates: 春节, 中秋节, 重阳节 and the rest, from the ``borax`` package.

``borax`` (MIT, maintained) converts lunar dates and ships a library of
named festivals: lunar ones (春节, 元宵节, 端午节, 七夕, 中秋节, 重阳节, 腊八节,
除夕 as the last day of the lunar year), solar-term ones (清明, 冬至) and solar
ones (国庆节, 母亲节).  Any of them can anchor a :class:`visits.core.cadence.Festival`
window.  Its lunar tables cover 1901 to 2100.

In a year with a leap month (闰月), a lunar festival is kept in the ordinary
month only: 端午 2028 is 五月初五 (28 May), not 闰五月初五.

Pure: the festival table is package data, read once.
"""

from __future__ import annotations

import datetime as dt
import functools

from borax.calendars.festivals2 import FestivalLibrary, LunarFestival

__all__ = ["ALIASES", "FIRST_YEAR", "LAST_YEAR", "canonical", "dates", "known", "unknown"]

#: Festival dates are known for Gregorian years FIRST_YEAR..LAST_YEAR.
FIRST_YEAR = 1901
LAST_YEAR = 2100

#: Short or English names accepted for the festivals rulebooks use most.
ALIASES = {
    "中秋": "中秋节",
    "重阳": "重阳节",
    "端午": "端午节",
    "元宵": "元宵节",
    "腊八": "腊八节",
    "spring_festival": "春节",
    "new_years_eve": "除夕",
    "lantern": "元宵节",
    "dragon_boat": "端午节",
    "mid_autumn": "中秋节",
    "double_ninth": "重阳节",
}


@functools.cache
def _library() -> dict[str, object]:
    return {festival.name: festival for festival in FestivalLibrary.load_builtin()}


def known() -> list[str]:
    """The names of every festival the package can compute, in its own order."""
    return list(_library())


def canonical(name: str) -> str | None:
    """The package's name for ``name`` (an alias or the name itself), or None if unknown.

    >>> canonical("中秋"), canonical("重阳节"), canonical("mid_autumn"), canonical("春季")
    ('中秋节', '重阳节', '中秋节', None)
    """
    name = ALIASES.get(name, name)
    return name if name in _library() else None


def unknown(name: str) -> str:
    """The error message for a festival name that is not known."""
    return f"unknown festival {name!r}; known: {', '.join(known())}"


@functools.cache
def dates(name: str, year: int) -> tuple[dt.date, ...]:
    """The Gregorian dates of festival ``name`` in ``year``.

    Usually one; a lunar festival late in the lunar year (腊八节) can fall
    twice in one Gregorian year, or not at all.

    Raises ValueError for an unknown name or a year outside FIRST_YEAR..LAST_YEAR.

    >>> dates("春节", 2026), dates("中秋节", 2026), dates("重阳", 2026)
    ((datetime.date(2026, 2, 17),), (datetime.date(2026, 9, 25),), (datetime.date(2026, 10, 18),))
    """
    found = canonical(name)
    if found is None:
        raise ValueError(unknown(name))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"festival dates are known for {FIRST_YEAR}..{LAST_YEAR} only, not {year}")
    festival = _library()[found]
    days = festival.list_days(dt.date(year, 1, 1), dt.date(year, 12, 31))  # type: ignore[attr-defined]
    lunar = isinstance(festival, LunarFestival)
    return tuple(sorted({w.solar for w in days if not (lunar and w.lunar.leap)}))
