"""The machinery under :mod:`visits.io.convert`: a strict cattrs converter, and problems located in the input.

Structuring is done by a cattrs converter with strict scalar hooks (``3`` is
not a string, ``true`` is not an integer, a date is ``YYYY-MM-DD``).  Errors
are turned into :class:`~visits.core.errors.Problem` lines whose paths follow
the input; :func:`label_paths` adds each record's id beside its index.
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
from visits.core.errors import FieldProblems, Problem
from visits.core.rules import CategoryTrigger, EventTrigger, Trigger, UnitTrigger
from visits.core.text import text_problem

__all__ = [
    "CONVERTER",
    "describe_value",
    "label_paths",
    "problems_of",
    "record_ids",
    "strict_bool",
    "strict_enum",
    "strict_str",
    "structure_each",
    "structure_slots",
]

T = TypeVar("T")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe_value(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def strict_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be a string, got {describe_value(value)}")
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value


def _strict_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"must be an integer, got {describe_value(value)}")
    return value


def strict_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"must be true or false, got {describe_value(value)}")
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # TOML has a native date type
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"must be a date written YYYY-MM-DD, got {describe_value(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a real date: {value!r}") from None


def strict_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    if isinstance(value, str) and value in cls._value2member_map_:
        return cls(value)
    choices = ", ".join(m.value for m in cls)
    noun = re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__).lower()
    raise ValueError(f"unknown {noun} {describe_value(value)} (expected one of: {choices})")


def _str_or_enum(value: object, cls: type) -> str:
    if issubclass(cls, enum.StrEnum):
        return strict_enum(value, cls)
    return strict_str(value, cls)


def _pair(value: object, _: type) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise TypeError(f"must be a list of two integers [first, last], got {describe_value(value)}")
    return (_strict_int(value[0], int), _strict_int(value[1], int))


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"must be a table/object ({what}), got {describe_value(value)}")
    return value


def _sequence_hook(conv: cattrs.Converter) -> Callable[[object, Any], tuple[Any, ...]]:
    """Structure ``tuple[X, ...]`` from a list only (a string is not a list of characters), every element checked."""

    def structure(value: object, cls: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"must be a list, got {describe_value(value)}")
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
                raise TypeError(f"must be a table/object, got {describe_value(value)}")
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
    conv.register_structure_hook(bool, strict_bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.StrEnum), strict_enum)
    conv.register_structure_hook_func(lambda t: t == tuple[int, int], _pair)
    conv.register_unstructure_hook_func(lambda t: t == tuple[int, int], list)

    def structure_trigger(value: object, _: type) -> Trigger:
        data = _mapping(value, "{ category = ... }, { events = [...] } or { level = ... }")
        given = [key for key in ("category", "events", "level") if key in data]
        if len(given) > 1:
            raise ValueError(f"must have one of 'category', 'events' or 'level', not {' and '.join(map(repr, given))}")
        if "category" in data:
            return conv.structure(data, CategoryTrigger)
        if "events" in data:
            return conv.structure(data, EventTrigger)
        if "level" in data:
            return conv.structure(data, UnitTrigger)
        raise ValueError(
            "must have 'category' (a circumstance), 'events' (a list of event kinds) or 'level' (a unit's duty)"
        )

    def structure_cadence(value: object, _: type) -> Cadence:
        data = dict(_mapping(value, "a cadence with a 'kind'"))
        kind = data.pop("kind", None)
        if kind not in CADENCES:
            raise ValueError(f"unknown cadence kind {describe_value(kind)} (expected one of: {', '.join(CADENCES)})")
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


CONVERTER = _make_converter()


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
        return [Problem(path=_join(path, p.path), message=p.message) for p in exc.problems]
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


def record_ids(raw: object) -> set[str]:
    """The string ids of a raw list of records (whether or not the records passed their checks)."""
    return (
        {r["id"] for r in raw if isinstance(r, Mapping) and isinstance(r.get("id"), str)}
        if isinstance(raw, list)
        else set()
    )


def structure_slots(raw: object, cls: type[T], path: str, problems: list[Problem]) -> list[T | None]:
    """Structure every element of a list, collecting problems instead of stopping.

    A failed element leaves ``None`` in its place, so that later checks can
    still name elements by their index in the input.
    """
    if not isinstance(raw, list):
        problems.append(Problem(path=path, message=f"must be a list, got {describe_value(raw)}"))
        return []
    out: list[T | None] = []
    for i, item in enumerate(raw):
        try:
            out.append(CONVERTER.structure(item, cls))
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
                values[field.name] = CONVERTER.structure(item[field.name], field.type)
            except Exception:  # noqa: BLE001 - that field's problem is already reported
                continue
        elif field.default is not attrs.NOTHING:
            values[field.name] = field.default
    seen = {p.path for p in found}
    out = [Problem(path=_join(path, f), message=m) for f, m in check(values)]
    return [p for p in out if p.path not in seen]


def structure_each(raw: object, cls: type[T], path: str, problems: list[Problem]) -> list[T]:
    """Like :func:`structure_slots`, keeping only the elements that succeeded."""
    return [item for item in structure_slots(raw, cls, path, problems) if item is not None]
