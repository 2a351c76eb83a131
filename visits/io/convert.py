"""Plain data (parsed JSON or TOML) <-> domain objects, with every problem reported.

Pure: no file access.  Structuring is done by a cattrs converter with strict
scalar hooks (``3`` is not a string, ``true`` is not an integer, a date is
``YYYY-MM-DD``).  Errors are turned into :class:`~visits.core.errors.Problem` lines
whose paths follow the input, for example
``rules[3].cadence.every: must be a positive integer (1..1200), got 0``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import cattrs
import cattrs.gen
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from visits.core.cadence import CADENCES, Cadence
from visits.core.community import Community, Event, Household, Visit
from visits.core.errors import CalendarError, CommunityError, FieldProblems, Problem, RulebookError
from visits.core.organisation import Level, Organisation, Person, Unit, organisation_problems
from visits.core.rules import (
    CategoryInfo,
    CategoryTrigger,
    Due,
    EventTrigger,
    Gathering,
    Rule,
    Rulebook,
    Trigger,
    extend,
)
from visits.core.text import text_problem
from visits.core.vocabulary import Category
from visits.core.workdays import CalendarFile

__all__ = [
    "calendar_file_from_dict",
    "community_from_dict",
    "community_to_dict",
    "problems_of",
    "rulebook_from_dict",
    "rulebook_to_dict",
]

T = TypeVar("T")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _strict_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be a string, got {_describe(value)}")
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value


def _strict_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"must be an integer, got {_describe(value)}")
    return value


def _strict_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"must be true or false, got {_describe(value)}")
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # TOML has a native date type
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"must be a date written YYYY-MM-DD, got {_describe(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a real date: {value!r}") from None


def _enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    if isinstance(value, str) and value in cls._value2member_map_:
        return cls(value)
    choices = ", ".join(m.value for m in cls)
    noun = re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower()
    raise ValueError(f"unknown {noun} {_describe(value)} (expected one of: {choices})")


def _str_or_enum(value: object, cls: type) -> str:
    if issubclass(cls, enum.StrEnum):
        return _enum(value, cls)
    return _strict_str(value, cls)


def _pair(value: object, _: type) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise TypeError(f"must be a list of two integers [first, last], got {_describe(value)}")
    return (_strict_int(value[0], int), _strict_int(value[1], int))


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"must be a table/object ({what}), got {_describe(value)}")
    return value


def _sequence_hook(conv: cattrs.Converter) -> Callable[[object, Any], tuple[Any, ...]]:
    """Structure ``tuple[X, ...]`` from a list only (a string is not a list of characters), every element checked."""

    def structure(value: object, cls: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"must be a list, got {_describe(value)}")
        element = cls.__args__[0]
        out, errors = [], []
        for i, item in enumerate(value):
            try:
                out.append(conv.structure(item, element))
            except Exception as exc:  # noqa: BLE001 - collected, then problems_of sorts input from bugs
                exc.__notes__ = [*getattr(exc, "__notes__", []), IterableValidationNote(f"@ index {i}", i, element)]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
        return tuple(out)

    return structure


def _is_sequence(cls: object) -> bool:
    args: tuple[object, ...] = getattr(cls, "__args__", ())
    return getattr(cls, "__origin__", None) is tuple and len(args) == 2 and args[-1] is Ellipsis


def _mapping_first(conv: cattrs.Converter) -> Callable[[type], Callable[[object, type], object]]:
    """For attrs classes: a clear problem when the value is not a table/object (not an AttributeError)."""

    def factory(cls: type) -> Callable[[object, type], object]:
        inner: Callable[[Mapping[str, Any], Any], object] = cattrs.gen.make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True
        )

        def structure(value: object, _: type) -> object:
            if not isinstance(value, Mapping):
                raise TypeError(f"must be a table/object, got {_describe(value)}")
            return inner(value, cls)

        return structure

    return factory


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook_factory(attrs.has, _mapping_first(conv))
    conv.register_structure_hook_func(_is_sequence, _sequence_hook(conv))
    # Registered by class: cattrs' own fast path for str/int/enums is bypassed,
    # and the str hook (single dispatch) also receives every StrEnum subclass.
    conv.register_structure_hook(str, _str_or_enum)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.StrEnum), _enum)
    conv.register_structure_hook_func(lambda t: t == tuple[int, int], _pair)
    conv.register_unstructure_hook_func(lambda t: t == tuple[int, int], list)

    def structure_trigger(value: object, _: type) -> Trigger:
        data = _mapping(value, "{ category = ... } or { events = [...] }")
        if "category" in data:
            return conv.structure(data, CategoryTrigger)
        if "events" in data:
            return conv.structure(data, EventTrigger)
        raise ValueError("must have 'category' (a circumstance) or 'events' (a list of event kinds)")

    def structure_cadence(value: object, _: type) -> Cadence:
        data = dict(_mapping(value, "a cadence with a 'kind'"))
        kind = data.pop("kind", None)
        if kind not in CADENCES:
            raise ValueError(f"unknown cadence kind {_describe(kind)} (expected one of: {', '.join(CADENCES)})")
        return conv.structure(data, CADENCES[str(kind)])

    conv.register_structure_hook_func(lambda t: t == Trigger, structure_trigger)
    conv.register_structure_hook_func(lambda t: t == Cadence, structure_cadence)
    for cls in CADENCES.values():
        conv.register_unstructure_hook(cls, _cadence_unstructurer(conv, cls))
    return conv


def _cadence_unstructurer(conv: cattrs.Converter, cls: type[Cadence]) -> Callable[[Any], dict[str, Any]]:
    plain = cattrs.gen.make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)

    def unstructure(value: Cadence) -> dict[str, Any]:
        return {"kind": cls.kind, **plain(value)}

    return unstructure


_CONVERTER = _make_converter()


def problems_of(exc: BaseException, path: str = "") -> list[Problem]:
    """Flatten a structuring error into problems with input paths.

    Exceptions that are not about the input (bugs) are re-raised.
    """
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                out += problems_of(inner, _join(path, note.name))
            elif isinstance(note, IterableValidationNote):
                out += problems_of(inner, f"{path}[{note.index}]")
            else:  # pragma: no cover - cattrs only attaches the two notes above
                out += problems_of(inner, path)
        for inner in without:
            out += problems_of(inner, path)
        return out
    if isinstance(exc, FieldProblems):
        return [Problem(path=_join(path, field), message=message) for field, message in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(path=_join(path, key), message="unknown field") for key in sorted(exc.extra_fields)]
    if isinstance(exc, KeyError):
        return [Problem(path=path, message="required field missing")]
    if isinstance(exc, TypeError | ValueError):
        return [Problem(path=path, message=str(exc))]
    raise exc


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_RECORD = re.compile(r"(households|events|units|people|visits|rules|gatherings)\[(\d+)\]")


def label_paths(problems: list[Problem], data: object) -> list[Problem]:
    """Problems whose path starts at a record, with the record's id beside its index.

    In a file of 40,000 households ``households[2317]`` is hard to find;
    ``households[2317] (H02318).circumstances[1]`` is not.  An id that is not
    a short printable string is left out.
    """
    if not isinstance(data, Mapping):
        return problems
    out = []
    for problem in problems:
        found = _RECORD.match(problem.path)
        if found is not None:
            section, index = data.get(found.group(1)), int(found.group(2))
            record = section[index] if isinstance(section, list) and index < len(section) else None
            ident = record.get("id") if isinstance(record, Mapping) else None
            if isinstance(ident, str) and 0 < len(ident) <= 40 and ident.isprintable() and ident.strip() == ident:
                path = f"{found.group(0)} ({ident}){problem.path[found.end() :]}"
                problem = Problem(path=path, message=problem.message)
        out.append(problem)
    return out


def _ids(raw: object) -> set[str]:
    """The string ids of a raw list of records (whether or not the records passed their checks)."""
    return (
        {r["id"] for r in raw if isinstance(r, Mapping) and isinstance(r.get("id"), str)}
        if isinstance(raw, list)
        else set()
    )


def _structure_slots(raw: object, cls: type[T], path: str, problems: list[Problem]) -> list[T | None]:
    """Structure every element of a list, collecting problems instead of stopping.

    A failed element leaves ``None`` in its place, so that later checks can
    still name elements by their index in the input.
    """
    if not isinstance(raw, list):
        problems.append(Problem(path=path, message=f"must be a list, got {_describe(raw)}"))
        return []
    out: list[T | None] = []
    for i, item in enumerate(raw):
        try:
            out.append(_CONVERTER.structure(item, cls))
        except Exception as exc:  # noqa: BLE001 - problems_of re-raises what is not about input
            found = problems_of(exc, f"{path}[{i}]")
            problems += found + _hidden_problems(item, cls, f"{path}[{i}]", found)
            out.append(None)
    return out


def _hidden_problems(item: object, cls: type, path: str, found: list[Problem]) -> list[Problem]:
    """The class's own checks on the fields that could be read, when others could not.

    Without this, an unknown action would hide ``roles = []`` until the action
    was fixed.  Only classes with a ``field_problems`` check take part; a field
    that already has a problem is not reported twice.
    """
    check = getattr(cls, "field_problems", None)
    if check is None or not isinstance(item, Mapping):
        return []
    values: dict[str, Any] = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        if field.name in item:
            try:
                values[field.name] = _CONVERTER.structure(item[field.name], field.type)
            except Exception:  # noqa: BLE001 - that field's problem is already reported
                continue
        elif field.default is not attrs.NOTHING:
            values[field.name] = field.default
    seen = {p.path for p in found}
    out = [Problem(path=_join(path, f), message=m) for f, m in check(values)]
    return [p for p in out if p.path not in seen]


def _structure_each(raw: object, cls: type[T], path: str, problems: list[Problem]) -> list[T]:
    """Like :func:`_structure_slots`, keeping only the elements that succeeded."""
    return [item for item in _structure_slots(raw, cls, path, problems) if item is not None]


# ----------------------------------------------------------------- rulebooks


_RULEBOOK_KEYS = {"name", "community", "description", "rules", "due", "gatherings", "based_on", "categories"}


def rulebook_from_dict(data: object, base: Rulebook | None = None) -> Rulebook:
    """Build a rulebook from parsed TOML/JSON; :class:`RulebookError` lists every problem.

    With ``base``, the data extends it (see :func:`visits.core.rules.extend`):
    its rules and gatherings replace the base's by id or are added, and
    every field is optional.
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
                header[key] = _strict_str(data[key], str)
            except (TypeError, ValueError) as exc:
                problems.append(Problem(path=key, message=str(exc)))
    if "due" in data:
        try:
            header["due"] = _enum(data["due"], Due)
        except ValueError as exc:
            problems.append(Problem(path="due", message=str(exc)))
    if "name" not in data and base is None:
        problems.append(Problem(path="name", message="required field missing"))
    if "rules" not in data and base is None:
        problems.append(Problem(path="rules", message="required field missing"))
    rules = _structure_each(data.get("rules", []), Rule, "rules", problems)
    _add_duplicate_ids(data.get("rules"), problems, "rules")
    gatherings = _structure_each(data.get("gatherings", []), Gathering, "gatherings", problems)
    _add_duplicate_ids(data.get("gatherings"), problems, "gatherings")
    categories = _categories(data.get("categories", {}), problems)
    if not problems:
        try:
            if base is not None:
                return extend(base, rules, gatherings, categories, **header)
            return Rulebook(rules=tuple(rules), gatherings=tuple(gatherings), categories=tuple(categories), **header)
        except FieldProblems as exc:
            problems += problems_of(exc)
    raise RulebookError(label_paths(problems, data))


def _categories(raw: object, problems: list[Problem]) -> list[CategoryInfo]:
    """The ``[categories.<id>]`` tables: each a known category with ``sensitive = true|false``."""
    if not isinstance(raw, Mapping):
        problems.append(Problem(path="categories", message=f"must be a table of categories, got {_describe(raw)}"))
        return []
    out = []
    for name, body in raw.items():
        path = f"categories.{name}"
        try:
            category = Category(_enum(name, Category))
        except ValueError as exc:
            problems.append(Problem(path=path, message=str(exc)))
            continue
        if not isinstance(body, Mapping):
            problems.append(
                Problem(path=path, message=f"must be a table like {{ sensitive = true }}, got {_describe(body)}")
            )
            continue
        problems += [
            Problem(path=f"{path}.{key}", message="unknown field") for key in sorted(set(body) - {"sensitive"})
        ]
        if "sensitive" not in body:
            problems.append(Problem(path=f"{path}.sensitive", message="required field missing (true or false)"))
            continue
        try:
            out.append(CategoryInfo(category=category, sensitive=_strict_bool(body["sensitive"], bool)))
        except TypeError as exc:
            problems.append(Problem(path=f"{path}.sensitive", message=str(exc)))
    return out


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
    if rulebook.categories:
        out["categories"] = {info.category.value: {"sensitive": info.sensitive} for info in rulebook.categories}
    out["rules"] = [_CONVERTER.unstructure(rule, Rule) for rule in rulebook.rules]
    if rulebook.gatherings:
        out["gatherings"] = [_CONVERTER.unstructure(g, Gathering) for g in rulebook.gatherings]
    return out


# ----------------------------------------------------------------- calendars


def calendar_file_from_dict(data: object) -> CalendarFile:
    """Build a community calendar file; :class:`CalendarError` lists every problem."""
    if not isinstance(data, Mapping):
        raise CalendarError([Problem(path="", message="a calendar file must be a table/object")])
    try:
        return _CONVERTER.structure(data, CalendarFile)
    except Exception as exc:  # noqa: BLE001 - problems_of re-raises what is not about input
        raise CalendarError(problems_of(exc)) from None


# ----------------------------------------------------------------- communities


def community_from_dict(data: object) -> Community:
    """Build a community from parsed JSON; :class:`CommunityError` lists every problem.

    Besides each object's own checks: household and event ids are unique, and
    every event names a known household.
    """
    if not isinstance(data, Mapping):
        raise CommunityError([Problem(path="", message="a community file must be a JSON object")])
    problems: list[Problem] = []
    if "households" not in data:
        problems.append(Problem(path="households", message="required field missing"))
    households = _structure_each(data.get("households", []), Household, "households", problems)
    events = _structure_each(data.get("events", []), Event, "events", problems)
    _add_duplicate_ids(data.get("households"), problems, "households")
    _add_duplicate_ids(data.get("events"), problems, "events")
    known = _ids(data.get("households"))
    raw_events = data.get("events") if isinstance(data.get("households"), list) else None  # else: said above
    for i, raw in enumerate(raw_events if isinstance(raw_events, list) else ()):
        hid = raw.get("household") if isinstance(raw, Mapping) else None
        if isinstance(hid, str) and hid not in known:
            problems.append(Problem(path=f"events[{i}].household", message=f"unknown household {hid!r}"))
    organisation = _organisation(data, households, problems)
    visits = _visits(data, organisation, problems)
    problems += _section_problems(data)
    if problems:
        raise CommunityError(label_paths(problems, data))
    sections = {k: v for k, v in data.items() if k not in ("households", "events", "units", "people", "visits")}
    return Community(
        households=tuple(households),
        events=tuple(events),
        organisation=organisation,
        visits=tuple(visits),
        sections=sections,
    )


def _visits(data: Mapping[str, Any], organisation: Organisation | None, problems: list[Problem]) -> list[Visit]:
    """The ``visits`` section: unique ids, known households and (with an organisation) known people."""
    if "visits" not in data:
        return []
    visits = _structure_slots(data["visits"], Visit, "visits", problems)
    _add_duplicate_ids(data["visits"], problems, "visits")
    households = _ids(data.get("households"))
    people = None if organisation is None else {p.id for p in organisation.people}
    for i, visit in enumerate(visits):
        if visit is None:
            continue
        if visit.household not in households:
            problems.append(Problem(path=f"visits[{i}].household", message=f"unknown household {visit.household!r}"))
        if people is not None and visit.person not in people:
            problems.append(Problem(path=f"visits[{i}].person", message=f"unknown person {visit.person!r}"))
    return [v for v in visits if v is not None]


def _organisation(data: Mapping[str, Any], households: list[Household], problems: list[Problem]) -> Organisation | None:
    """The ``units`` and ``people`` sections, checked against each other and the households."""
    if "units" not in data and "people" not in data:
        return None
    before = len(problems)
    units = _structure_slots(data.get("units", []), Unit, "units", problems)
    people = _structure_slots(data.get("people", []), Person, "people", problems)
    failed = _ids(data.get("units")) - {u.id for u in units if u is not None}
    found = organisation_problems(units, people, failed)
    problems += [Problem(path=path, message=message) for path, message in found]
    levels = {u.id: u.level for u in units if u is not None}
    raw_households = data.get("households")
    for i, raw in enumerate(raw_households if isinstance(raw_households, list) else ()):
        building = raw.get("building") if isinstance(raw, Mapping) else None
        if isinstance(building, str):
            level = levels.get(building)
            if building in failed:
                continue  # that unit's own problem is reported; no second line for it here
            if level is None:
                problems.append(Problem(path=f"households[{i}].building", message=f"unknown building {building!r}"))
            elif level is not Level.BUILDING:
                message = f"{building!r} is a {level.value}, not a building"
                problems.append(Problem(path=f"households[{i}].building", message=message))
    known = _ids(data.get("households"))
    for p, person in enumerate(people):
        for k, household in enumerate(person.households if person is not None else ()):
            if household not in known:
                problems.append(
                    Problem(path=f"people[{p}].households[{k}]", message=f"unknown household {household!r}")
                )
    if len(problems) > before:
        return None
    return Organisation(units=tuple(u for u in units if u), people=tuple(p for p in people if p))


def _section_problems(data: Mapping[str, Any]) -> list[Problem]:
    """The parts of the sections this version keeps untouched that rosters show: the community's name."""
    named = data.get("community")
    if not isinstance(named, Mapping) or "name" not in named:
        return []
    name = named["name"]
    if not isinstance(name, str):
        return [Problem(path="community.name", message=f"must be a string, got {_describe(name)}")]
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
                        "category": c.category.value,
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
                "kind": e.kind.value,
                "date": e.date.isoformat(),
                "severity": e.severity.value,
            }
            for e in community.events
        ],
    }
    if community.visits:
        out["visits"] = [_CONVERTER.unstructure(v, Visit) for v in community.visits]
    if community.organisation is not None:
        out["units"] = [_CONVERTER.unstructure(u, Unit) for u in community.organisation.units]
        out["people"] = [_CONVERTER.unstructure(p, Person) for p in community.organisation.people]
    out.update(community.sections)
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
