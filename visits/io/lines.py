"""A community as lines of JSON: a head, then one household per line with its own events and records.

The whole-file community (docs/contract.md) must be read whole.  This
layout can be read a household at a time, so that a city's file is planned
in bounded memory, or split into partitions planned on many machines:

- **line 1, the head**: a JSON object, ``"format": "visits-lines/1"``
  first, then the community file without its ``households`` and
  ``events``: ``units``, ``people``, the records of units' duties in
  ``visits``, the sections kept untouched;
- **every further line**: one household as in the community file, with its
  events in ``events`` and its visit records in ``visits`` (their
  ``household`` field may be left out: it is the line's), households in
  increasing id order.

Pure: the functions take and give text and parsed values; the files are
read and written by :mod:`visits.io.files`' callers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from visits.core.community import Community
from visits.core.errors import CommunityError, Problem
from visits.core.vocabulary import Vocabulary
from visits.io.convert import community_from_dict, community_to_dict
from visits.io.jsontext import parse_json

__all__ = [
    "FORMAT",
    "at_place",
    "community_from_lines",
    "community_to_lines",
    "head_from_dict",
    "head_from_text",
    "household_lines",
    "is_lines",
    "link_problems",
    "parse_line",
    "part_from_lines",
]

FORMAT = "visits-lines/1"
#: A place in the input (``line 12``) and the household object found there.
Placed = tuple[str, object]
_PATH = re.compile(r"^(households|events|visits)\[(\d+)\]")
_HEAD = re.compile(r'\ufeff?\s*\{\s*"format"\s*:\s*"' + re.escape(FORMAT) + '"')
_ALSO = re.compile(r"\(also ((?:households|events|visits)\[\d+\])\)")


def head_from_dict(data: object, vocabulary: Vocabulary | None = None) -> Community:
    """The head line: the community without households, its organisation and units' records checked.

    People's links to households are not checked here (the households come
    later); :func:`part_from_lines` is given this community's organisation.
    """
    if not isinstance(data, Mapping):
        raise CommunityError([Problem(path="line 1", message="the head must be a JSON object")])
    problems = []
    if data.get("format") != FORMAT:
        problems.append(Problem(path="line 1.format", message=f"must be {FORMAT!r}, got {data.get('format')!r}"))
    for section in ("households", "events"):
        if section in data:
            problems.append(Problem(path=f"line 1.{section}", message="belongs on the households' own lines"))
    try:
        body = {k: v for k, v in data.items() if k != "format"}
        head = community_from_dict({**body, "households": []}, vocabulary, households_elsewhere=True)
    except CommunityError as exc:
        problems += [Problem(path=f"line 1.{p.path}", message=p.message) for p in exc.problems]
    if problems:
        raise CommunityError(problems)
    return head


def head_from_text(text: str, vocabulary: Vocabulary | None = None) -> Community:
    """The head line read strictly (:func:`parse_line`) and checked (:func:`head_from_dict`), problems at line 1."""
    return head_from_dict(parse_line(text, "line 1"), vocabulary)


def link_problems(head: Community, unknown: Callable[[str], bool]) -> list[Problem]:
    """People's links (in the head) to households that ``unknown`` says no line holds."""
    problems = []
    for p, person in enumerate(head.organisation.people if head.organisation is not None else ()):
        for k, household in enumerate(person.households):
            if unknown(household):
                where = f"line 1.people[{p}] ({person.id}).households[{k}]"
                problems.append(Problem(path=where, message=f"unknown household {household!r}"))
    return problems


def part_from_lines(lines: Sequence[Placed], head: Community, vocabulary: Vocabulary | None = None) -> Community:
    """The households of some lines, with their events and records, and the head's organisation.

    Problems are reported at their line: ``line 7 (H00013).circumstances[0].end: ...``.
    The ids must increase from line to line.
    """
    households: list[object] = []
    events: list[object] = []
    visits: list[object] = []
    places: dict[str, list[str]] = {"households": [], "events": [], "visits": []}
    problems: list[Problem] = []
    previous: str | None = None
    for place, raw in lines:
        if not isinstance(raw, Mapping):
            problems.append(Problem(path=place, message="must be a JSON object (one household)"))
            continue
        ident = raw.get("id")
        label = f"{place} ({ident})" if isinstance(ident, str) and ident.isprintable() and len(ident) <= 40 else place
        if isinstance(ident, str):
            if previous is not None and ident <= previous:
                problems.append(Problem(path=label, message=f"after {previous!r}: ids must strictly increase"))
            previous = ident
        households.append({k: v for k, v in raw.items() if k not in ("events", "visits")})
        places["households"].append(label)
        for section, found in (("events", events), ("visits", visits)):
            items = raw.get(section, [])
            if not isinstance(items, list):
                problems.append(Problem(path=f"{label}.{section}", message="must be a list"))
                continue
            for j, item in enumerate(items):
                own = {"household": ident, **item} if isinstance(item, Mapping) else item
                found.append(own)
                places[section].append(f"{label}.{section}[{j}]")
    data: dict[str, Any] = {"households": households, "events": events, "visits": visits}
    try:
        part = community_from_dict(data, vocabulary, where=_placed(places), organisation=head.organisation)
    except CommunityError as exc:
        also = _placed(places)
        problems += [
            Problem(path=p.path, message=_ALSO.sub(lambda m: f"(also {also(m.group(1))})", p.message))
            for p in exc.problems
        ]
    if problems:
        raise CommunityError(problems)
    return attrs.evolve(part, sections=head.sections)


def _placed(places: Mapping[str, Sequence[str]]) -> Callable[[str], str]:
    def where(path: str) -> str:
        found = _PATH.match(path)
        if found is None:
            return path
        return places[found.group(1)][int(found.group(2))] + path[found.end() :]

    return where


def household_lines(lines: Iterable[str], first: int = 2) -> Iterator[Placed]:
    """Each non-blank line parsed, with its place (``line N``, counting from ``first``).

    A line that is not JSON, or names a key twice, raises
    :class:`~visits.core.errors.CommunityError` at its place, as the
    whole-file reader would (:func:`visits.io.jsontext.parse_json`).
    """
    for number, text in enumerate(lines, start=first):
        if text.strip():
            place = f"line {number}"
            yield place, parse_line(text, place)


def parse_line(text: str, place: str) -> object:
    """One line's JSON, read strictly; :class:`~visits.core.errors.CommunityError` at ``place`` if it is not."""
    try:
        return parse_json(text)
    except CommunityError as exc:
        raise CommunityError([at_place(place, p) for p in exc.problems]) from None


def at_place(place: str, problem: Problem) -> Problem:
    """A problem of one line at its place; a column of that line is only a column."""
    message = problem.message.replace("(line 1, column ", "(column ")
    return Problem(path=f"{place}.{problem.path}" if problem.path else place, message=message)


def is_lines(text: str) -> bool:
    """Whether ``text`` starts as a lines layout's head does: ``{"format": "visits-lines/1"``.

    Only the start is looked at (a reader may pass the first few kilobytes):
    the format is the head's first key, as :func:`community_to_lines` writes it.
    """
    return _HEAD.match(text) is not None


def community_from_lines(text: str, vocabulary: Vocabulary | None = None) -> Community:
    """A whole community from its lines (held in memory, as a whole-file community is)."""
    first, _, rest = text.partition("\n")
    problems: list[Problem] = []
    head: Community | None = None
    try:
        head = head_from_text(first, vocabulary)
    except CommunityError as exc:
        problems += exc.problems
    placed: list[Placed] = []
    unread = False
    for number, line in enumerate(rest.split("\n"), start=2):
        try:
            placed.extend(household_lines([line], first=number))
        except CommunityError as exc:  # bad JSON on this line: said, and the other lines still checked
            problems += exc.problems
            unread = True
    part = None
    try:
        part = part_from_lines(placed, head or Community(households=()), vocabulary)
    except CommunityError as exc:
        problems += exc.problems
    if head is not None and not unread:  # a line not read may be the household a person is linked to
        known = {raw.get("id") for _, raw in placed if isinstance(raw, Mapping)}
        problems += link_problems(head, lambda household: household not in known)
    if problems or head is None or part is None:
        raise CommunityError(problems)
    return attrs.evolve(head, households=part.households, events=part.events, visits=(*head.visits, *part.visits))


def community_to_lines(community: Community) -> Iterator[str]:
    """The community as lines of JSON (each without its newline), households in id order."""
    whole = community_to_dict(community)
    events: dict[str, list[dict[str, Any]]] = {}
    for event in whole.pop("events"):
        events.setdefault(event.pop("household"), []).append(event)
    records: dict[str, list[dict[str, Any]]] = {}
    kept = []
    for record in whole.pop("visits", []):
        if "household" in record:
            records.setdefault(record.pop("household"), []).append(record)
        else:
            kept.append(record)
    households = sorted(whole.pop("households"), key=lambda h: h["id"])
    head = {"format": FORMAT, **whole, **({"visits": kept} if kept else {})}
    yield json.dumps(head, ensure_ascii=False)
    for household in households:
        ident = household["id"]
        line = {**household}
        if ident in events:
            line["events"] = events[ident]
        if ident in records:
            line["visits"] = records[ident]
        yield json.dumps(line, ensure_ascii=False)
