"""The ICS roster's own writer: byte for byte what icalendar writes, and readable by it.

to_ics writes content lines itself (issue 15: icalendar's objects cost about
100 µs an event).  The reference is the icalendar version it replaced
(tests/helpers/ics_reference.py); any text a roster may carry, in either
language, must come out the same.
"""

from __future__ import annotations

import datetime as dt

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.ics_reference import reference_ics
from tests.helpers.roster import roster
from visits.core.roster import Roster, RosterGroup, RosterLine
from visits.render.formats import _ics_line, to_ics

#: Text with what needs escaping or care in folding: separators, backslashes and
#: carets (escape starts), line breaks, CJK (3 octets) and emoji (4 octets).
TEXT = st.text(alphabet=st.sampled_from("aZ0 ;,\\^\n\rN:家苑栋（）😀é"), max_size=60) | st.text(max_size=30)
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 30))


@st.composite
def lines(draw: st.DrawFn) -> RosterLine:
    start = draw(DAYS)
    return RosterLine(
        key=draw(st.text(min_size=1, max_size=20)),
        household=draw(st.sampled_from(["", "H00001", "U-1"])),
        household_name=draw(TEXT),
        address=draw(TEXT),
        rule="r",
        title=draw(TEXT),
        action="a",
        role=draw(TEXT),
        start=start,
        end=start + dt.timedelta(days=draw(st.integers(0, 40))),
        due=start,
        assignee=draw(st.none() | st.just("P1")),
        assignee_name=draw(TEXT),
        note=draw(TEXT),
        due_note=draw(TEXT),
    )


@st.composite
def rosters(draw: st.DrawFn) -> Roster:
    groups = tuple(
        RosterGroup(key=f"G{k}", title=f"G{k}", subtitle="", lines=tuple(draw(st.lists(lines(), max_size=4))))
        for k in range(draw(st.integers(0, 3)))
    )
    return Roster(
        community="c",
        year=draw(st.integers(2000, 2099)),
        month=draw(st.integers(1, 12)),
        by="unit",
        language=draw(st.sampled_from(["zh", "en"])),
        redacted=False,
        groups=groups,
        by_rule=(),
        by_role=(),
        # icalendar writes X-WR-CALNAME as it is, unescaped (see below).
        title=draw(TEXT.filter(lambda t: not set(t) & set(";,\\\n\r"))),
    )


@given(made=rosters())
def test_the_writer_gives_icalendars_bytes(made: Roster) -> None:
    assert to_ics(made) == reference_ics(made)


@given(text=TEXT, name=st.sampled_from(["SUMMARY:", "DESCRIPTION:", "X:"]))
def test_folded_pieces_are_at_most_74_octets_and_unfold_to_the_line(text: str, name: str) -> None:
    line = name + text.replace("\r", "").replace("\n", "")
    pieces = _ics_line(line).split("\r\n ")
    assert all(len(piece.encode()) <= 74 for piece in pieces)
    assert "".join(pieces) == line


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("A" * 74, ["A" * 74]),  # 74 octets: one piece
        ("A" * 75, ["A" * 74, "A"]),  # 75: folded
        ("A" * 148, ["A" * 74, "A" * 74]),  # the last piece is 74 octets too
        ("家" * 25, ["家" * 24, "家"]),  # 75 octets of CJK: 72 fit, the 25th would make 75
        ("A" * 73 + "\\;", ["A" * 73, "\\;"]),  # an escape is not cut from what it escapes
        ("A" * 73 + "^n", ["A" * 73, "^n"]),
        ("A" * 72 + "😀B", ["A" * 72, "😀B"]),  # four octets do not fit in the last two
        ("😀" * 18, ["😀" * 18]),  # 72 octets
        ("😀" * 19, ["😀" * 18, "😀"]),
    ],
)
def test_hand_worked_folds(line: str, pieces: list[str]) -> None:
    assert _ics_line(line).split("\r\n ") == pieces


def test_a_byte_order_mark_leading_a_value_is_dropped_as_icalendar_drops_it() -> None:
    """Found by the property above: a title of one U+FEFF (pasted from a file) came out as ''."""
    made = roster()
    first = made.groups[0].lines[0]
    marked = attrs.evolve(first, title="\ufeff" + first.title, address="a\ufeffb")
    group = attrs.evolve(made.groups[0], lines=(marked,))
    made = attrs.evolve(made, groups=(group,), title="\ufeff" + made.title)
    written = to_ics(made)
    assert written == reference_ics(made)
    assert f"SUMMARY:{first.title}".encode() in written.replace(b"\r\n ", b"")
    assert "LOCATION:a\ufeffb".encode() in written.replace(b"\r\n ", b"")  # inside a value, it stays


def test_the_calendars_name_is_escaped_text() -> None:
    """Unlike icalendar, which writes X-WR-CALNAME raw, so a line break in a title broke the file."""
    made = Roster(
        community="c",
        year=2026,
        month=12,
        by="unit",
        language="zh",
        redacted=False,
        groups=(),
        by_rule=(),
        by_role=(),
        title="百步亭;第一,\\二\n三",
    )
    written = to_ics(made)
    assert b"X-WR-CALNAME:\xe7\x99\xbe\xe6\xad\xa5\xe4\xba\xad\\;" in written
    parsed = icalendar.Calendar.from_ical(written)
    assert str(parsed["x-wr-calname"]) == r"百步亭\;第一\,\\二\n三"  # one content line, TEXT escapes


def test_a_real_roster_reads_back_with_icalendar() -> None:
    made = roster()
    parsed = icalendar.Calendar.from_ical(to_ics(made))
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    shown = [line for group in made.groups for line in group.lines]
    assert len(events) == len(shown) > 0
    assert [e.decoded("dtstart") for e in events] == [line.due for line in shown]
    assert all(str(e["summary"]).startswith(line.title) for e, line in zip(events, shown, strict=True))
    assert to_ics(made) == reference_ics(made)
