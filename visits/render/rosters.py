"""One entry point for every roster format: a :class:`~visits.core.roster.Roster` in, bytes out."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:  # the command line reads ROSTER_FORMATS before it needs any roster
    from visits.core.roster import Roster

__all__ = ["ROSTER_FORMATS", "RosterFormat", "render_roster"]

#: The formats a roster is written in.
RosterFormat = Literal["html", "pdf", "xlsx", "csv", "ics"]
ROSTER_FORMATS: tuple[RosterFormat, ...] = get_args(RosterFormat)


def render_roster(
    roster: Roster,
    fmt: RosterFormat,
    *,
    font: str | os.PathLike[str] | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The roster as a file's bytes: the same roster gives the same bytes.

    ``font`` (PDF only) is a TrueType font with every character of the
    roster; by default one is found among the installed fonts, and
    :class:`~visits.core.errors.FontError` says so if none has them all.
    ``created`` (XLSX only) is the creation date written into the workbook
    (default: a fixed date, so that the same roster gives the same bytes).
    ``progress``, if given, is told ``(groups done, groups)`` by the formats
    that take long on a large roster (PDF, XLSX, ICS); the others are quick.
    The layout libraries are imported here, on first use, so that
    ``import visits`` stays quick for a service that only plans.
    """
    if fmt == "pdf":
        from visits.render.pdf import to_pdf  # reportlab, for PDF only

        return to_pdf(roster, font, progress)
    from visits.render import formats

    if fmt == "xlsx":
        return formats.to_xlsx(roster, created or formats.FIXED_CREATED, progress)
    if fmt == "html":
        from visits.render.html import to_html

        return to_html(roster)
    if fmt == "csv":
        return formats.to_csv(roster)
    if fmt == "ics":
        return formats.to_ics(roster, progress)
    raise ValueError(f"format must be one of {', '.join(ROSTER_FORMATS)}, got {fmt!r}")
