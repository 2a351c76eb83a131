"""Hypothesis strategies for cadences (re-exported by :mod:`visits.testing.strategies`)."""

from __future__ import annotations

from hypothesis import strategies as st

from visits.core import festivals
from visits.core.cadence import Cadence, Calendar, Festival, Interval, IntervalUnit, Once, Response, Span
from visits.core.errors import FieldProblems
from visits.core.periods import Period, months_in

__all__ = ["cadences", "calendar_cadences", "festival_cadences", "periodic_cadences"]


@st.composite
def periodic_cadences(draw: st.DrawFn) -> Calendar | Interval:
    """Cadences that cut a circumstance into consecutive windows (no ``within``)."""
    if draw(st.booleans()):
        return Calendar(period=draw(st.sampled_from(Period)))
    unit = draw(st.sampled_from(IntervalUnit))
    return Interval(every=draw(st.integers(1, 14 if unit is not IntervalUnit.MONTHS else 13)), unit=unit)


@st.composite
def calendar_cadences(draw: st.DrawFn) -> Calendar:
    """A calendar cadence of any period, sometimes only some months of it (``within``)."""
    period = draw(st.sampled_from(Period))
    size = months_in(period)
    if size and draw(st.booleans()):
        first = draw(st.integers(1, size))
        return Calendar(period=period, within=(first, draw(st.integers(first, size))))
    return Calendar(period=period)


@st.composite
def _once(draw: st.DrawFn) -> Once:
    first = draw(st.integers(-60, 60))
    return Once(first_day=first, last_day=draw(st.integers(first, first + 60)))


@st.composite
def festival_cadences(draw: st.DrawFn, names: tuple[str, ...] | None = None) -> Festival:
    """A window around one or two festivals (any the lunar package knows, unless ``names`` is given)."""
    pool = names or tuple(festivals.known())
    chosen = draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=2))
    first = draw(st.integers(-60, 30))
    last = draw(st.integers(first, first + 59))
    try:
        return Festival(festivals=tuple(chosen), first_day=first, last_day=last)
    except FieldProblems:  # two festivals whose windows would overlap: keep the first
        return Festival(festivals=(chosen[0],), first_day=first, last_day=last)


def cadences(events: bool = False) -> st.SearchStrategy[Cadence]:
    """Any circumstance cadence, or (``events=True``) an event response."""
    if events:
        return st.builds(Response, within_days=st.integers(0, 7), working_days=st.booleans())
    return st.one_of(
        calendar_cadences(),
        periodic_cadences(),
        _once(),
        st.builds(Span, open_days=st.integers(1, 90)),
        festival_cadences(),
    )
