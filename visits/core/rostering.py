"""Building a month's roster from assigned obligations: selection, lines, groups, order, gatherings.

Pure.  :func:`build_roster` makes the :class:`~visits.core.roster.Roster`
that the renderers lay out; what redaction leaves of a line is defined in
:mod:`visits.core.roster`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from visits.core.assign import Assigned
from visits.core.community import Household, Visit
from visits.core.organisation import Organisation, UnitTree
from visits.core.periods import Period, bounds
from visits.core.planner import Obligation
from visits.core.roster import (
    Roster,
    RosterGroup,
    RosterLine,
    RosterWords,
    _counts,
    _neutral_keys,
    _redacted,
    _shown,
    _visible_line,
    due_note,
    redact_name,
)
from visits.core.rules import Gathering
from visits.core.text import visible
from visits.core.vocabulary import RosterGrouping

__all__ = ["build_roster"]


def build_roster(
    assigned: Iterable[Assigned],
    *,
    year: int,
    month: int,
    households: Iterable[Household],
    organisation: Organisation | None,
    levels: Sequence[str],
    by: RosterGrouping = "unit",
    unit: str | None = None,
    person: str | None = None,
    words: RosterWords,
    redact: bool = False,
    community: str,
    met: Mapping[str, Visit] | None = None,
    as_of: dt.date | None = None,
    gatherings: Iterable[tuple[Gathering, dt.date]] = (),
    sensitive: Container[str] | None = None,
    eligible: Callable[[Obligation], Iterable[str]] | None = None,
) -> Roster:
    """The roster of ``month``: the given obligations whose window overlaps it.

    ``levels`` are the vocabulary's, from the top: a building is a unit of the
    lowest, ordered and subtitled by its unit of the second (Baibuting's
    estate) when there are three or more.  ``by`` is ``unit`` (a group per
    building, ordered by estate) or ``person``
    (a group per assignee; unassigned last).  A unit's duties head their
    group: a building's in the building's group, a higher unit's in a group
    of its own ahead of the units under it.  ``unit`` keeps households (and
    units) under that unit (any level); ``person`` keeps one assignee's lines.  With
    ``met`` (key → record, from :func:`visits.match`) and ``as_of``, lines met
    by a record dated on or before ``as_of`` are marked.  ``gatherings``
    (from :func:`visits.core.rules.gatherings_between`) held in the month come
    first, as a group of community events with the number of households
    invited (within ``unit``, if given).  ``redact`` hides everything that
    depends on why a line is owed (see the module's documentation);
    ``community`` is the name the title shows;
    ``sensitive`` names the categories whose gatherings a redacted roster
    does not name (:meth:`visits.core.rules.Rulebook.sensitive_categories`;
    by default, all).  ``eligible`` gives who may fulfil an obligation
    besides its assignee (:class:`visits.core.assign.Eligibility`); a line
    lists them as ``visitors``, for a roster that is filled in and read back
    (not on a redacted roster: who may visit says why).
    """
    _check_options(by, levels)
    first = dt.date(year, month, 1)
    last = bounds(Period.MONTH, first)[1]
    ctx = _Context(households, organisation, levels, words, redact, met, as_of, None if redact else eligible)
    grouped = ctx.grouped(assigned, first, last, unit, person, by)
    groups = [ctx.group(key, grouped[key], by) for key in sorted(grouped, key=lambda key: ctx.order(key, by))]
    by_rule, by_role = _counts(line for group in groups for line in group.lines)
    hidden = (_EVERY if sensitive is None else sensitive) if redact else None
    events = _gathering_lines(gatherings, first, last, ctx.homes, ctx.chains, unit, words, hidden)
    if events:
        groups.insert(0, RosterGroup(key="(gatherings)", title=words.events, subtitle="", lines=events))
    shown = visible(community)
    named = shown
    if unit is not None:  # the unit's roster says whose it is
        named = f"{shown} {visible(ctx.units[unit].name or unit) if unit in ctx.units else unit}"
    return Roster(
        community=shown,
        title=words.title.format(community=named, year=year, month=month, date=first),
        year=year,
        month=month,
        by=by,
        language=words.language,
        redacted=redact,
        groups=tuple(groups),
        by_rule=by_rule,
        by_role=by_role,
        sign_off=words.sign_off,
    )


def _check_options(by: str, levels: Sequence[str]) -> None:
    if not levels:
        raise ValueError("levels must name the organisation's levels, from the top")
    if by not in ("unit", "person"):
        raise ValueError(f"by must be 'unit' or 'person', got {by!r}")


class _Every:
    """The categories a redacted roster hides when it is not told which are sensitive: all of them."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERY = _Every()


class _Context:
    """What every line and group of one roster is built from: the households, the organisation, the options."""

    def __init__(
        self,
        households: Iterable[Household],
        organisation: Organisation | None,
        levels: Sequence[str],
        words: RosterWords,
        redact: bool,
        met: Mapping[str, Visit] | None,
        as_of: dt.date | None,
        eligible: Callable[[Obligation], Iterable[str]] | None = None,
    ) -> None:
        self.homes = {h.id: h for h in households}
        self.units = {u.id: u for u in organisation.units} if organisation else {}
        self.people = {p.id: p.name for p in organisation.people} if organisation else {}
        self.phones = {p.id: p.phone for p in organisation.people if p.phone} if organisation else {}
        self.ancestors = UnitTree(organisation.units if organisation else ()).chain
        self.chains = {hid: self.ancestors(h.building) for hid, h in self.homes.items()}
        self.words, self.redact, self.met, self.as_of = words, redact, met, as_of
        self.eligible = eligible
        self.building = levels[-1]
        self.section = levels[1] if len(levels) >= 3 else None
        self.depth = {level: i for i, level in enumerate(levels)}

    def grouped(
        self,
        assigned: Iterable[Assigned],
        first: dt.date,
        last: dt.date,
        unit: str | None,
        person: str | None,
        by: RosterGrouping,
    ) -> dict[str, list[RosterLine]]:
        """The lines of the obligations overlapping ``first..last`` (under ``unit``, of ``person``), by group key."""
        grouped: dict[str, list[RosterLine]] = {}
        for item in assigned:
            o = item.obligation
            chain = self.chains.get(o.household, {}) if o.household is not None else self.ancestors(o.unit)
            if not (o.start <= last and first <= o.end):
                continue
            if (unit is not None and unit not in chain.values()) or (person is not None and item.assignee != person):
                continue
            building = chain.get(self.building, "") if o.unit is None else o.unit
            group = building if by == "unit" else (item.assignee or "")
            grouped.setdefault(group, []).append(self.line(item, building))
        return grouped

    def line(self, item: Assigned, building: str) -> RosterLine:
        """The line of one obligation, its text made visible, and redacted if asked.

        A unit's duty names the unit where a household's line names the
        household, and is never redacted: it says nothing about a household.
        """
        o, rule = item.obligation, item.obligation.rule
        if o.household is not None:
            home = self.homes.get(o.household)
            name, address = (home.name, home.address) if home else ("", "")
        else:
            owner = self.units.get(str(o.unit))
            name, address = (owner.name if owner else ""), ""
        record = self.met.get(o.key) if self.met is not None else None
        done = record is not None and (self.as_of is None or record.date <= self.as_of)
        line = RosterLine(
            key=o.key,
            household=o.subject,
            household_name=name,
            address=address,
            rule=rule.id,
            title=(rule.title if self.words.language == "zh" else rule.title_en) or rule.id,
            action=self.words.actions[rule.action],
            role=self.words.roles[item.assignment.role or rule.role],
            start=o.start,
            end=o.end,
            due=o.due,
            assignee=item.assignee,
            assignee_name=self.people.get(item.assignee, item.assignee) if item.assignee else "",
            note=self.words.assignment_note(item.assignment),
            met=record.id if done and record else "",
            met_date=record.date if done and record else None,
            provisional=o.provisional,
            due_note=due_note(o, self.words) if o.calendar is not None else "",
            unit=o.unit or "",
            visitors=self.visitors(item),
            assignee_phone=self.phones.get(item.assignee, "") if item.assignee else "",
        )
        line = _visible_line(line)
        if self.redact and o.unit is None:
            shown = visible(self.units[building].name or building) if building in self.units else ""
            line = _redacted(line, shown, self.words)
        return line

    def visitors(self, item: Assigned) -> tuple[tuple[str, str], ...]:
        """The assignee, then everyone else who may fulfil the obligation, as (id, name); none if not asked."""
        if self.eligible is None:
            return ()
        first = (item.assignee,) if item.assignee is not None else ()
        ids = first + tuple(sorted(set(self.eligible(item.obligation)) - set(first)))
        return tuple((i, visible(self.people.get(i, ""))) for i in ids)

    def order(self, key: str, by: RosterGrouping) -> tuple[object, ...]:
        """Groups in order: by person's name, or by estate, then level (units above buildings first), then id.

        The group with no key comes last.
        """
        if by == "person":
            return (key == "", self.people.get(key, key), key)
        section = self.ancestors(key).get(self.section, "") if self.section else ""
        level = self.units[key].level if key in self.units else self.building
        return (key == "", section, self.depth.get(level, len(self.depth)), key)

    def group(self, key: str, lines: list[RosterLine], by: RosterGrouping) -> RosterGroup:
        """One group: its lines in order, its title and subtitle, its counts."""
        duties = sorted((line for line in lines if line.unit), key=lambda line: (line.due, line.unit, line.key))
        homes = [line for line in lines if not line.unit]
        if self.redact:
            found = duties + _neutral_keys(sorted(homes, key=_shown))
        else:
            found = duties + sorted(homes, key=lambda line: (line.due, line.address, line.household, line.key))
        if by == "unit":
            chain = self.ancestors(key)
            section = chain.get(self.section) if self.section else None
            subtitle = self.units[section].name if section is not None and section != key else ""
            title = (self.units[key].name or key) if key in self.units else self.words.no_building
        else:
            name = self.people.get(key, key)
            title = (redact_name(name) if self.redact else name) if key else self.words.unassigned
            subtitle = key
        by_rule, by_role = _counts(found)
        return RosterGroup(
            key=key,
            title=visible(title),
            subtitle=visible(subtitle),
            lines=tuple(found),
            by_rule=by_rule,
            by_role=by_role,
        )


def _gathering_lines(
    gatherings: Iterable[tuple[Gathering, dt.date]],
    first: dt.date,
    last: dt.date,
    homes: Mapping[str, Household],
    chains: Mapping[str, Mapping[str, str]],
    unit: str | None,
    words: RosterWords,
    sensitive: Container[str] | None,
) -> tuple[RosterLine, ...]:
    """Gathering lines; with ``sensitive`` (redacting), no invitees, and a plain title if one is sensitive."""
    in_scope = [h for hid, h in homes.items() if unit is None or unit in chains.get(hid, {}).values()]
    out: list[RosterLine] = []
    for gathering, day in gatherings:
        if not first <= day <= last:
            continue
        title = (gathering.title_en or gathering.title) if words.language == "en" else gathering.title
        if sensitive is not None:
            note = gathering.festival
            if any(c in sensitive for c in gathering.invites):
                title = words.redacted_event
        else:
            invited = len(gathering.invited(in_scope, day))
            names = words.category_separator.join(words.categories[c] for c in gathering.invites)
            note = words.invited.format(festival=gathering.festival, categories=names, count=invited)
        out.append(
            RosterLine(
                key=f"gathering/{day.isoformat()}/{len(out) + 1}"
                if sensitive is not None
                else f"gathering/{gathering.id}/{day.isoformat()}",
                household="",
                household_name="",
                address="",
                rule="" if sensitive is not None else gathering.id,
                title=title,
                action=words.hold,
                role=words.role_separator.join(words.roles[r] for r in gathering.roles),
                start=day,
                end=day,
                due=day,
                assignee=None,
                assignee_name="",
                note=note,
            )
        )
    return tuple(out)
