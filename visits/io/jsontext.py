"""JSON text read strictly: repeated keys, over-long numbers and deep nesting are problems, not surprises.

Shared by the whole-file reader (:mod:`visits.io.files`) and the lines
layout (:mod:`visits.io.lines`), so that both refuse the same things in the
same words.
"""

from __future__ import annotations

import json
from typing import Any

from visits.core.errors import CommunityError, Problem, VisitsError
from visits.io.structuring import label_paths

__all__ = ["parse_json"]


class _Repeated(dict[str, Any]):
    """A JSON object that named some keys more than once (the last value kept, the file refused)."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    repeated = []
    for key, value in pairs:
        if key in out:
            repeated.append(key)
        out[key] = value
    if not repeated:
        return out
    marked = _Repeated(out)
    marked.repeated = tuple(repeated)
    return marked


def _repeated_keys(node: object, path: str = "") -> list[Problem]:
    """Every object with a repeated key, with its path."""
    found: list[Problem] = []
    if isinstance(node, _Repeated):
        found += [
            Problem(path=_join(path, key), message="duplicate key (a JSON object may name each key once)")
            for key in dict.fromkeys(node.repeated)
        ]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _repeated_keys(value, _join(path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _repeated_keys(value, f"{path}[{i}]")
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_json(text: str, error: type[VisitsError] = CommunityError) -> Any:
    """JSON text as plain data, refusing what :func:`json.loads` would accept silently or crash on.

    Duplicate keys are an error (JSON would keep the last one and lose a
    section), as are numbers too long to convert and nesting too deep to read.
    """
    repeated = False

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        made = _object(pairs)
        repeated = repeated or isinstance(made, _Repeated)
        return made

    try:
        data = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise error([Problem(path="", message=message)]) from None
    except RecursionError:
        raise error([Problem(path="", message="not readable: nested too deeply")]) from None
    except ValueError as exc:  # a number with more digits than Python converts
        raise error([Problem(path="", message=f"not readable: {exc}".split(";")[0])]) from None
    if repeated:
        raise error(label_paths(_repeated_keys(data), data))
    return data
