"""Where everything on a printed roster's pages goes, and drawing it.

The roster's tables are laid out here by arithmetic, not by reportlab's
platypus: every cell holds plain text broken into lines by
:class:`Wrapper`, so a row's height is its most lines times the leading, and
a page holds the rows that fit.  :func:`layout` is pure: it gives
:class:`Page` values (text runs, header shading, grid lines) and knows the
page count before anything is drawn, so "page N of M" costs nothing.
:func:`paint` draws them with reportlab's canvas, one text object per page.

Platypus' ``Table`` built a cell object per cell and measured each again as
it drew; for a city's December that was three quarters of the PDF's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas, textobject

from visits.core.roster import Roster
from visits.render.formats import HEADINGS, cells, role_summary

__all__ = ["MAX_CELL", "PAGE", "Page", "Wrapper", "layout", "paint"]

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


class Wrapper:
    """Greedy line breaking by character widths, between pieces (:data:`_PIECE`).

    A piece wider than a whole line is cut between characters.  Text longer
    than ``limit`` characters is cut with "…" first.  A roster repeats its
    dates, roles and visitors on thousands of lines, so answers are kept.
    """

    def __init__(self, font: str, size: float, limit: int | None = MAX_CELL) -> None:
        self.font, self.size, self.limit = font, size, limit
        self.widths: dict[str, float] = {}
        self._done: dict[tuple[str, float], tuple[str, ...]] = {}

    def _width(self, text: str) -> float:
        total = 0.0
        for ch in text:
            w = self.widths.get(ch)
            if w is None:
                w = self.widths[ch] = pdfmetrics.stringWidth(ch, self.font, self.size)
            total += w
        return total

    def __call__(self, text: str, width: float) -> str:
        return "\n".join(self.lines(text, width))

    def lines(self, text: str, width: float) -> tuple[str, ...]:
        """``text`` broken into lines no wider than ``width`` (but for a single character wider than it)."""
        done = self._done.get((text, width))
        if done is None:
            done = self._done[text, width] = self._break(text, width)
        return done

    def _break(self, text: str, width: float) -> tuple[str, ...]:
        if self.limit is not None and len(text) > self.limit:
            text = text[: self.limit - 1] + "…"
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
        return tuple(lines)


PAGE = landscape(A4)
_MARGIN = 10 * mm
#: The top margin leaves room for the running head of a continuation page;
#: 6 points more each way keep the frame platypus used to draw in.
_TOP = PAGE[1] - 13 * mm - 6
_BOTTOM = 12 * mm + 6
_WIDTHS = (4, 8, 9, 11, 14, 12, 7, 7, 8, 6, 8, 6)
_SIZE, _LEADING, _PADDING = 8.0, 10.0, 3.0
#: (top, bottom) padding of the header row and of the other rows.
_HEAD_PAD, _ROW_PAD = (3.0, 3.0), (4.0, 5.0)
_SIGN_OFF_TOP = 6 * mm
#: (size, leading, space after) of the title, a group's heading, and a note.
_TITLE, _HEADING, _NOTE = (15.0, 19.0, 3 * mm), (12.0, 15.0, 1.5 * mm), (8.0, 10.0, 2 * mm)

#: A run of text: x, the first line's baseline, font size, leading, its lines, grey or not.
Run = tuple[float, float, float, float, tuple[str, ...], bool]


@attrs.define
class Page:
    """One page: its text runs, its shaded rectangles (x, y, w, h) and its grid lines (x1, y1, x2, y2)."""

    runs: list[Run] = attrs.field(factory=list)
    shaded: list[tuple[float, float, float, float]] = attrs.field(factory=list)
    rules: list[tuple[float, float, float, float]] = attrs.field(factory=list)
    running: str = ""  # the running head of a page that continues a group


class _Flow:
    """Fills pages from the top down; ``y`` is where the next thing's top goes."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.pages: list[Page] = []
        self.y = 0.0
        self.wrappers: dict[float, Wrapper] = {}
        self.new_page()

    def new_page(self, running: str = "") -> Page:
        self.pages.append(Page(running=running))
        self.y = _TOP
        return self.pages[-1]

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def paragraph(self, text: str, style: tuple[float, float, float], grey: bool = False) -> None:
        size, leading, after = style
        wrapper = self.wrappers.get(size) or self.wrappers.setdefault(size, Wrapper(self.font, size, limit=None))
        lines = wrapper.lines(text, PAGE[0] - 2 * _MARGIN)
        if self.y - leading * len(lines) < _BOTTOM and self.y < _TOP:
            self.new_page(self.page.running)
        self.page.runs.append((_MARGIN, self.y - size, size, leading, lines, grey))
        self.y -= leading * len(lines) + after


def layout(roster: Roster, font: str, progress: Callable[[int, int], None] | None = None) -> list[Page]:
    """The roster's pages: the title, then each group from a page of its own, with its counts and its table.

    ``progress``, if given, is told ``(groups laid out, groups)`` as each
    group starts on its page.
    """
    flow = _Flow(font)
    separator = "，" if roster.language == "zh" else ", "
    flow.paragraph(roster.title, _TITLE)
    flow.paragraph(separator.join(f"{k} {v}" for k, v in roster.by_rule), _NOTE, grey=True)
    if roster.by_role:
        flow.paragraph(role_summary(roster, roster.by_role), _NOTE, grey=True)
    table = _Table(flow, roster.language, roster.sign_off)
    for i, group in enumerate(roster.groups):
        if i:
            flow.new_page()
        label = f"{group.subtitle} {group.title}".strip()
        if progress is not None:
            progress(i + 1, len(roster.groups))
        flow.paragraph(f"{label}（{len(group.lines)}）", _HEADING)
        flow.paragraph(separator.join(f"{k} {v}" for k, v in group.by_rule), _NOTE, grey=True)
        if group.by_role:
            flow.paragraph(role_summary(roster, group.by_role), _NOTE, grey=True)
        table.draw(
            [cells(n, line) for n, line in enumerate(group.lines, 1)],
            running=f"{roster.title} · {label}",
        )
    if not roster.groups:
        flow.paragraph("（本月无走访安排）" if roster.language == "zh" else "(nothing due this month)", _NOTE)
    return flow.pages


class _Table:
    """A group's table: the header row on every page it spans, its lines, then the sign-off line if any."""

    def __init__(self, flow: _Flow, language: str, sign_off: str) -> None:
        usable = PAGE[0] - 2 * _MARGIN
        self.flow, self.sign_off = flow, sign_off
        self.widths = [usable * w / sum(_WIDTHS) for w in _WIDTHS]
        self.lefts = [_MARGIN + sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.inner = [w - 2 * _PADDING - 0.5 for w in self.widths]
        self.wrap = Wrapper(flow.font, _SIZE)
        self.heading = [self.wrap.lines(h, self.inner[i]) for i, h in enumerate(HEADINGS[language])]

    def _row(self, row: Sequence[str]) -> list[tuple[str, ...]]:
        return [self.wrap.lines(c, self.inner[i]) if c else () for i, c in enumerate(row)]

    def draw(self, rows: Sequence[Sequence[str]], running: str) -> None:
        """Lay out ``rows`` under the header; the sign-off line never goes to a page alone."""
        flow = self.flow
        wrapped = [self._row(row) for row in rows]
        heights = [_height(row, _ROW_PAD) for row in wrapped]
        head = _height(self.heading, _HEAD_PAD)
        sign = _SIGN_OFF_TOP + _LEADING + _ROW_PAD[1] if self.sign_off else 0.0
        keep = max(0, len(rows) - 2)  # the last two lines stay with the sign-off line
        top = self._start(head)
        for n, row in enumerate(wrapped):
            needed = sum(heights[n:]) + sign if n == keep and sign else heights[n]
            if flow.y - needed < _BOTTOM and flow.y < top - head:
                self._close(top)
                flow.new_page(running)
                top = self._start(head)
            self._cells(row, _ROW_PAD)
            flow.y -= heights[n]
        self._close(top)
        if self.sign_off:
            flow.page.runs.append(
                (_MARGIN + _PADDING, flow.y - _SIGN_OFF_TOP - _SIZE, _SIZE, _LEADING, (self.sign_off,), False)
            )
            flow.y -= sign

    def _start(self, head: float) -> float:
        """The header row at the flow's place; gives the table's top on this page."""
        flow, top = self.flow, self.flow.y
        flow.page.shaded.append((self.lefts[0], top - head, self.lefts[-1] - self.lefts[0], head))
        self._cells(self.heading, _HEAD_PAD)
        flow.y -= head
        return top

    def _cells(self, row: Sequence[tuple[str, ...]], padding: tuple[float, float]) -> None:
        """One row's cells from the flow's place, and the rule under it."""
        flow, runs = self.flow, self.flow.page.runs
        baseline = flow.y - padding[0] - _SIZE
        for left, lines in zip(self.lefts, row, strict=False):
            if lines:
                runs.append((left + _PADDING, baseline, _SIZE, _LEADING, lines, False))
        bottom = flow.y - _height(row, padding)
        flow.page.rules.append((self.lefts[0], bottom, self.lefts[-1], bottom))

    def _close(self, top: float) -> None:
        """The table's top rule and its columns' rules, from ``top`` down to where the rows ended."""
        rules, bottom = self.flow.page.rules, self.flow.y
        rules.append((self.lefts[0], top, self.lefts[-1], top))
        rules.extend((x, top, x, bottom) for x in self.lefts)


def _height(row: Sequence[tuple[str, ...]], padding: tuple[float, float]) -> float:
    return max(1, *(len(lines) for lines in row)) * _LEADING + padding[0] + padding[1]


class _Text(textobject.PDFTextObject):
    """A text object that encodes each distinct line once per document.

    reportlab turns a line into its font subsets' codes character by
    character, every time it is drawn.  A city's December draws 157,000
    lines but only 11,000 different ones (dates, roles and visitors repeat),
    so the encoding is remembered, with the subset it leaves selected (the
    next line's codes depend on it).  Codes are fixed per document once
    given, so a remembered line is the same bytes as a fresh one.
    """

    # Set by reportlab (its stubs do not declare them).
    _curSubset: int
    _fontname: str
    _fontsize: float
    _leading: float

    def __init__(self, output: canvas.Canvas, memo: dict[tuple[object, ...], tuple[str, int]]) -> None:
        super().__init__(output)
        self._memo = memo

    def _formatText(self, text: str) -> str:
        key = (text, self._curSubset, self._fontname, self._fontsize, self._leading)
        known = self._memo.get(key)
        if known is None:
            encoded: str = super()._formatText(text)  # type: ignore[misc]  # not in the stubs
            known = self._memo[key] = (encoded, self._curSubset)
        else:
            self._curSubset = known[1]
        return known[0]


def paint(pages: Sequence[Page], output: canvas.Canvas, font: str, footer: str, continued: str) -> None:
    """Draw ``pages`` on ``output``: shading, grid, text, the running head and 'page N of M' (``footer``)."""
    memo: dict[tuple[object, ...], tuple[str, int]] = {}
    grey, ink, rule = colors.HexColor("#333333"), colors.black, colors.HexColor("#444444")
    shade = colors.HexColor("#E6E6E6")
    for n, page in enumerate(pages, 1):
        if page.shaded:
            output.setFillColor(shade)
            for x, y, w, h in page.shaded:
                output.rect(x, y, w, h, stroke=0, fill=1)
        if page.rules:
            output.setStrokeColor(rule)
            output.setLineWidth(0.5)
            output.lines(page.rules)
        text = _Text(output, memo)
        shown: tuple[float, float, bool] | None = None
        for x, y, size, leading, lines, is_grey in page.runs:
            if shown != (size, leading, is_grey):
                text.setFont(font, size, leading)
                text.setFillColor(grey if is_grey else ink)
                shown = (size, leading, is_grey)
            text.setTextOrigin(x, y)
            for line in lines:
                text.textLine(line)
        output.drawText(text)
        output.setFillColor(ink)
        output.setFont(font, 8)
        output.drawCentredString(PAGE[0] / 2, 6 * mm, footer.format(n=n, total=len(pages)))
        if page.running:
            output.setFont(font, 9)
            output.drawString(10 * mm, PAGE[1] - 9 * mm, page.running + continued)
        output.showPage()
