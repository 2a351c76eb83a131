"""How a printed PDF cell breaks its text into lines: between words and ideographs, never inside a date or an id."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from visits.render.pages import MAX_CELL, Wrapper
from visits.render.pdf import choose_font

SIZE = 8


@pytest.fixture(scope="module")
def wrap() -> Wrapper:
    found, font = choose_font("薛斌家（H00010）")  # WenQuanYi Zen Hei here and in CI
    pdfmetrics.registerFont(font)
    return Wrapper(found.name, SIZE)


def width(wrap: Wrapper, text: str) -> float:
    return float(pdfmetrics.stringWidth(text, wrap.font, SIZE))


PIECES = st.sampled_from(
    ["2026-12-28–", "2027-01-03", "V000065", "√", " ", "（", "）", "，", "薛", "斌", "家", "H00010"]
)


@given(texts=st.lists(PIECES, max_size=30).map("".join), columns=st.floats(min_value=20, max_value=120))
def test_every_line_fits_and_nothing_is_lost_but_spaces_at_breaks(wrap: Wrapper, texts: str, columns: float) -> None:
    wrapped = wrap(texts, columns)
    for line in wrapped.split("\n"):
        assert width(wrap, line) <= columns or len(line) == 1
    assert wrapped.replace("\n", "").replace(" ", "") == texts.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "column", "lines"),
    [
        ("2026-12-28–2027-01-03", 50, ["2026-12-28–", "2027-01-03"]),  # after the dash, not inside a date
        ("√ V000065", 35, ["√", "V000065"]),  # at the space; the space goes
        ("薛斌家（H00010）", 50, ["薛斌家", "（H00010）"]),  # the brackets stay with the id
        (
            "原定12-06（周末），提前至工作日",
            60,
            ["原定12-06（周", "末），提前至工", "作日"],
        ),  # no line starts with ）or ，
        ("V" + "0" * 30, 40, None),  # one word wider than the column: cut between characters
    ],
)
def test_hand_worked_breaks(wrap: Wrapper, text: str, column: float, lines: list[str] | None) -> None:
    wrapped = wrap(text, column).split("\n")
    if lines is not None:
        assert wrapped == lines
    else:
        assert len(wrapped) > 1 and "".join(wrapped) == text
        assert all(width(wrap, line) <= column for line in wrapped)
        assert width(wrap, wrapped[0] + text[len(wrapped[0])]) > column  # each line as full as it can be


@pytest.mark.parametrize(
    ("text", "unit", "per_line"),
    [("0" * 60, "0", 10), ("家" * 30, "家", 6), ("2026-12-28– " * 6, "2026-12-28–", 1)],
    ids=["a word cut over lines", "ideographs", "dates"],
)
def test_every_line_but_the_last_is_as_full_as_it_can_be(wrap: Wrapper, text: str, unit: str, per_line: int) -> None:
    """The next line's first piece (or character, for a cut word) would not have fitted on the line before.

    The column is half a point wider than ``per_line`` units: a line that
    started with any width already used would hold one unit fewer.
    """
    column = per_line * width(wrap, unit) + 0.5
    wrapped = wrap(text, column).split("\n")
    assert len(wrapped) >= 3
    for this, after in itertools.pairwise(wrapped):
        first = after.split(" ")[0] if " " in text else after[0]
        assert width(wrap, this + (" " if " " in text else "") + first) > column


def test_a_cell_longer_than_a_page_can_hold_is_cut_with_an_ellipsis(wrap: Wrapper) -> None:
    wrapped = wrap("家" * (MAX_CELL + 50), 200).replace("\n", "")
    assert len(wrapped) == MAX_CELL and wrapped.endswith("…")
