"""Where a printed roster's rows, headers and page breaks go (visits.render.pages), checked on the layout itself.

The layout is arithmetic over wrapped text, so its promises are checked here
on generated rosters without drawing anything: every line inside the frame,
every roster line printed once and in order, the header on every page a
table reaches, a running head exactly on continuation pages, and the sign-off
never alone.  tests/test_roster.py reads real PDFs back with poppler.
"""

from __future__ import annotations

import datetime as dt
import io

import attrs
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas, textobject

from visits.core.roster import Roster, RosterGroup, RosterLine
from visits.render import pages
from visits.render.formats import HEADINGS
from visits.render.pages import _BOTTOM, _MARGIN, _PADDING, _TOP, PAGE, Page, layout, paint
from visits.render.pdf import choose_font, to_pdf

SAMPLE = "薛斌家温馨苑栋单元室失业人员日常联系陈伟建党小组长负责人审核日期（）：，续页共第"


@pytest.fixture(scope="module")
def font() -> str:
    found, ttfont = choose_font(SAMPLE)
    pdfmetrics.registerFont(ttfont)
    return found.name


def line(n: int, name: str, address: str = "") -> RosterLine:
    day = dt.date(2026, 12, 1) + dt.timedelta(days=n % 31)
    return RosterLine(
        key=f"k{n}",
        household=f"H{n:05d}",
        household_name=name,
        address=address or f"温馨苑{n}栋",
        rule="r",
        title="失业人员日常联系",
        action="联系",
        role="党小组长",
        start=day,
        end=day,
        due=day,
        assignee="P1",
        assignee_name="陈伟建",
        note="",
    )


NAMES = st.text(alphabet="薛斌家温馨苑", min_size=1, max_size=120)


SIGN_OFF = "负责人：____ 审核：____ 日期：____"


@st.composite
def rosters(draw: st.DrawFn, signed: bool | None = None) -> Roster:
    sizes = draw(st.lists(st.integers(0, 70), min_size=0, max_size=3))
    groups = tuple(
        RosterGroup(
            key=f"G{g}",
            title=f"{g}栋",
            subtitle="温馨苑",
            lines=tuple(line(n, draw(NAMES) if n % 7 == 0 else "薛斌家") for n in range(size)),
            by_rule=(("失业人员日常联系", size),),
        )
        for g, size in enumerate(sizes)
    )
    return Roster(
        community="百步亭社区",
        year=2026,
        month=12,
        by="unit",
        language=draw(st.sampled_from(["zh", "en"])),
        redacted=False,
        groups=groups,
        by_rule=(("失业人员日常联系", sum(sizes)),),
        by_role=(),
        title="百步亭社区 2026年12月 走访安排表",
        sign_off=SIGN_OFF if draw(st.booleans() if signed is None else st.just(signed)) else "",
    )


def one_group(lines: tuple[RosterLine, ...], language: str = "zh", counts: tuple[tuple[str, int], ...] = ()) -> Roster:
    """A roster of one building, titled "t", with ``lines``."""
    group = RosterGroup(key="G", title="1栋", subtitle="", lines=lines, by_rule=counts)
    return Roster(
        community="c",
        year=2026,
        month=12,
        by="unit",
        language="en" if language == "en" else "zh",
        redacted=False,
        groups=(group,),
        by_rule=counts,
        by_role=(),
        title="t",
    )


def numbers(page: Page) -> list[int]:
    """The sequence numbers printed on ``page``, top to bottom (the first column's cells)."""
    return [int(run[4][0]) for run in page.runs if run[0] == _MARGIN + _PADDING and run[4][0].isdigit()]


def texts(page: Page) -> list[str]:
    return [text for run in page.runs for text in run[4]]


@given(made=rosters())
def test_every_line_is_inside_the_frame(font: str, made: Roster) -> None:
    for page in layout(made, font):
        for x, y, size, leading, lines, _ in page.runs:
            assert _MARGIN <= x < PAGE[0] - _MARGIN
            assert y <= _TOP - size + 1e-9
            assert y - leading * (len(lines) - 1) >= _BOTTOM - 1e-9


@given(made=rosters())
def test_each_roster_line_is_printed_once_in_order_under_a_header(font: str, made: Roster) -> None:
    laid = layout(made, font)
    expected = [n for group in made.groups for n in range(1, len(group.lines) + 1)]
    assert [n for page in laid for n in numbers(page)] == expected
    heading = HEADINGS[made.language][0]
    for page in laid:
        shown = texts(page)
        if numbers(page):  # a page with rows has the header above them, once per table on it
            assert shown.count(heading) == 1 and shown.index(heading) < shown.index(str(numbers(page)[0]))
            assert len(page.shaded) == 1


@given(made=rosters())
def test_a_running_head_marks_exactly_the_pages_that_continue_a_group(font: str, made: Roster) -> None:
    laid = layout(made, font)
    starts = [f"{g.subtitle} {g.title}（{len(g.lines)}）" for g in made.groups]
    began = [next((s for s in starts if s in texts(page)), None) for page in laid]
    for n, page in enumerate(laid):
        if began[n] is not None or n == 0:
            assert page.running == ""
        else:  # it continues the group last begun
            last = next(s for s in reversed(began[:n]) if s is not None)
            label = last.rsplit("（", 1)[0]
            assert page.running == f"{made.title} · {label}"
    assert [s for s in began if s] == starts  # each group begins a page, in order


@given(made=rosters(signed=True))
def test_the_sign_off_line_never_stands_alone(font: str, made: Roster) -> None:
    signed = [page for page in layout(made, font) if made.sign_off in texts(page)]
    assert len(signed) == len(made.groups)
    for page, group in zip(signed, made.groups, strict=True):
        before = texts(page)[: texts(page).index(made.sign_off)]
        rows = [t for t in before if t.isdigit()]
        assert len(rows) >= min(2, len(group.lines))


def test_a_full_page_holds_as_many_rows_as_fit(font: str) -> None:
    """Rows of one line each (19 pt): after the header, 27 fit on a continuation page, no fewer."""
    made = one_group(tuple(line(n, "薛") for n in range(80)))
    laid = layout(made, font)
    room = (_TOP - _BOTTOM - (10 + 3 + 3)) // (10 + 4 + 5)
    assert [len(numbers(page)) for page in laid[1:-1]] == [room] * (len(laid) - 2)
    assert sum(len(numbers(page)) for page in laid) == 80


def test_with_a_sign_off_the_pages_before_the_last_are_as_full(font: str) -> None:
    """Only the last two lines are kept with the sign-off: the pages before them hold as many rows as fit."""
    made = attrs.evolve(one_group(tuple(line(n, "薛") for n in range(80))), sign_off=SIGN_OFF)
    laid = layout(made, font)
    room = (_TOP - _BOTTOM - (10 + 3 + 3)) // (10 + 4 + 5)
    assert [len(numbers(page)) for page in laid[1:-2]] == [room] * (len(laid) - 3)
    assert sum(len(numbers(page)) for page in laid) == 80 and SIGN_OFF in texts(laid[-1])


def test_the_footer_and_the_running_head_sit_in_the_margins(font: str) -> None:
    """Page N of M 6 mm above the bottom edge, centred; the running head 9 mm below the top, at the left margin."""
    made = one_group(tuple(line(n, "薛") for n in range(70)), language="en")
    reader = pypdf.PdfReader(io.BytesIO(to_pdf(made)))
    found: dict[str, tuple[float, float]] = {}

    def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4], tm[5]))

    reader.pages[1].extract_text(visitor_text=seen)
    mm = 72 / 25.4
    footer = next(k for k in found if k.startswith("Page 2 of"))
    assert found[footer][1] == pytest.approx(6 * mm, abs=0.01)
    head = next(k for k in found if k.endswith("(continued)"))
    assert found[head] == pytest.approx((10 * mm, PAGE[1] - 9 * mm), abs=0.01)


def test_remembered_lines_are_the_bytes_reportlab_would_write(font: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoding memo changes no byte, over a roster with several 256-glyph font subsets."""
    alphabet = "".join(chr(0x4E00 + k) for k in range(0, 3000, 7))  # 429 ideographs: two subsets or more
    # The same title after addresses ending in different subsets: its codes
    # are remembered with the subset it was entered in.
    made = one_group(tuple(line(n, "薛", address=alphabet[(n * 13) % 400 : (n * 13) % 400 + 20]) for n in range(60)))
    remembered = to_pdf(made)
    monkeypatch.setattr(pages._Text, "_formatText", textobject.PDFTextObject._formatText)  # type: ignore[attr-defined]
    assert to_pdf(made) == remembered


def test_the_first_page_is_spaced_as_a_hand_worked_layout(font: str) -> None:
    """Title 15/19 pt, 3 mm after; a note 8/10 pt, 2 mm after; the heading 12/15 pt, 1.5 mm after; the header."""
    made = one_group((line(0, "薛"),), counts=(("r", 1),))
    [page] = layout(made, font)
    mm = 72 / 25.4
    title, note = _TOP, _TOP - 19 - 3 * mm
    heading = note - 10 - 2 * mm
    group_note = heading - 15 - 1.5 * mm
    header = group_note - 10 - 2 * mm
    assert [run[4][0] for run in page.runs[:5]] == ["t", "r 1", "1栋（1）", "r 1", "序号"]
    assert [run[5] for run in page.runs[:5]] == [False, True, False, True, False]  # the counts in grey
    baselines = [run[1] for run in page.runs[:5]]
    assert baselines == pytest.approx([title - 15, note - 8, heading - 12, group_note - 8, header - 3 - 8])
    assert page.shaded == [pytest.approx((_MARGIN, header - 16, PAGE[0] - 2 * _MARGIN, 16))]


def test_paint_draws_a_page_for_each_laid_out_page(font: str) -> None:
    made = one_group(tuple(line(n, "x") for n in range(70)), language="en")
    laid = layout(made, font)
    out = io.BytesIO()
    drawn = canvas.Canvas(out, pagesize=PAGE, invariant=1)
    paint(laid, drawn, font, footer="Page {n} of {total}", continued=" (continued)")
    drawn.save()
    assert len(laid) >= 3 and out.getvalue().count(b"/Type /Page\n") == len(laid)
