"""The one exception family of ``visits``.

Every error a user can cause is a :class:`VisitsError` (a :class:`ValueError`)
carrying a list of :class:`Problem` objects, each with the path of the bad
value.  Nothing is raised one problem at a time when more could be found: the
loaders collect every problem of a file before raising.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from visits.core.text import visible

__all__ = [
    "CalendarError",
    "CommunityError",
    "FieldProblems",
    "FontError",
    "OutputError",
    "Problem",
    "RulebookError",
    "VisitsError",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an input, and where it is.

    >>> str(Problem(path="rules[3].cadence.every", message="must be a positive integer, got 0"))
    'rules[3].cadence.every: must be a positive integer, got 0'
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class VisitsError(ValueError):
    """Invalid input; ``problems`` lists every problem found, each with its path."""

    def __init__(self, problems: Sequence[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, prefixed by the source (a file name) if known.

        A line break or an escape sequence in a path (a key in a file can hold
        one) is written out (``<U+000A>``), so a problem stays one line and
        nothing from the input reaches the terminal as a control code.
        """
        prefix = f"{self.source}: " if self.source else ""
        return [visible(prefix + str(p)) for p in self.problems]


class RulebookError(VisitsError):
    """A rulebook (TOML or its dict form) is invalid."""


class CalendarError(VisitsError):
    """A working-day calendar file is invalid."""


class CommunityError(VisitsError):
    """A community file (households, events, ...) is invalid."""


class OutputError(VisitsError):
    """An output file cannot be written (a missing or unwritable directory, a directory in its place, a full disk)."""


class FontError(VisitsError):
    """No usable font covers every character of a roster to be printed as PDF."""


class FieldProblems(VisitsError):
    """Raised by a domain object's own checks: each problem's path is a field of the object.

    The loaders prefix each path with where the object sits in the input
    (``households[3].circumstances[0].end``), so one object reports all of its
    problems at once.
    """

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        super().__init__([Problem(path=field, message=message) for field, message in problems])

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


def raise_if(problems: list[tuple[str, str]]) -> None:
    """Raise :class:`FieldProblems` if ``problems`` is not empty."""
    if problems:
        raise FieldProblems(problems)
