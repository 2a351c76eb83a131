"""The status report over columns: what is owed and what was cancelled in one planning pass, counted with numpy.

:func:`visits.core.ledger.cancelled` finds the obligations a circumstance's
end removed by planning the ended circumstances a second time, each as if it
had gone on.  Here those circumstances ride along in the one planning pass:
:func:`with_ended` appends them to the household table as households of
their own (repeating their household's id), and :func:`split` parts the rows
again into the plan and the cancelled.  The report is then counted from
state codes per row (:func:`report`), with a :class:`~visits.core.ledger.Status`
built only for the overdue and missed items it lists.  The property tests
hold all three equal to the object path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from visits.core.columnar import EPOCH, OPEN_END, HouseholdTable, PlanColumns
from visits.core.columnar_assign import AssignmentColumns
from visits.core.columnar_match import DAYS, MatchColumns, take_rows
from visits.core.compliance import Report, Row, tallied
from visits.core.ledger import State, Status
from visits.core.rules import CategoryTrigger
from visits.core.vocabulary import ReportGrouping

__all__ = ["STATES", "Extended", "groups_of", "met_days", "report", "row_states", "split", "with_ended"]

Ints = npt.NDArray[np.int64]
#: The states in the order of their codes.
STATES = (State.UPCOMING, State.OPEN, State.MET, State.OVERDUE, State.MISSED, State.CANCELLED)


@attrs.frozen(eq=False)
class Extended:
    """A household table followed by its ended circumstances, each as if it had gone on, as households of their own.

    The first ``real`` ids of ``table`` are the original households; after
    them come those with an ended circumstance again, each holding only its
    ended circumstances, extended to the day before the next one of the
    category began (or open), which is what
    :func:`~visits.core.ledger.cancelled` plans.  ``ended`` maps each of
    those circumstances, by :func:`_code` of its (table position, category,
    start), to the day it really ended.
    """

    table: HouseholdTable
    real: int
    homes: Ints  # the table position of each appended household's original
    codes: Ints  # sorted
    ended: Ints  # the real end of the circumstance of each code


def _code(household: Ints, category: Ints, start: Ints, categories: int) -> Ints:
    return (household * max(categories, 1) + category) * DAYS + start + EPOCH


def with_ended(table: HouseholdTable) -> Extended:
    """The table with its ended circumstances appended as households that repeat their ids (see :class:`Extended`)."""
    closed = np.flatnonzero(~table.c_open)
    household, category = table.c_household[closed], table.c_category[closed]
    after = closed + 1
    has_next = after < len(table.c_start)
    later = np.zeros(len(closed), dtype=bool)
    later[has_next] = (table.c_household[after[has_next]] == household[has_next]) & (
        table.c_category[after[has_next]] == category[has_next]
    )
    following = table.c_start[np.minimum(after, max(len(table.c_start) - 1, 0))]
    extended_end = np.where(later, following - 1, OPEN_END)
    homes, rank = np.unique(household, return_inverse=True)
    real = len(table.ids)
    ghosts = HouseholdTable(
        ids=table.ids + tuple(table.ids[h] for h in homes.tolist()),
        categories=table.categories,
        c_household=np.concatenate([table.c_household, real + rank]),
        c_category=np.concatenate([table.c_category, category]),
        c_start=np.concatenate([table.c_start, table.c_start[closed]]),
        c_end=np.concatenate([table.c_end, extended_end]),
        c_open=np.concatenate([table.c_open, ~later]),
        events=table.events,
        e_household=table.e_household,
        e_date=table.e_date,
        event_kinds=table.event_kinds,
        e_kind=table.e_kind,
    )
    codes = _code(real + rank, category, table.c_start[closed], len(table.categories))
    order = np.argsort(codes)
    return Extended(table=ghosts, real=real, homes=homes, codes=codes[order], ended=table.c_end[closed][order])


def split(plan: PlanColumns, extended: Extended) -> tuple[PlanColumns, PlanColumns, Ints]:
    """A plan of ``extended.table`` parted: the plan itself, the cancelled rows, and when their circumstances ended.

    A row of an extended circumstance is cancelled when its window starts after
    the circumstance really ended.  :func:`~visits.core.ledger.cancelled` also
    asks that the plan has no row of its key; here that cannot happen: a key
    names the circumstance (by its start) and the period, and the plan's row
    of the same period starts on the same day (periods, intervals and
    festivals are cut by the circumstance's start, not its end; a once-window
    before its start is floored at the day after the previous one ended, and
    that day is no later than the start).
    """
    boundary = plan.unit_count + extended.real
    own = plan.subject < boundary
    actual = take_rows(plan, np.flatnonzero(own), subjects=boundary)
    rows = np.flatnonzero(~own)
    categories = extended.table.categories
    category_of = np.array(
        [
            categories.index(r.trigger.category)
            if isinstance(r.trigger, CategoryTrigger) and r.trigger.category in categories
            else -1
            for r in plan.rulebook.rules
        ],
        dtype=np.int64,
    )
    anchor = plan.anchor[rows].astype(np.int64)
    code = _code(plan.subject[rows] - plan.unit_count, category_of[plan.rule[rows]], anchor, len(categories))
    ended = extended.ended[np.searchsorted(extended.codes, code)]
    late = plan.start[rows].astype(np.int64) > ended
    return actual, take_rows(plan, rows[late]), ended[late]


def report(
    assignment: AssignmentColumns,
    matching: MatchColumns,
    cancelled: PlanColumns,
    as_of: dt.date,
    by: ReportGrouping,
    estates: tuple[Mapping[str, str], Mapping[str, str]],
) -> Report:
    """The compliance report of the assigned, matched rows and the cancelled ones, as of ``as_of``.

    ``matching`` holds only records dated on or before ``as_of``.  ``estates``
    maps each household, and each unit, to the unit it is grouped under by
    ``unit`` (missing: ``(no unit)``).
    """
    plan = assignment.plan
    state, is_due, late = row_states(plan, matching, as_of)
    names, group = groups_of(assignment, by, estates)
    gone_names, gone_group = groups_of(AssignmentColumns.unassigned(cancelled), by, estates)
    count: dict[Row, int] = {}
    _count(count, names, group, state, is_due, late)
    nothing = np.zeros(len(cancelled), dtype=bool)
    _count(count, gone_names, gone_group, np.full(len(cancelled), STATES.index(State.CANCELLED)), nothing, nothing)
    return tallied(count, _listed(assignment, state, as_of), as_of, by, matching.unmatched)


def met_days(matching: MatchColumns) -> npt.NDArray[np.datetime64]:
    """Each row's day it was met (any day for a row not met): what :func:`row_states` compares."""
    dates = matching.days if len(matching.days) else np.zeros(1, dtype=np.int64)
    on: npt.NDArray[np.datetime64] = dates[np.maximum(matching.met, 0)].astype("datetime64[D]")
    return on


def row_states(
    plan: PlanColumns, matching: MatchColumns, as_of: dt.date, on: npt.NDArray[np.datetime64] | None = None
) -> tuple[Ints, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Each row's state as of ``as_of`` (an index into :data:`STATES`), whether past due, whether met late.

    Only records dated on or before ``as_of`` count; ``matching`` may hold
    later ones too (records are matched in date order, so they change nothing
    before their day).  ``on`` may pass :func:`met_days` already found.
    """
    day = np.datetime64(as_of, "D")
    on = met_days(matching) if on is None else on
    met = (matching.met >= 0) & (on <= day)
    code = [STATES.index(s) for s in (State.MET, State.UPCOMING, State.OPEN, State.OVERDUE, State.MISSED)]
    state = np.select([met, day < plan.start, day <= plan.due, day <= plan.end], code[:4], code[4])
    return state, plan.due < day, met & (on > plan.due)


def _count(
    into: dict[Row, int],
    names: Sequence[str],
    group: Ints,
    state: Ints,
    is_due: npt.NDArray[np.bool_],
    late: npt.NDArray[np.bool_],
) -> None:
    """Add how many rows share each (group, state, past due, late)."""
    code = ((group * len(STATES) + state) * 2 + is_due) * 2 + late
    distinct, counts = np.unique(code, return_counts=True)
    for c, n in zip(distinct.tolist(), counts.tolist(), strict=True):
        row = (names[c // (4 * len(STATES))], STATES[c // 4 % len(STATES)], bool(c // 2 % 2), bool(c % 2))
        into[row] = into.get(row, 0) + n


def groups_of(
    assignment: AssignmentColumns, by: ReportGrouping, estates: tuple[Mapping[str, str], Mapping[str, str]]
) -> tuple[list[str], Ints]:
    """The names of the groups, and each row's group among them (a row with no assignment is nobody's)."""
    plan = assignment.plan
    if by == "rule":
        return [r.id for r in plan.rulebook.rules], plan.rule
    if by == "person":
        people = [a.assignee or "(nobody)" for a in assignment.choices] + ["(nobody)"]
        return people, np.where(assignment.choice < 0, len(people) - 1, assignment.choice)
    homes, units = estates
    subjects = plan.subjects
    of_subject = [units.get(ident) if s < plan.unit_count else homes.get(ident) for s, ident in enumerate(subjects)]
    return [found or "(no unit)" for found in of_subject], plan.subject


def _listed(assignment: AssignmentColumns, state: Ints, as_of: dt.date) -> list[Status]:
    """The overdue and missed rows as statuses, the only ones the report lists one by one."""
    rows = np.flatnonzero((state == STATES.index(State.OVERDUE)) | (state == STATES.index(State.MISSED)))
    chosen = take_rows(assignment.plan, rows)
    choices = assignment.choices
    return [
        Status(obligation=o, state=STATES[s], as_of=as_of, assignee=choices[c].assignee)
        for o, s, c in zip(chosen.obligations(), state[rows].tolist(), assignment.choice[rows].tolist(), strict=True)
    ]
