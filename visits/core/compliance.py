"""Compliance: the obligations of each group counted by state as of a day, and the rate met.

Pure.  One function counts (:func:`counted`, from one row per obligation);
:func:`compliance` feeds it the statuses of :func:`visits.core.ledger.statuses`,
and the status report of :mod:`visits.service` feeds it rows made without a
status for every obligation, which is faster for a whole community.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

import attrs

from visits.core.ledger import State, Status, Unmatched, past_due
from visits.core.vocabulary import ReportGrouping

__all__ = ["Group", "Report", "Row", "Tally", "compliance", "counted", "tallied"]


@attrs.frozen(kw_only=True)
class Group:
    """Counts for one group (a unit, a person or a rule).

    ``due`` counts obligations whose due date came before the report date
    (on its due day an obligation is still open); each of those is met,
    overdue or missed, so ``met_due + overdue + missed == due`` on every day,
    and ``rate`` is the met share of them.
    """

    name: str
    total: int = 0
    due: int = 0
    met: int = 0
    met_due: int = 0
    late: int = 0
    overdue: int = 0
    missed: int = 0
    open: int = 0
    upcoming: int = 0
    cancelled: int = 0

    @property
    def rate(self) -> float | None:
        """met_due / due, or None when nothing is due yet."""
        return self.met_due / self.due if self.due else None


@attrs.frozen(kw_only=True)
class Report:
    """A compliance report as data."""

    as_of: dt.date
    by: ReportGrouping
    groups: tuple[Group, ...]
    overall: Group
    overdue: tuple[Status, ...]
    missed: tuple[Status, ...]
    unmatched: tuple[Unmatched, ...]


class Tally:
    """Counts of one group, filled one obligation at a time."""

    _FIELDS = ("total", "due", "met", "met_due", "late", "overdue", "missed", "open", "upcoming", "cancelled")

    def __init__(self) -> None:
        self.counts = dict.fromkeys(self._FIELDS, 0)

    def add(self, state: State, is_due: bool, late: bool, n: int = 1) -> None:
        """Count ``n`` obligations in ``state``; ``is_due``: see :func:`past_due`."""
        counts = self.counts
        if state is State.CANCELLED:
            counts["cancelled"] += n
            return
        counts["total"] += n
        counts["due"] += n * is_due
        counts[state.value] += n
        if state is State.MET:
            counts["met_due"] += n * is_due
            counts["late"] += n * late

    def group(self, name: str) -> Group:
        """The counts as a :class:`Group`."""
        return Group(name=name, **self.counts)


#: One counted obligation: its group, its state, whether it is past due (:func:`past_due`), whether met late.
Row = tuple[str, State, bool, bool]


def compliance(
    found: Iterable[Status],
    as_of: dt.date,
    by: ReportGrouping,
    group_of: Callable[[Status], str],
    unmatched: Iterable[Unmatched] = (),
) -> Report:
    """Counts and rates per group, and the overdue and missed items (oldest due first)."""
    listed: list[Status] = []

    def rows() -> Iterator[Row]:
        for s in found:
            if s.state is State.OVERDUE or s.state is State.MISSED:
                listed.append(s)
            yield group_of(s), s.state, past_due(s.obligation, as_of), s.late

    return counted(rows(), listed, as_of, by, unmatched)


def counted(
    rows: Iterable[Row],
    listed: Iterable[Status],
    as_of: dt.date,
    by: ReportGrouping,
    unmatched: Iterable[Unmatched],
) -> Report:
    """The report from one :data:`Row` per obligation and the overdue and missed statuses.

    :func:`compliance` builds the rows from statuses; the status report
    builds them without a :class:`Status` for every obligation, which is
    faster for a whole community.  Either way the counting is this.
    """
    combinations = Counter(rows)  # drains ``rows`` before ``listed`` is read
    return tallied(combinations, listed, as_of, by, unmatched)


def tallied(
    combinations: Mapping[Row, int],
    listed: Iterable[Status],
    as_of: dt.date,
    by: ReportGrouping,
    unmatched: Iterable[Unmatched],
) -> Report:
    """The report from how many obligations share each :data:`Row`, as :func:`counted` counts them."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for (group, state, is_due, late), n in combinations.items():
        tallies[group].add(state, is_due, late, n)
        overall.add(state, is_due, late, n)
    ordered = sorted(listed, key=lambda s: (s.obligation.due, s.obligation.key))
    return Report(
        as_of=as_of,
        by=by,
        groups=tuple(tallies[name].group(name) for name in sorted(tallies)),
        overall=overall.group("all"),
        overdue=tuple(s for s in ordered if s.state is State.OVERDUE),
        missed=tuple(s for s in ordered if s.state is State.MISSED),
        unmatched=tuple(unmatched),
    )
