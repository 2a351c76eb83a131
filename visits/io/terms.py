"""The vocabulary tables of a rulebook file, and the vocabulary ids that files name.

Plain data <-> :class:`~visits.core.vocabulary.Vocabulary` (``[categories.<id>]``,
``[roles.<id>]``, ...), and the walks that find every id a rulebook's rules or
a community file name, as raw data, so that they are checked even in records
that fail other checks (:mod:`visits.core.conformance` says whether they exist).
Pure: no file access.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from visits.core.conformance import Reference
from visits.core.errors import FieldProblems, Problem
from visits.core.vocabulary import TABLES, Term, Vocabulary
from visits.io.structuring import CONVERTER, describe_value, problems_of

__all__ = ["by_record", "community_references", "rule_references", "vocabulary_from_dict", "vocabulary_to_dict"]

_TERM_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TERM_FIELDS = frozenset({"title", "title_en", "description"})


def vocabulary_from_dict(
    data: Mapping[str, Any], problems: list[Problem], base: Vocabulary | None
) -> Vocabulary | None:
    """The vocabulary tables (``[categories.<id>]``, ``[roles.<id>]``, ...), over the base's when extending.

    In an extending rulebook a term the base declares takes only the fields
    given and keeps the rest.
    """
    before = len(problems)
    tables: dict[str, tuple[Term, ...]] = {}
    for table, extra in TABLES.items():
        raw = data.get(table, {})
        if not isinstance(raw, Mapping):
            problems.append(Problem(path=table, message=f"must be a table of {table}, got {describe_value(raw)}"))
            continue
        inherited = {t.id: t for t in getattr(base, table)} if base is not None else {}
        terms = [inherited[i] for i in inherited if i not in raw]
        for ident, body in raw.items():
            term = _term(table, ident, body, extra, inherited.get(ident), problems)
            if term is not None:
                terms.append(term)
        order = list(inherited) + [i for i in raw if i not in inherited]
        tables[table] = tuple(sorted(terms, key=lambda t: order.index(t.id)))
    if len(problems) > before:
        return None
    try:
        return Vocabulary(**tables)
    except FieldProblems as exc:
        problems += problems_of(exc)
        return None


def _term(
    table: str, ident: str, body: object, extra: frozenset[str], base: Term | None, problems: list[Problem]
) -> Term | None:
    """One term of a vocabulary table, checked; ``base`` is the term it overrides."""
    path = f"{table}.{ident}"
    if not _TERM_ID.fullmatch(ident):
        problems.append(Problem(path=path, message=f"an id must be lower-case letters, digits, _ or -, got {ident!r}"))
        return None
    if not isinstance(body, Mapping):
        message = f'must be a table like {{ title = "…" }}, got {describe_value(body)}'
        problems.append(Problem(path=path, message=message))
        return None
    unknown = sorted(set(body) - _TERM_FIELDS - extra)
    problems += [Problem(path=f"{path}.{key}", message="unknown field") for key in unknown]
    if table == "categories" and base is None and "sensitive" not in body:
        problems.append(Problem(path=f"{path}.sensitive", message="required field missing (true or false)"))
    if unknown or (table == "categories" and base is None and "sensitive" not in body):
        return None
    values = {} if base is None else {k: v for k, v in CONVERTER.unstructure(base, Term).items() if k != "id"}
    try:
        return CONVERTER.structure({**values, **body, "id": ident}, Term)
    except Exception as exc:  # noqa: BLE001 - problems_of re-raises what is not about input
        problems += problems_of(exc, path)
        return None


def vocabulary_to_dict(vocabulary: Vocabulary) -> dict[str, Any]:
    """The vocabulary tables, each term with only the fields it uses."""
    out: dict[str, Any] = {}
    for table, extra in TABLES.items():
        terms: tuple[Term, ...] = getattr(vocabulary, table)
        if not terms:
            continue
        out[table] = {}
        for term in terms:
            body: dict[str, Any] = {"title": term.title}
            body.update({f: getattr(term, f) for f in ("title_en", "description") if getattr(term, f)})
            if "sensitive" in extra:
                body["sensitive"] = term.sensitive
            if "severities" in extra and term.severities:
                body["severities"] = list(term.severities)
            if "level" in extra:
                body.update({"level": term.level} if term.level is not None else {"linked": term.linked})
            if "team" in extra and term.team:
                body["team"] = list(term.team)
            out[table][term.id] = body
    return out


_COMMUNITY_SECTIONS = ("households", "events", "units", "people", "visits", "community")
_PLACE = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def by_record(problems: list[Problem], sections: tuple[str, ...] = _COMMUNITY_SECTIONS) -> list[Problem]:
    """Problems grouped by the record they are about, sections in ``sections``' order, the others first.

    A stable sort: the problems of one record keep the order they were found in.
    """

    def place(problem: Problem) -> tuple[int, int]:
        found = _PLACE.match(problem.path)
        section = found.group(1) if found else ""
        rank = sections.index(section) if section in sections else -1
        index = int(found.group(2)) if found and found.group(2) is not None else -1
        return rank, index

    return sorted(problems, key=place)


def rule_references(data: Mapping[str, Any]) -> Iterator[Reference]:
    """The vocabulary ids a rulebook's rules and gatherings name, wherever they are strings, with their paths."""
    lists = (
        ("rules", "roles", "roles"),
        ("gatherings", "invites", "categories"),
        ("gatherings", "roles", "roles"),
    )
    for i, rule in _records(data, "rules"):
        if isinstance(rule.get("action"), str):
            yield f"rules[{i}].action", "actions", rule["action"]
        trigger = rule.get("trigger")
        if isinstance(trigger, Mapping):
            for field, table in (("category", "categories"), ("level", "levels")):
                if isinstance(trigger.get(field), str):
                    yield f"rules[{i}].trigger.{field}", table, trigger[field]
            for field, table in (("events", "events"), ("severities", "severities")):
                yield from _strings(trigger.get(field), f"rules[{i}].trigger.{field}", table)
    for section, field, table in lists:
        for i, record in _records(data, section):
            yield from _strings(record.get(field), f"{section}[{i}].{field}", table)


def _strings(raw: object, path: str, table: str) -> Iterator[Reference]:
    for k, item in enumerate(raw if isinstance(raw, list) else ()):
        if isinstance(item, str):
            yield f"{path}[{k}]", table, item


def _records(data: Mapping[str, Any], section: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    raw = data.get(section)
    for i, record in enumerate(raw if isinstance(raw, list) else ()):
        if isinstance(record, Mapping):
            yield i, record


def community_references(data: Mapping[str, Any]) -> Iterator[Reference]:
    """The vocabulary ids a community file names, wherever they are strings, with their paths."""
    fields = (
        ("events", "kind", "events"),
        ("events", "severity", "severities"),
        ("visits", "action", "actions"),
        ("units", "level", "levels"),
    )
    for section, field, table in fields:
        for i, record in _records(data, section):
            if isinstance(record.get(field), str):
                yield f"{section}[{i}].{field}", table, record[field]
    nested = (("households", "circumstances", "category", "categories"), ("people", "positions", "role", "roles"))
    for section, inner, field, table in nested:
        for i, record in _records(data, section):
            items = record.get(inner)
            for k, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, Mapping) and isinstance(item.get(field), str):
                    yield f"{section}[{i}].{inner}[{k}].{field}", table, item[field]
