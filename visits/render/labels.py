"""Words for people: how a cadence is described in the rules table.

The core describes rules with codes and numbers; the words a person reads
about them are made here, at the edge.  (The roster's own words are still in
:mod:`visits.core.labels`; docs/architecture.md says where they are headed.)
"""

from __future__ import annotations

from visits.core.cadence import Cadence, Calendar, Festival, Interval, Once, Span

__all__ = ["describe"]


def describe(cadence: Cadence) -> str:
    """A short English description of a cadence.

    >>> from visits.core.periods import Period
    >>> describe(Calendar(period=Period.YEAR, within=(12, 12)))
    'yearly, month 12 of the year'
    >>> describe(Once(first_day=-30, last_day=-1))
    'once, days -30..-1 from start'
    """
    if isinstance(cadence, Calendar):
        text = {"week": "weekly (ISO week)", "half": "half-yearly"}.get(
            cadence.period.value, cadence.period.value + "ly"
        )
        if cadence.within is not None:
            first, last = cadence.within
            months = f"month {first}" if first == last else f"months {first}-{last}"
            text += f", {months} of the {cadence.period.value}"
        return text
    if isinstance(cadence, Interval):
        return f"every {cadence.every} {cadence.unit.value} from start"
    if isinstance(cadence, Once):
        if cadence.first_day == cadence.last_day:
            return f"once, day {cadence.first_day} from start"
        return f"once, days {cadence.first_day}..{cadence.last_day} from start"
    if isinstance(cadence, Span):
        return f"whole span (first {cadence.open_days} days while open)"
    if isinstance(cadence, Festival):
        names = " and ".join(cadence.festivals)
        first, last = cadence.first_day, cadence.last_day
        if last == -1 and first < 0:
            return f"the {-first} days before {names}"
        if first == last:
            return f"day {first} from {names}"
        return f"days {first}..{last} from {names}"
    if cadence.within_days == 0:
        return "same day"
    unit = "working day" if cadence.working_days else "day"
    return f"within {cadence.within_days} {unit}{'s' if cadence.within_days > 1 else ''}"
