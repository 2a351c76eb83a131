"""The supervisor's view: compliance as of each month's end per unit, rule and visitor, and who needs a look.

Pure, over the columns of one planning pass (see :mod:`visits.core.columnar_status`):
the report's whole span is planned, assigned and matched once, and each
month-end is a snapshot of that plan as of the day, counted exactly as the
status report counts (records are matched in date order, so a record after a
month's end changes nothing before it).  A month's numbers for estates, rules
and visitors are therefore those of the status report over the same span as
of that month's last day, which a property test holds.

Besides the counts: the households that have gone longest without a record of
any kind, those whose obligations were missed in consecutive months (by the
month a window closed), each visitor's load per month against a limit (as
``visits load`` counts it: obligations whose window overlaps the month), and
who covered for whom (依次递补).  Rules can be left out whole (``hidden``), which
is how a redacted report hides the sensitive categories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from visits.core.columnar import PlanColumns
from visits.core.columnar_assign import AssignmentColumns
from visits.core.columnar_match import MatchColumns, take_rows
from visits.core.columnar_status import STATES, groups_of, met_days, row_states
from visits.core.compliance import Group
from visits.core.ledger import State

__all__ = ["Cover", "Load", "Places", "Quiet", "Series", "Streak", "Supervision", "supervise"]

Ints = npt.NDArray[np.int64]
_CANCELLED = STATES.index(State.CANCELLED)


@attrs.frozen(kw_only=True)
class Series:
    """One group's counts as of each month's end, in the report's order of months."""

    name: str
    counts: tuple[Group, ...]


@attrs.frozen(kw_only=True)
class Quiet:
    """A household and its last record of any kind by the report's end (``last`` None: none)."""

    household: str
    building: str | None
    last: dt.date | None


@attrs.frozen(kw_only=True)
class Streak:
    """A household whose obligations were missed in consecutive months: the longest such run."""

    household: str
    building: str | None
    months: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Load:
    """A visitor's obligations overlapping each month, and the months they exceed the limit."""

    person: str
    assigned: tuple[int, ...]
    over: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Cover:
    """Obligations ``substitute`` took because ``instead_of`` was away (None: nobody held ``role`` there)."""

    substitute: str
    instead_of: str | None
    role: str | None
    count: int


@attrs.frozen(kw_only=True)
class Places:
    """Where each subject belongs: its estate (as the status report groups by unit) and building."""

    estates: tuple[Mapping[str, str], Mapping[str, str]]  # household -> estate, unit -> estate
    buildings: Mapping[str, str | None]  # household -> building
    building_units: frozenset[str]  # units of the lowest level: a duty there belongs to the building
    estate_of_building: Mapping[str, str]


@attrs.frozen(kw_only=True)
class Supervision:
    """The report as data: every number the page draws, in the order it draws them."""

    months: tuple[str, ...]  # YYYY-MM
    ends: tuple[dt.date, ...]  # each month's last day, the day its snapshot is taken
    overall: Series
    estates: tuple[Series, ...]
    buildings: tuple[tuple[str, tuple[Series, ...]], ...]  # each estate's buildings
    rules: tuple[Series, ...]
    people: tuple[Series, ...]
    quiet: tuple[Quiet, ...]
    streaks: tuple[Streak, ...]
    loads: tuple[Load, ...]
    covers: tuple[Cover, ...]
    limit: int
    hidden: frozenset[str]  # the rules left out


def supervise(
    assignment: AssignmentColumns,
    matching: MatchColumns,
    cancelled: PlanColumns,
    months: Sequence[tuple[dt.date, dt.date]],
    places: Places,
    *,
    limit: int,
    hidden: frozenset[str] = frozenset(),
    quiet: int = 20,
) -> Supervision:
    """The report over the assigned, matched rows of the span of ``months`` (each a first and last day)."""
    plan = assignment.plan
    rule_ids = [r.id for r in plan.rulebook.rules]
    shown = ~np.isin(plan.rule, [i for i, r in enumerate(rule_ids) if r in hidden])
    gone = ~np.isin(cancelled.rule, [i for i, r in enumerate(rule_ids) if r in hidden])
    kept = _Kept(assignment, matching, cancelled, np.flatnonzero(shown), np.flatnonzero(gone))
    ends = [last for _, last in months]
    on = met_days(kept.matching)
    snapshots = [row_states(kept.plan, kept.matching, day, on) for day in ends]
    by = {grouping: _series(kept, snapshots, grouping, places) for grouping in ("overall", "unit", "rule", "person")}
    labels = tuple(f"{first.year:04d}-{first.month:02d}" for first, _ in months)
    return Supervision(
        months=labels,
        ends=tuple(ends),
        overall=by["overall"][0],
        estates=by["unit"],
        buildings=_buildings(kept, snapshots, places),
        rules=tuple(sorted(by["rule"], key=lambda s: rule_ids.index(s.name))),
        people=by["person"],
        quiet=_quiet(kept, places, quiet),
        streaks=_streaks(kept, snapshots[-1][0], months, places),
        loads=_loads(kept, months, labels, limit),
        covers=_covers(kept),
        limit=limit,
        hidden=hidden,
    )


class _Kept:
    """The rows the report shows (no hidden rule's), with their assignment and matching."""

    def __init__(
        self, assignment: AssignmentColumns, matching: MatchColumns, cancelled: PlanColumns, rows: Ints, gone: Ints
    ) -> None:
        self.plan = take_rows(assignment.plan, rows)
        self.assignment = AssignmentColumns(plan=self.plan, choices=assignment.choices, choice=assignment.choice[rows])
        self.matching = attrs.evolve(matching, plan=self.plan, met=matching.met[rows])
        self.cancelled = take_rows(cancelled, gone)


_Snapshot = tuple[Ints, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]


def _series(kept: _Kept, snapshots: Sequence[_Snapshot], grouping: str, places: Places) -> tuple[Series, ...]:
    """Each group's counts as of every month end, by name (the overall total as one group named ``all``)."""
    if grouping == "overall":
        names, group = ["all"], np.zeros(len(kept.plan), dtype=np.int64)
        gone_names, gone_group = ["all"], np.zeros(len(kept.cancelled), dtype=np.int64)
    else:
        names, group = groups_of(kept.assignment, grouping, places.estates)  # type: ignore[arg-type]
        gone_names, gone_group = groups_of(AssignmentColumns.unassigned(kept.cancelled), grouping, places.estates)  # type: ignore[arg-type]
    return _counted(names, group, gone_names, gone_group, snapshots, always=names if grouping == "overall" else ())


def _counted(
    names: Sequence[str],
    group: Ints,
    gone_names: Sequence[str],
    gone_group: Ints,
    snapshots: Sequence[_Snapshot],
    always: Sequence[str] = (),
) -> tuple[Series, ...]:
    """Counts per distinct name (and each of ``always``), as :class:`~visits.core.compliance.Tally` adds them."""
    distinct = sorted(
        {names[g] for g in np.unique(group).tolist()}
        | {gone_names[g] for g in np.unique(gone_group).tolist()}
        | set(always)
    )
    place = {name: n for n, name in enumerate(distinct)}
    rows = np.array([place.get(name, -1) for name in names], dtype=np.int64)[group] if len(group) else group
    gone = (
        np.array([place.get(name, -1) for name in gone_names], dtype=np.int64)[gone_group]
        if len(gone_group)
        else gone_group
    )
    cancelled = np.bincount(gone, minlength=len(distinct)).tolist()
    width = len(STATES) * 4
    out: list[list[Group]] = [[] for _ in distinct]
    for state, is_due, late in snapshots:
        code = rows * width + state * 4 + is_due * 2 + late
        cells = np.bincount(code, minlength=len(distinct) * width).reshape(len(distinct), len(STATES), 2, 2)
        for n, fields in enumerate(_fields(cells)):
            out[n].append(Group(name=distinct[n], cancelled=cancelled[n], **fields))
    return tuple(Series(name=name, counts=tuple(counts)) for name, counts in zip(distinct, out, strict=True))


def _fields(cells: Ints) -> list[dict[str, int]]:
    """Each group's counts from its cells by (state, past due, late), for all groups at once, as Tally adds them."""
    by_state = cells.sum(axis=(2, 3))
    live = np.delete(cells, _CANCELLED, axis=1)
    met = STATES.index(State.MET)
    columns = {
        "total": live.sum(axis=(1, 2, 3)),
        "due": live[:, :, 1, :].sum(axis=(1, 2)),
        "met": by_state[:, met],
        "met_due": cells[:, met, 1, :].sum(axis=1),
        "late": cells[:, met, :, 1].sum(axis=1),
        "overdue": by_state[:, STATES.index(State.OVERDUE)],
        "missed": by_state[:, STATES.index(State.MISSED)],
        "open": by_state[:, STATES.index(State.OPEN)],
        "upcoming": by_state[:, STATES.index(State.UPCOMING)],
    }
    values = {name: column.tolist() for name, column in columns.items()}
    return [{name: values[name][n] for name in columns} for n in range(len(cells))]


def _building_of(plan: PlanColumns, places: Places) -> list[str | None]:
    """Each subject's building: a household's, or a building-level unit itself."""
    return [
        (ident if ident in places.building_units else None) if s < plan.unit_count else places.buildings.get(ident)
        for s, ident in enumerate(plan.subjects)
    ]


def _buildings(
    kept: _Kept, snapshots: Sequence[_Snapshot], places: Places
) -> tuple[tuple[str, tuple[Series, ...]], ...]:
    """The buildings' counts, grouped under their estates (the drill-down)."""
    names = [b or "" for b in _building_of(kept.plan, places)]
    gone_names = [b or "" for b in _building_of(kept.cancelled, places)]
    series = _counted(names, kept.plan.subject, gone_names, kept.cancelled.subject, snapshots)
    under: dict[str, list[Series]] = {}
    for s in series:
        if s.name:
            under.setdefault(places.estate_of_building.get(s.name, "(no unit)"), []).append(s)
    return tuple((estate, tuple(under[estate])) for estate in sorted(under))


def _quiet(kept: _Kept, places: Places, count: int) -> tuple[Quiet, ...]:
    """The ``count`` households with obligations that went longest without a record: none at all first."""
    plan = kept.plan
    owing = np.unique(plan.subject[plan.subject >= plan.unit_count])
    last: dict[str | None, dt.date] = {}
    for record in kept.matching.records:  # by date: the last one stays
        last[record.household] = record.date
    homes = [plan.subjects[s] for s in owing.tolist()]
    never = dt.date.min
    ordered = sorted(homes, key=lambda h: (last.get(h, never), h))[:count]
    return tuple(Quiet(household=h, building=places.buildings.get(h), last=last.get(h)) for h in ordered)


def _streaks(kept: _Kept, final: Ints, months: Sequence[tuple[dt.date, dt.date]], places: Places) -> tuple[Streak, ...]:
    """Households whose windows closed unmet in two or more consecutive months: the longest run first."""
    plan = kept.plan
    missed = np.flatnonzero((final == STATES.index(State.MISSED)) & (plan.subject >= plan.unit_count))
    firsts = np.array([first for first, _ in months], dtype="datetime64[D]")
    month = np.searchsorted(firsts, plan.end[missed], side="right") - 1
    inside = month >= 0
    closed: dict[int, set[int]] = {}
    for s, m in zip(plan.subject[missed][inside].tolist(), month[inside].tolist(), strict=True):
        closed.setdefault(s, set()).add(m)
    labels = [f"{first.year:04d}-{first.month:02d}" for first, _ in months]
    found = []
    for s, taken in closed.items():
        run = _longest_run(sorted(taken))
        if len(run) >= 2:
            home = plan.subjects[s]
            found.append(
                Streak(household=home, building=places.buildings.get(home), months=tuple(labels[m] for m in run))
            )
    by_home = sorted(found, key=lambda k: k.household)
    return tuple(sorted(by_home, key=lambda k: (len(k.months), k.months[-1]), reverse=True))  # stable: ties by id


def _longest_run(values: Sequence[int]) -> list[int]:
    """The longest run of consecutive integers in sorted ``values`` (the latest of equal runs)."""
    best: list[int] = []
    run: list[int] = []
    for v in values:
        run = [*run, v] if run and v == run[-1] + 1 else [v]
        if len(run) >= len(best):
            best = run
    return best


def _loads(
    kept: _Kept, months: Sequence[tuple[dt.date, dt.date]], labels: Sequence[str], limit: int
) -> tuple[Load, ...]:
    """Each visitor's obligations overlapping each month, and the months above ``limit``; the heaviest first."""
    plan, assignment = kept.plan, kept.assignment
    people = [a.assignee for a in assignment.choices]
    ids = sorted({p for c in np.unique(assignment.choice).tolist() if c >= 0 and (p := people[c]) is not None})
    place = {p: n for n, p in enumerate(ids)}
    of_choice = np.array([place.get(p, -1) if p is not None else -1 for p in people] or [-1], dtype=np.int64)
    who = of_choice[assignment.choice] if len(assignment.choice) else assignment.choice
    counts = np.zeros((len(ids), len(months)), dtype=np.int64)
    for k, (first, last) in enumerate(months):
        overlapping = (plan.start <= np.datetime64(last)) & (plan.end >= np.datetime64(first)) & (who >= 0)
        counts[:, k] = np.bincount(who[overlapping], minlength=len(ids))
    loads = [
        Load(
            person=p,
            assigned=tuple(counts[n].tolist()),
            over=tuple(labels[k] for k in np.flatnonzero(counts[n] > limit).tolist()),
        )
        for n, p in enumerate(ids)
    ]
    return tuple(sorted(loads, key=lambda load: (-max(load.assigned, default=0), load.person)))


def _covers(kept: _Kept) -> tuple[Cover, ...]:
    """Who took obligations as a substitute, for whom (the first person passed over), and how many."""
    choices = kept.assignment.choices
    used, counts = np.unique(kept.assignment.choice, return_counts=True)
    tally: dict[tuple[str, str | None, str | None], int] = {}
    for c, n in zip(used.tolist(), counts.tolist(), strict=True):
        choice = choices[c] if c >= 0 else None
        if choice is None or not choice.substitute or choice.assignee is None:
            continue
        instead = choice.skipped[0].person if choice.skipped else None
        key = (choice.assignee, instead, choice.missing if instead is None else None)
        tally[key] = tally.get(key, 0) + n
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or "", kv[0][2] or ""))
    return tuple(Cover(substitute=s, instead_of=i, role=r, count=n) for (s, i, r), n in ordered)
