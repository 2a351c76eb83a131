"""Rosters as PDF: A4 landscape, the CJK font embedded as a subset.

Made with reportlab (BSD licence, maintained since 2000, pure Python): it
embeds TrueType fonts as subsets and draws on a page; where each row, header
and page break goes is worked out by :mod:`visits.render.pages`.

The font is the one given, or the first TrueType CJK font found on the
system (WenQuanYi Zen Hei, AR PL UMing, Droid Sans Fallback; Microsoft YaHei,
SimHei, SimSun on Windows; Arial Unicode on macOS), chosen by
:mod:`visits.render.fonts`: if it lacks any character of the roster, nothing
is written and :class:`~visits.core.errors.FontError` names the characters
and the fix, so no empty boxes are ever printed in place of a name.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from visits.core.roster import Roster
from visits.render.fonts import CANDIDATE_FONTS, PdfFont, choose_font
from visits.render.formats import HEADINGS, cells, role_summary
from visits.render.pages import MAX_CELL, PAGE, layout, paint

__all__ = ["CANDIDATE_FONTS", "MAX_CELL", "PdfFont", "choose_font", "roster_text", "to_pdf"]


def roster_text(roster: Roster) -> str:
    """Every piece of text the PDF will show (to check the font's coverage)."""
    parts = [
        roster.title,
        *HEADINGS[roster.language],
        "第页共 0123456789",
        "Page of",
        role_summary(roster, roster.by_role),
        roster.sign_off,
    ]
    for group in roster.groups:
        parts += [
            group.title,
            group.subtitle,
            *(name for name, _ in group.by_rule),
            role_summary(roster, group.by_role),
        ]
        for line in group.lines:
            parts += cells(0, line)
    return "".join(parts)


def to_pdf(
    roster: Roster,
    font: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The roster as PDF bytes; raises :class:`FontError` before writing anything if glyphs are missing.

    ``progress``, if given, is told ``(groups laid out, groups)`` as each
    group starts on its page.
    """
    chosen, ttfont = choose_font(roster_text(roster), font)
    pdfmetrics.registerFont(ttfont)
    pages = layout(roster, chosen.name, progress)
    output = io.BytesIO()
    # Same roster, same bytes: a fixed document id and creation date
    # (reportlab takes SOURCE_DATE_EPOCH if it is set, else 2000-01-01).
    # The roster's font from the first page on: no unembedded Helvetica
    # resource.  (The stubs type initialFontName as a number; it is a name.)
    drawn = canvas.Canvas(output, pagesize=PAGE, invariant=1, initialFontName=chosen.name)  # type: ignore[arg-type]
    drawn.setTitle(roster.title)
    drawn.setSubject(roster.title)
    drawn.setAuthor("visits")
    zh = roster.language == "zh"
    paint(
        pages,
        drawn,
        chosen.name,
        footer="第 {n} 页 共 {total} 页" if zh else "Page {n} of {total}",
        continued="（续）" if zh else " (continued)",
    )
    drawn.save()
    return output.getvalue()
