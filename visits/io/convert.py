"""Plain data (parsed JSON or TOML) <-> domain objects, with every problem reported.

Pure: no file access.  Rulebooks, calendar files and communities, each
checked whole: every problem is a :class:`~visits.core.errors.Problem` line
whose path follows the input, for example
``rules[3].cadence.every: must be a positive integer (1..1200), got 0``
(the converter and the paths are in :mod:`visits.io.structuring`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from visits.core.community import Community, Event, Household, Visit
from visits.core.conformance import reference_problems, structure_problems
from visits.core.errors import CalendarError, CommunityError, FieldProblems, Problem, RulebookError
from visits.core.extending import extend
from visits.core.organisation import Organisation, Person, Unit, organisation_problems
from visits.core.rules import (
    Due,
    Gathering,
    Rule,
    Rulebook,
)
from visits.core.text import text_problem
from visits.core.vocabulary import TABLES, Vocabulary
from visits.core.workdays import CalendarFile
from visits.io.structuring import (
    CONVERTER,
    describe_value,
    label_paths,
    problems_of,
    record_ids,
    strict_enum,
    strict_str,
    structure_each,
    structure_slots,
)
from visits.io.terms import by_record, community_references, rule_references, vocabulary_from_dict, vocabulary_to_dict

__all__ = [
    "calendar_file_from_dict",
    "community_from_dict",
    "community_to_dict",
    "rulebook_from_dict",
    "rulebook_to_dict",
]

# ----------------------------------------------------------------- rulebooks


_RULEBOOK_KEYS = {"name", "community", "description", "rules", "due", "gatherings", "based_on", *TABLES}


def rulebook_from_dict(data: object, base: Rulebook | None = None) -> Rulebook:
    """Build a rulebook from parsed TOML/JSON; :class:`RulebookError` lists every problem.

    With ``base``, the data extends it (see :func:`visits.core.extending.extend`):
    its rules and gatherings are added, or change the base's of the same id
    field by field (a rule that names a base rule gives only what changes),
    and every field is optional.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise RulebookError([Problem(path="", message="a rulebook must be a table/object")])
    for key in sorted(set(data) - _RULEBOOK_KEYS):
        problems.append(Problem(path=key, message="unknown field"))
    header: dict[str, Any] = {}
    for key in ("name", "community", "description", "based_on"):
        if key in data:
            try:
                header[key] = strict_str(data[key], str)
            except (TypeError, ValueError) as exc:
                problems.append(Problem(path=key, message=str(exc)))
    if "due" in data:
        try:
            header["due"] = strict_enum(data["due"], Due)
        except ValueError as exc:
            problems.append(Problem(path="due", message=str(exc)))
    if "name" not in data and base is None:
        problems.append(Problem(path="name", message="required field missing"))
    if "rules" not in data and base is None:
        problems.append(Problem(path="rules", message="required field missing"))
    rules = structure_each(_over_base(data.get("rules", []), base, Rule), Rule, "rules", problems)
    _add_duplicate_ids(data.get("rules"), problems, "rules")
    raw_gatherings = _over_base(data.get("gatherings", []), base, Gathering)
    gatherings = structure_each(raw_gatherings, Gathering, "gatherings", problems)
    _add_duplicate_ids(data.get("gatherings"), problems, "gatherings")
    vocabulary = vocabulary_from_dict(data, problems, None if base is None else base.vocabulary)
    if vocabulary is not None:
        problems += reference_problems(rule_references(data), vocabulary)
    problems = by_record(problems, ("rules", "gatherings"))
    if not problems and vocabulary is not None:
        try:
            if base is not None:
                return extend(base, rules, gatherings, vocabulary, **header)
            return Rulebook(rules=tuple(rules), gatherings=tuple(gatherings), vocabulary=vocabulary, **header)
        except FieldProblems as exc:
            problems += problems_of(exc)
    raise RulebookError(label_paths(problems, data))


def rulebook_to_dict(rulebook: Rulebook) -> dict[str, Any]:
    """The plain form of a rulebook (TOML/JSON ready; defaults left out)."""
    out: dict[str, Any] = {"name": rulebook.name}
    if rulebook.community:
        out["community"] = rulebook.community
    if rulebook.description:
        out["description"] = rulebook.description
    if rulebook.based_on:
        out["based_on"] = rulebook.based_on
    if rulebook.due is not Due.WINDOW_END:
        out["due"] = rulebook.due.value
    out.update(vocabulary_to_dict(rulebook.vocabulary))
    out["rules"] = [CONVERTER.unstructure(rule, Rule) for rule in rulebook.rules]
    if rulebook.gatherings:
        out["gatherings"] = [CONVERTER.unstructure(g, Gathering) for g in rulebook.gatherings]
    return out


# ----------------------------------------------------------------- calendars


def calendar_file_from_dict(data: object) -> CalendarFile:
    """Build a community calendar file; :class:`CalendarError` lists every problem."""
    if not isinstance(data, Mapping):
        raise CalendarError([Problem(path="", message="a calendar file must be a table/object")])
    try:
        return CONVERTER.structure(data, CalendarFile)
    except Exception as exc:  # noqa: BLE001 - problems_of re-raises what is not about input
        raise CalendarError(problems_of(exc)) from None


# ----------------------------------------------------------------- communities


def community_from_dict(
    data: object,
    vocabulary: Vocabulary | None = None,
    *,
    where: Callable[[str], str] | None = None,
    organisation: Organisation | None = None,
    households_elsewhere: bool = False,
) -> Community:
    """Build a community from parsed JSON; :class:`CommunityError` lists every problem.

    Besides each object's own checks: household and event ids are unique, and
    every event names a known household.  With ``vocabulary`` (the rulebook's
    it will be planned with), every category, event kind, severity, action,
    level and role it names is checked too (:mod:`visits.core.conformance`),
    in records that fail other checks as well.  ``where`` rewrites each
    problem's path (a workbook's reader names the cell); by default a
    record's id is shown beside its index.

    Two options serve a community read in parts (:mod:`visits.io.lines`):
    ``organisation``, already built and checked, stands for the ``units``
    and ``people`` sections (the households' buildings and the records'
    people are checked against it); ``households_elsewhere`` says the
    households are not in ``data``, so that people's links to them are
    left for the caller to check.
    """
    if not isinstance(data, Mapping):
        raise CommunityError([Problem(path="", message="a community file must be a JSON object")])
    problems: list[Problem] = []
    if "households" not in data:
        problems.append(Problem(path="households", message="required field missing"))
    household_slots = structure_slots(data.get("households", []), Household, "households", problems)
    event_slots = structure_slots(data.get("events", []), Event, "events", problems)
    households = [h for h in household_slots if h is not None]
    events = [e for e in event_slots if e is not None]
    _add_duplicate_ids(data.get("households"), problems, "households")
    _add_duplicate_ids(data.get("events"), problems, "events")
    known = record_ids(data.get("households"))
    raw_events = data.get("events") if isinstance(data.get("households"), list) else None  # else: said above
    for i, raw in enumerate(raw_events if isinstance(raw_events, list) else ()):
        hid = raw.get("household") if isinstance(raw, Mapping) else None
        if isinstance(hid, str) and hid not in known:
            problems.append(Problem(path=f"events[{i}].household", message=f"unknown household {hid!r}"))
    if organisation is None:
        organisation, unit_slots, people_slots = _organisation(data, problems, not households_elsewhere)
    else:
        unit_slots, people_slots = [], []
        problems += _building_problems(data, {u.id for u in organisation.units}, set())
    visits = _visits(data, organisation, problems)
    problems += _section_problems(data)
    if vocabulary is not None:
        problems += reference_problems(community_references(data), vocabulary)
        problems += structure_problems(vocabulary, household_slots, event_slots, unit_slots, people_slots)
    if problems:
        ordered = by_record(problems)
        if where is not None:
            raise CommunityError([Problem(path=where(p.path), message=p.message) for p in ordered])
        raise CommunityError(label_paths(ordered, data))
    sections = {k: v for k, v in data.items() if k not in ("households", "events", "units", "people", "visits")}
    return Community(
        households=tuple(households),
        events=tuple(events),
        organisation=organisation,
        visits=tuple(visits),
        sections=sections,
    )


def _visits(data: Mapping[str, Any], organisation: Organisation | None, problems: list[Problem]) -> list[Visit]:
    """The ``visits`` section: unique ids, known households (or units) and (with an organisation) known people."""
    if "visits" not in data:
        return []
    visits = structure_slots(data["visits"], Visit, "visits", problems)
    _add_duplicate_ids(data["visits"], problems, "visits")
    households = record_ids(data.get("households"))
    people = None if organisation is None else {p.id for p in organisation.people}
    units = set() if organisation is None else {u.id for u in organisation.units}
    for i, visit in enumerate(visits):
        if visit is None:
            continue
        if visit.household is not None and visit.household not in households:
            problems.append(Problem(path=f"visits[{i}].household", message=f"unknown household {visit.household!r}"))
        if visit.unit is not None and visit.unit not in units:
            problems.append(Problem(path=f"visits[{i}].unit", message=f"unknown unit {visit.unit!r}"))
        if people is not None and visit.person not in people:
            problems.append(Problem(path=f"visits[{i}].person", message=f"unknown person {visit.person!r}"))
    return [v for v in visits if v is not None]


def _organisation(
    data: Mapping[str, Any], problems: list[Problem], links: bool = True
) -> tuple[Organisation | None, list[Unit | None], list[Person | None]]:
    """The ``units`` and ``people`` sections, checked against each other and the households; and their slots."""
    if "units" not in data and "people" not in data:
        return None, [], []
    before = len(problems)
    units = structure_slots(data.get("units", []), Unit, "units", problems)
    people = structure_slots(data.get("people", []), Person, "people", problems)
    failed = record_ids(data.get("units")) - {u.id for u in units if u is not None}
    found = organisation_problems(units, people, failed)
    problems += [Problem(path=path, message=message) for path, message in found]
    problems += _building_problems(data, {u.id for u in units if u is not None}, failed)
    known = record_ids(data.get("households"))
    for p, person in enumerate(people if links else ()):
        for k, household in enumerate(person.households if person is not None else ()):
            if household not in known:
                problems.append(
                    Problem(path=f"people[{p}].households[{k}]", message=f"unknown household {household!r}")
                )
    if len(problems) > before:
        return None, units, people
    return Organisation(units=tuple(u for u in units if u), people=tuple(p for p in people if p)), units, people


def _building_problems(data: Mapping[str, Any], units: set[str], failed: set[str]) -> list[Problem]:
    """Households in a building that is not a unit (one whose own problem is reported, in ``failed``, aside)."""
    problems = []
    raw_households = data.get("households")
    for i, raw in enumerate(raw_households if isinstance(raw_households, list) else ()):
        building = raw.get("building") if isinstance(raw, Mapping) else None
        if isinstance(building, str) and building not in failed and building not in units:
            # its level is checked against the rulebook (core.conformance)
            problems.append(Problem(path=f"households[{i}].building", message=f"unknown building {building!r}"))
    return problems


def _section_problems(data: Mapping[str, Any]) -> list[Problem]:
    """The parts of the sections this version keeps untouched that rosters show: the community's name."""
    named = data.get("community")
    if not isinstance(named, Mapping) or "name" not in named:
        return []
    name = named["name"]
    if not isinstance(name, str):
        return [Problem(path="community.name", message=f"must be a string, got {describe_value(name)}")]
    problem = text_problem(name)
    return [] if problem is None else [Problem(path="community.name", message=problem)]


def community_to_dict(community: Community) -> dict[str, Any]:
    """The JSON form of a community, other sections included."""
    out: dict[str, Any] = {
        "households": [
            {
                "id": h.id,
                **({"building": h.building} if h.building is not None else {}),
                **({"name": h.name} if h.name else {}),
                **({"address": h.address} if h.address else {}),
                "circumstances": [
                    {
                        "category": c.category,
                        "start": c.start.isoformat(),
                        "end": None if c.end is None else c.end.isoformat(),
                    }
                    for c in h.circumstances
                ],
            }
            for h in community.households
        ],
        "events": [
            {
                "id": e.id,
                "household": e.household,
                "kind": e.kind,
                "date": e.date.isoformat(),
                **({"severity": e.severity} if e.severity is not None else {}),
            }
            for e in community.events
        ],
    }
    if community.visits:
        out["visits"] = [_visit_to_dict(v) for v in community.visits]
    if community.organisation is not None:
        out["units"] = [CONVERTER.unstructure(u, Unit) for u in community.organisation.units]
        out["people"] = [CONVERTER.unstructure(p, Person) for p in community.organisation.people]
    out.update(community.sections)
    return out


def _visit_to_dict(visit: Visit) -> dict[str, Any]:
    """A record's plain form, its fields in the contract's order (a unit's duty names ``unit`` for ``household``)."""
    out: dict[str, Any] = {"id": visit.id}
    out.update({"household": visit.household} if visit.household is not None else {"unit": visit.unit})
    out.update(person=visit.person, date=visit.date.isoformat(), action=visit.action)
    if visit.note:
        out["note"] = visit.note
    return out


def _over_base(raw: object, base: Rulebook | None, cls: type[Rule] | type[Gathering]) -> object:
    """Each raw rule (or gathering) that names one of the base's by id, as the base's fields with its own over them."""
    if base is None or not isinstance(raw, list):
        return raw
    known: dict[str, Rule | Gathering] = {r.id: r for r in (base.rules if cls is Rule else base.gatherings)}
    out = []
    for item in raw:
        ident = item.get("id") if isinstance(item, Mapping) else None
        if isinstance(ident, str) and ident in known:
            inherited = {k: v for k, v in CONVERTER.unstructure(known[ident], cls).items() if v is not None}
            out.append({**inherited, **item})
        else:
            out.append(item)
    return out


def _add_duplicate_ids(raw: object, problems: list[Problem], path: str) -> None:
    if not isinstance(raw, list):
        return
    first: dict[str, int] = {}
    for i, item in enumerate(raw):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            ident = item["id"]
            if ident in first:
                problems.append(
                    Problem(
                        path=f"{path}[{i}].id",
                        message=f"duplicate id {ident!r} (also {path}[{first[ident]}])",
                    )
                )
            first.setdefault(ident, i)
