"""The community's facts: households, circumstances, events, visit records, and the plan horizon.

All objects are frozen attrs classes that check themselves when built, so an
invalid household cannot exist.  The checks report every problem of an object
at once (see :class:`visits.core.errors.FieldProblems`).
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping

import attrs
from dateutil.relativedelta import relativedelta

from visits.core.checks import MAX_DATE, date_problems, id_problems, line_problems, range_problems
from visits.core.errors import raise_if
from visits.core.organisation import Organisation

__all__ = [
    "MAX_HORIZON_YEARS",
    "Circumstance",
    "Community",
    "Event",
    "Horizon",
    "Household",
    "Visit",
]

#: A plan horizon longer than this is almost certainly a typo (2206 for 2026).
MAX_HORIZON_YEARS = 100


@attrs.frozen(kw_only=True)
class Circumstance:
    """A household is in ``category`` (an id of the rulebook's vocabulary) from ``start`` to ``end`` inclusive.

    ``end = None``: still.  The start is the circumstance's anchor: in
    Baibuting's rulebook, the release date for ``released`` and the
    admission for ``hospitalized`` (the circumstance is the hospital stay).
    """

    category: str
    start: dt.date
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        raise_if(range_problems(self.start, self.end))

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies inside the circumstance."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Circumstance) -> bool:
        """Whether the two date intervals share a day."""
        a_end = self.end or MAX_DATE
        b_end = other.end or MAX_DATE
        return self.start <= b_end and other.start <= a_end


@attrs.frozen(kw_only=True)
class Household:
    """A household and its circumstances (at most one of a category at any day)."""

    id: str
    circumstances: tuple[Circumstance, ...] = ()
    building: str | None = None
    name: str = ""
    address: str = ""

    def __attrs_post_init__(self) -> None:
        problems = id_problems("id", self.id) + line_problems(("name", self.name), ("address", self.address))
        if self.building is not None:
            problems += id_problems("building", self.building)
        for j, c in enumerate(self.circumstances):
            for i in range(j):
                other = self.circumstances[i]
                if other.category == c.category and other.overlaps(c):
                    problems.append(
                        (
                            f"circumstances[{j}]",
                            f"overlaps circumstances[{i}] of the same category "
                            f"{c.category!r} ({_span(other)} and {_span(c)})",
                        )
                    )
        raise_if(problems)


def _span(c: Circumstance) -> str:
    return f"{c.start}..{c.end if c.end is not None else 'open'}"


@attrs.frozen(kw_only=True)
class Event:
    """Something happened at a household that obliges someone to arrive (三必到).

    ``kind`` and ``severity`` are ids of the rulebook's vocabulary; an event
    without a severity is taken up only by rules that do not ask for one.
    """

    id: str
    household: str
    kind: str
    date: dt.date
    severity: str | None = None

    def __attrs_post_init__(self) -> None:
        raise_if(
            id_problems("id", self.id) + id_problems("household", self.household) + date_problems("date", self.date)
        )


@attrs.frozen(kw_only=True)
class Horizon:
    """The inclusive date range a plan covers.

    Obligations whose window overlaps the horizon are planned; their windows
    are not cut to it.
    """

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        problems = range_problems(self.start, self.end)
        if problems:
            raise_if(problems)
        limit: dt.date = self.start + relativedelta(years=MAX_HORIZON_YEARS)
        if self.start <= self.end and self.end >= limit:
            problems.append(("end", f"horizon longer than {MAX_HORIZON_YEARS} years ({self.start}..{self.end})"))
        raise_if(problems)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the inclusive range ``start..end`` shares a day with the horizon."""
        return start <= self.end and self.start <= end


@attrs.frozen(kw_only=True)
class Visit:
    """A record that ``person`` did ``action`` at ``household`` on ``date``.

    A record of a unit's duty (a meeting held, a report given) names the
    ``unit`` instead; exactly one of the two is given.
    """

    id: str
    household: str | None = None
    person: str
    date: dt.date
    action: str
    note: str = ""
    unit: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = id_problems("id", self.id) + id_problems("person", self.person) + date_problems("date", self.date)
        if self.household is None and self.unit is None:
            problems.append(
                ("household", "missing: a record names the household visited (or the unit, for a unit's duty)")
            )
        elif self.household is not None and self.unit is not None:
            problems.append(("unit", f"a record names a household or a unit, not both (household {self.household!r})"))
        for field in ("household", "unit"):
            value = getattr(self, field)
            if value is not None:
                problems += id_problems(field, value)
        raise_if(problems)

    @property
    def subject(self) -> str:
        """The id of the household visited, or of the unit whose duty the record meets."""
        return self.household if self.household is not None else str(self.unit)


def _frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return types.MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Community:
    """The contents of a community file.

    ``organisation`` holds the ``units`` and ``people`` sections, if given;
    ``visits`` the visit records.  ``sections`` keeps the top-level sections
    this version does not use untouched, so that a file read and written again loses
    nothing.
    """

    households: tuple[Household, ...]
    events: tuple[Event, ...] = ()
    organisation: Organisation | None = None
    visits: tuple[Visit, ...] = ()
    sections: Mapping[str, object] = attrs.field(factory=dict, converter=_frozen_mapping, eq=False, hash=False)
