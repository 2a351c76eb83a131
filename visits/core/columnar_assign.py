"""Assignment over the columnar planner's rows: an index into a table of distinct assignments per row.

:func:`~visits.core.assign.assign` takes obligation objects one by one.  Most
of its answers are the same for every obligation of one subject and rule:
the rank-1 holder of the rule's first role, when that person is not away.
:func:`assign_columns` asks the organisation once per distinct (subject,
rule) pair of a :class:`~visits.core.columnar.PlanColumns` and spreads the
answer over the rows with numpy; only the rows whose first choice is away,
or who have none, climb the ladder (依次递补) one by one, as ``assign`` does.

Rows share :class:`~visits.core.assign.Assignment` values: ``choices`` holds
each distinct one once and ``choice[i]`` says which is row ``i``'s, the way
an Arrow dictionary column does.  :meth:`AssignmentColumns.assigned` is a
view of the rows as :class:`~visits.core.assign.Assigned` objects; a property
test holds it equal to ``assign(plan(...))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from visits.core.assign import NO_ORGANISATION, Assigned, Assignment, OrgIndex, substitute
from visits.core.columnar import PlanColumns
from visits.core.organisation import Organisation
from visits.core.vocabulary import Vocabulary

__all__ = ["AssignmentColumns", "Batch", "assign_columns"]

Ints = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class AssignmentColumns:
    """Each row of ``plan`` assigned: ``choices[choice[i]]`` is row ``i``'s assignment."""

    plan: PlanColumns
    choices: tuple[Assignment, ...]
    choice: Ints

    def __len__(self) -> int:
        return len(self.choice)

    @classmethod
    def unassigned(cls, plan: PlanColumns) -> AssignmentColumns:
        """Rows no one is assigned (``choice`` -1), as the cancelled rows of a status are counted."""
        return cls(plan=plan, choices=(), choice=np.full(len(plan), -1, dtype=np.int64))

    def assignees(self) -> list[str | None]:
        """Each row's assignee (None: nobody)."""
        people = [a.assignee for a in self.choices]
        return [people[c] for c in self.choice.tolist()]

    def assigned(self) -> Iterator[Assigned]:
        """The rows as :class:`Assigned` objects, equal to what :func:`~visits.core.assign.assign` yields."""
        choices = self.choices
        for obligation, c in zip(self.plan.obligations(), self.choice.tolist(), strict=True):
            yield Assigned(obligation=obligation, assignment=choices[c])


#: A plan's rows and their assignment (None: left unassigned, as :func:`plan`'s obligations are).
Batch = tuple[PlanColumns, "AssignmentColumns | None"]


def assign_columns(
    plan: PlanColumns,
    organisation: Organisation | None,
    buildings: Mapping[str, str | None],
    vocabulary: Vocabulary,
    *,
    index: OrgIndex | None = None,
) -> AssignmentColumns:
    """Assign every row of ``plan``, as :func:`~visits.core.assign.assign` would assign its obligations.

    ``buildings`` maps household id to building id; ``index`` may pass an
    :class:`OrgIndex` already built for the same organisation, buildings and
    vocabulary.
    """
    rows = len(plan)
    if organisation is None:
        return AssignmentColumns(plan=plan, choices=(NO_ORGANISATION,), choice=np.zeros(rows, dtype=np.int64))
    index = index or OrgIndex(organisation, buildings, vocabulary)
    rules = plan.rulebook.rules
    pair = plan.subject.astype(np.int64) * len(rules) + plan.rule
    distinct, of_row = np.unique(pair, return_inverse=True)
    table: dict[Assignment, int] = {}
    first_of_pair = np.empty(len(distinct), dtype=np.int64)
    climbing: list[int] = []  # pairs whose first choice is away or missing
    for n, (s, r) in enumerate(zip((distinct // len(rules)).tolist(), (distinct % len(rules)).tolist(), strict=True)):
        first = index.first_choice(_subject(plan, s), rules[r].roles)
        if first is None or first.assignee in index.away:
            first_of_pair[n] = -1
            climbing.append(n)
        else:
            first_of_pair[n] = table.setdefault(first, len(table))
    choice = first_of_pair[of_row]
    if climbing:
        _climb(plan, index, np.flatnonzero(np.isin(of_row, climbing)), choice, table)
    return AssignmentColumns(plan=plan, choices=tuple(table), choice=choice)


def _subject(plan: PlanColumns, s: int) -> tuple[str | None, str | None]:
    """The (household, unit) pair of subject ``s``, as :func:`assign` keys it."""
    ident = plan.subjects[s]
    return (None, ident) if s < plan.unit_count else (ident, None)


def _climb(plan: PlanColumns, index: OrgIndex, rows: Ints, choice: Ints, table: dict[Assignment, int]) -> None:
    """The rows whose first choice cannot take them: each climbs the ladder for its own window."""
    rules = plan.rulebook.rules
    ladders: dict[tuple[int, int], tuple[list[Any], Assignment]] = {}
    starts: list[dt.date] = plan.start[rows].tolist()
    ends: list[dt.date] = plan.end[rows].tolist()
    for i, s, r, start, end in zip(
        rows.tolist(), plan.subject[rows].tolist(), plan.rule[rows].tolist(), starts, ends, strict=True
    ):
        roles = rules[r].roles
        ladder = ladders.get((s, r))
        if ladder is None:
            ladder = ladders[s, r] = index.steps(_subject(plan, s), roles)
        steps, nobody = ladder
        found = substitute(steps, nobody, roles[0], start, end, index.away)
        choice[i] = table.setdefault(found, len(table))
