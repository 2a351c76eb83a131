"""Rosters as PDF: A4 landscape, the CJK font embedded as a subset.

Made with reportlab (BSD licence, maintained since 2000, pure Python): it
embeds TrueType fonts as subsets and repeats a table's header row on every
page.

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
import re
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from visits.core.roster import Roster
from visits.render.fonts import CANDIDATE_FONTS, PdfFont, choose_font
from visits.render.formats import HEADINGS, cells, role_summary

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


_WIDTHS = (4, 8, 9, 11, 14, 12, 7, 7, 8, 6, 8, 6)
#: The top margin leaves room for the running head of a continuation page.
_TOP = 13 * mm


class _Canvas(canvas.Canvas):
    """A canvas that knows the group whose page it is drawing, and the page the group began on."""

    running: tuple[str, int] | None = None


class _Running(Flowable):
    """Takes no room; tells the canvas which group this page and the next ones belong to.

    The canvas prints ``text`` at the top of every later page until the next
    group starts, so a page that continues a group says whose it is.
    """

    def __init__(self, text: str, drawn: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.text, self.drawn = text, drawn

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        if isinstance(self.canv, _Canvas):
            self.canv.running = (self.text, self.canv.getPageNumber())
        if self.drawn is not None:
            self.drawn()


#: A printed cell holds at most this many characters (a table row cannot run
#: over a page); longer text is cut with "…".  HTML, XLSX and CSV keep it all.
MAX_CELL = 200


#: The pieces a printed cell's line may end between: a run of Latin letters,
#: digits and the marks inside dates and ids, with a dash that ends it
#: ("2026-12-28–" then "2027-01-03"); or one other character, as CJK text
#: breaks after any ideograph; or a run of spaces.  Opening brackets stay with
#: what follows them and closing punctuation with what precedes it, so no line
#: starts with "）" or ends with "（".
_PIECE = re.compile(r"[（「『【(]*(?:[0-9A-Za-z_.:/\-]+[–—]?|\S)[）」』】)，。、；：！？,.;:!?]*|\s+")


class _Wrapper:
    """Greedy line breaking by character widths, between pieces (:data:`_PIECE`).

    A piece wider than a whole line is cut between characters.
    """

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self.widths: dict[str, float] = {}

    def _width(self, text: str) -> float:
        total = 0.0
        for ch in text:
            w = self.widths.get(ch)
            if w is None:
                w = self.widths[ch] = pdfmetrics.stringWidth(ch, self.font, self.size)
            total += w
        return total

    def __call__(self, text: str, width: float) -> str:
        if len(text) > MAX_CELL:
            text = text[: MAX_CELL - 1] + "…"
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        for piece in _PIECE.findall(text):
            w = self._width(piece)
            if used + w > width and line:
                lines.append("".join(line).rstrip())
                line, used = [], 0.0
                if piece.isspace():
                    continue
            if w <= width:
                line.append(piece)
                used += w
                continue
            for ch in piece:  # wider than a line: cut anywhere
                w = self._width(ch)
                if used + w > width and line:
                    lines.append("".join(line))
                    line, used = [], 0.0
                line.append(ch)
                used += w
        lines.append("".join(line))
        return "\n".join(lines)


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
    page = landscape(A4)
    margin = 10 * mm
    story = _story(roster, _Styles(chosen.name), usable=page[0] - 2 * margin, progress=progress)
    footer = "第 {n} 页 共 {total} 页" if roster.language == "zh" else "Page {n} of {total}"
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=_TOP,
        bottomMargin=12 * mm,
        title=roster.title,
        author="visits",
        subject=roster.title,
        # Same roster, same bytes: a fixed document id and creation date
        # (reportlab takes SOURCE_DATE_EPOCH if it is set, else 2000-01-01).
        invariant=1,
    )
    document.build(story, canvasmaker=_numbered(chosen.name, page, footer, roster.language))
    return output.getvalue()


class _Styles:
    """The roster's paragraph and table styles, all in one font."""

    SIZE = 8
    PADDING = 3

    def __init__(self, name: str) -> None:
        size = self.SIZE
        self.name = name
        self.cell = ParagraphStyle(
            "cell", fontName=name, bulletFontName=name, fontSize=size, leading=size * 1.25, wordWrap="CJK"
        )
        self.title = ParagraphStyle(
            "title", fontName=name, bulletFontName=name, fontSize=15, leading=19, spaceAfter=3 * mm
        )
        self.group = ParagraphStyle(
            "group", fontName=name, bulletFontName=name, fontSize=12, leading=15, spaceAfter=1.5 * mm
        )
        self.note = ParagraphStyle(
            "note",
            fontName=name,
            bulletFontName=name,
            fontSize=8,
            leading=10,
            spaceAfter=2 * mm,
            textColor=colors.HexColor("#333333"),
            wordWrap="CJK",
        )
        self.table = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), name),
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LEADING", (0, 0), (-1, -1), size * 1.25),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), self.PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), self.PADDING),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )


def _story(
    roster: Roster, styles: _Styles, usable: float, progress: Callable[[int, int], None] | None = None
) -> list[Any]:
    """The flowables: the title, then each group on its own page with its counts and its table."""
    widths = [usable * w / sum(_WIDTHS) for w in _WIDTHS]
    inner = [w - 2 * styles.PADDING - 0.5 for w in widths]
    wrap = _Wrapper(styles.name, styles.SIZE)
    separator = "，" if roster.language == "zh" else ", "
    headings = [wrap(h, inner[i]) for i, h in enumerate(HEADINGS[roster.language])]

    def para(text: str, style: ParagraphStyle = styles.cell) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Any] = [
        para(roster.title, styles.title),
        para(separator.join(f"{k} {v}" for k, v in roster.by_rule), styles.note),
    ]
    if roster.by_role:
        story.append(para(role_summary(roster, roster.by_role), styles.note))
    for i, group in enumerate(roster.groups):
        if i:
            story.append(PageBreak())
        label = f"{group.subtitle} {group.title}".strip()
        story.append(_Running(f"{roster.title} · {label}", _told(progress, i + 1, len(roster.groups))))
        story.append(para(f"{label}（{len(group.lines)}）", styles.group))
        story.append(para(separator.join(f"{k} {v}" for k, v in group.by_rule), styles.note))
        if group.by_role:
            story.append(para(role_summary(roster, group.by_role), styles.note))
        rows = [
            headings,
            *(
                [wrap(c, inner[i]) if c else c for i, c in enumerate(cells(n, line))]
                for n, line in enumerate(group.lines, 1)
            ),
        ]
        story.append(_table(rows, roster.sign_off, widths, styles))
    if not roster.groups:
        story.append(para("（本月无走访安排）" if roster.language == "zh" else "(nothing due this month)"))
    return story


def _told(progress: Callable[[int, int], None] | None, done: int, total: int) -> Callable[[], None] | None:
    """What tells ``progress`` that ``done`` of ``total`` groups are laid out, if anything listens."""
    if progress is None:
        return None
    return lambda: progress(done, total)


def _table(rows: list[list[str]], sign_off: str, widths: list[float], styles: _Styles) -> Table:
    """A group's table: the header row (repeated on each page), its lines, then the sign-off line if any.

    The sign-off line spans the table without a grid, and it never goes to a
    page alone: it is kept with the group's last two lines.
    """
    last = len(rows) - 1
    commands: list[Any] = [("GRID", (0, 0), (-1, last), 0.5, colors.HexColor("#444444"))]
    if sign_off:
        rows = [*rows, [sign_off, *[""] * (len(widths) - 1)]]
        commands += [
            ("SPAN", (0, last + 1), (-1, last + 1)),
            ("TOPPADDING", (0, last + 1), (-1, last + 1), 6 * mm),
            ("NOSPLIT", (0, max(1, last - 1)), (-1, last + 1)),
        ]
    table = Table(rows, colWidths=widths, repeatRows=1, style=styles.table)
    table.setStyle(TableStyle(commands))
    return table


def _numbered(name: str, page: tuple[float, float], footer: str, language: str) -> type[_Canvas]:
    """A canvas that stamps 'page N of M' (``footer``) on every page, in the roster's font.

    A page that continues a group from the page before also gets a running
    head: the roster's title and the group's unit, marked 续 (continued).
    """
    width, height = page
    continued = "（续）" if language == "zh" else " (continued)"

    class Numbered(_Canvas):
        """Two passes: remember each page, then stamp 'page N of M' on all of them."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = name  # no unembedded Helvetica resource
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own reset

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(name, 8)
                self.drawCentredString(width / 2, 6 * mm, footer.format(n=self.getPageNumber(), total=total))
                running = state.get("running")
                if running is not None and running[1] != self.getPageNumber():
                    self.setFont(name, 9)
                    self.drawString(10 * mm, height - 9 * mm, running[0] + continued)
                super().showPage()
            super().save()

    return Numbered
