"""Hypothesis strategies for the library's own types.

For property tests in services that use ``visits``::

    from hypothesis import given
    from visits.testing import strategies as vst

    @given(vst.communities(), vst.horizons())
    def test_my_service(community, horizon): ...

Every value drawn is valid (it passed the objects' own checks).  Needs the
``strategies`` extra: ``pip install visits[strategies]``.
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("visits.testing.strategies needs hypothesis: pip install 'visits[strategies]'") from exc

from visits.core.community import Circumstance, Community, Event, Horizon, Household
from visits.core.organisation import Organisation, Unit
from visits.core.rules import CategoryTrigger, Due, EventTrigger, Rule, Rulebook, UnitTrigger
from visits.core.vocabulary import Vocabulary
from visits.core.workdays import CalendarFile, DayRange, WorkCalendar, monday_to_friday
from visits.io.calendars import china
from visits.io.files import load_rulebook
from visits.testing.cadences import cadences, calendar_cadences, festival_cadences, periodic_cadences
from visits.testing.shapes import TEXT, people, vocabularies

__all__ = [
    "baibuting_vocabulary",
    "cadences",
    "calendar_files",
    "circumstances",
    "communities",
    "dates",
    "events",
    "festival_cadences",
    "horizons",
    "households",
    "organised_communities",
    "periodic_cadences",
    "rulebooks",
    "rules",
    "vocabularies",
    "work_calendars",
]

#: Default range of drawn dates: wide enough for leap years, ISO week 53 and
#: century boundaries, narrow enough to plan quickly.
FIRST = dt.date(1999, 1, 1)
LAST = dt.date(2031, 12, 31)


def dates(first: dt.date = FIRST, last: dt.date = LAST) -> st.SearchStrategy[dt.date]:
    """Dates in ``first..last``, shrinking towards ``first``."""
    return st.dates(min_value=first, max_value=last)


@st.composite
def _interval(
    draw: st.DrawFn, first: dt.date, last: dt.date, max_days: int, open_share: float
) -> tuple[dt.date, dt.date | None]:
    start = draw(dates(first, last))
    if draw(st.floats(0, 1)) < open_share:
        return start, None
    length = draw(st.integers(0, max_days))
    return start, min(last, start + dt.timedelta(days=length))


def circumstances(
    category: str | None = None, first: dt.date = FIRST, last: dt.date = LAST, vocabulary: Vocabulary | None = None
) -> st.SearchStrategy[Circumstance]:
    """One circumstance (of ``category`` if given, else of the vocabulary's), open or closed."""
    cats = st.just(category) if category is not None else st.sampled_from(_ids("categories", vocabulary))
    return st.builds(
        lambda c, span: Circumstance(category=c, start=span[0], end=span[1]),
        cats,
        _interval(first, last, 800, 0.3),
    )


@st.composite
def _non_overlapping(draw: st.DrawFn, category: str, first: dt.date, last: dt.date) -> list[Circumstance]:
    """Up to three circumstances of one category, in order, with gaps between them."""
    out: list[Circumstance] = []
    cursor = first
    for _ in range(draw(st.integers(0, 3))):
        if cursor > last:
            break
        start = cursor + dt.timedelta(days=draw(st.integers(0, 400)))
        if start > last:
            break
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(Circumstance(category=category, start=start, end=None))
            break
        end = min(last, start + dt.timedelta(days=draw(st.integers(0, 500))))
        out.append(Circumstance(category=category, start=start, end=end))
        cursor = end + dt.timedelta(days=1 + draw(st.integers(0, 40)))
    return out


@st.composite
def households(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str] | None = None,
    first: dt.date = FIRST,
    last: dt.date = LAST,
    vocabulary: Vocabulary | None = None,
) -> Household:
    """A household with valid circumstances (never two of a category on one day)."""
    ident = draw(ids if ids is not None else st.from_regex(r"H[0-9]{1,4}", fullmatch=True))
    found: list[Circumstance] = []
    for category in draw(st.lists(st.sampled_from(_ids("categories", vocabulary)), unique=True, max_size=3)):
        found += draw(_non_overlapping(category, first, last))
    order = draw(st.permutations(range(len(found)))) if found else []
    return Household(id=ident, circumstances=tuple(found[i] for i in order))


@st.composite
def events(
    draw: st.DrawFn, household: str, first: dt.date = FIRST, last: dt.date = LAST, vocabulary: Vocabulary | None = None
) -> Event:
    """An event at ``household`` (its id drawn; make ids unique yourself or use communities()).

    Its kind is one of the vocabulary's, its severity one its kind may have, or none.
    """
    vocabulary = vocabulary or baibuting_vocabulary()
    kind = draw(st.sampled_from(vocabulary.events))
    return Event(
        id=draw(st.from_regex(r"E[0-9]{1,5}", fullmatch=True)),
        household=household,
        kind=kind.id,
        date=draw(dates(first, last)),
        severity=draw(st.none() | st.sampled_from(kind.severities)) if kind.severities else None,
    )


@st.composite
def communities(
    draw: st.DrawFn,
    max_households: int = 6,
    first: dt.date = FIRST,
    last: dt.date = LAST,
    vocabulary: Vocabulary | None = None,
) -> Community:
    """A community with unique household ids and events only at its households (ids of ``vocabulary``)."""
    ids = draw(st.lists(st.from_regex(r"H[0-9]{1,4}", fullmatch=True), unique=True, max_size=max_households))
    homes = tuple(draw(households(ids=st.just(i), first=first, last=last, vocabulary=vocabulary)) for i in ids)
    found: list[Event] = []
    if ids:
        for n in range(draw(st.integers(0, 2 * len(ids)))):
            event = draw(events(draw(st.sampled_from(ids)), first, last, vocabulary))
            found.append(
                Event(
                    id=f"E{n}",
                    household=event.household,
                    kind=event.kind,
                    date=event.date,
                    severity=event.severity,
                )
            )
    return Community(households=homes, events=tuple(found))


@st.composite
def horizons(draw: st.DrawFn, first: dt.date = FIRST, last: dt.date = LAST, max_days: int = 900) -> Horizon:
    """A horizon of up to ``max_days`` days inside ``first..last``."""
    start = draw(dates(first, last))
    end = min(last, start + dt.timedelta(days=draw(st.integers(0, max_days))))
    return Horizon(start=start, end=end)


def _duty_roles(vocabulary: Vocabulary | None) -> dict[str, tuple[str, ...]]:
    """The roles that may take a duty of each level: unit roles at it or above (levels with none left out)."""
    vocabulary = vocabulary or baibuting_vocabulary()
    levels = vocabulary.ids("levels")
    out = {}
    for i, level in enumerate(levels):
        roles = tuple(t.id for t in vocabulary.roles if t.level in levels[: i + 1])
        if roles:
            out[level] = roles
    return out


@st.composite
def rules(
    draw: st.DrawFn, ident: str | None = None, vocabulary: Vocabulary | None = None, duties: bool = False
) -> Rule:
    """A valid rule, triggered by a category or by events, naming ids of ``vocabulary`` (default Baibuting's).

    With ``duties``, a rule may also be a unit's duty (triggered by a level),
    with a calendar or festival cadence and roles at that level or above.
    """
    rule_id = ident or draw(st.from_regex(r"[a-z][a-z0-9_]{0,6}\.[a-z0-9][a-z0-9_]{0,7}", fullmatch=True))
    if duties and draw(st.booleans()):
        return draw(_duty(rule_id, vocabulary))
    on_event = draw(st.booleans())
    if on_event:
        trigger: CategoryTrigger | EventTrigger = EventTrigger(
            events=tuple(draw(st.lists(st.sampled_from(_ids("events", vocabulary)), unique=True, min_size=1))),
            severities=draw(
                st.none()
                | st.lists(st.sampled_from(_ids("severities", vocabulary)), unique=True, min_size=1).map(tuple)
            ),
        )
    else:
        trigger = CategoryTrigger(category=draw(st.sampled_from(_ids("categories", vocabulary))))
    reading = draw(st.booleans())
    roles = st.lists(st.sampled_from(_ids("roles", vocabulary)), unique=True, min_size=1, max_size=3)
    return Rule(
        id=rule_id,
        trigger=trigger,
        roles=tuple(draw(roles)),
        action=draw(st.sampled_from(_ids("actions", vocabulary))),
        cadence=draw(cadences(events=on_event)),
        source=draw(TEXT.filter(str.strip)),
        reading=reading,
        note=draw(TEXT.filter(str.strip)) if reading else "",
        due_days=draw(st.none() | st.integers(0, 30)),
        due=draw(st.none() | st.sampled_from(Due)),
        title=draw(TEXT),
        title_en=draw(TEXT),
    )


@st.composite
def _duty(draw: st.DrawFn, rule_id: str, vocabulary: Vocabulary | None) -> Rule:
    """A unit's duty: a level that some role can answer for, roles at it or above, a calendar or festival cadence."""
    by_level = _duty_roles(vocabulary)
    level = draw(st.sampled_from(sorted(by_level)))
    roles = st.lists(st.sampled_from(by_level[level]), unique=True, min_size=1, max_size=3)
    return Rule(
        id=rule_id,
        trigger=UnitTrigger(level=level),
        roles=tuple(draw(roles)),
        action=draw(st.sampled_from(_ids("actions", vocabulary))),
        cadence=draw(st.one_of(calendar_cadences(), festival_cadences())),
        source=draw(TEXT.filter(str.strip)),
        due_days=draw(st.none() | st.integers(0, 30)),
        due=draw(st.none() | st.sampled_from(Due)),
        title=draw(TEXT),
        title_en=draw(TEXT),
    )


@st.composite
def rulebooks(
    draw: st.DrawFn, max_rules: int = 6, vocabulary: Vocabulary | None = None, duties: bool = False
) -> Rulebook:
    """A valid rulebook with unique rule ids, over ``vocabulary`` (default Baibuting's).

    With ``duties``, some rules may be units' duties (see :func:`rules`).
    """
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,6}\.[a-z0-9][a-z0-9_]{0,7}", fullmatch=True),
            unique=True,
            min_size=1,
            max_size=max_rules,
        )
    )
    return Rulebook(
        name=draw(TEXT.filter(str.strip)),
        community=draw(TEXT),
        description=draw(TEXT),
        rules=tuple(draw(rules(ident=i, vocabulary=vocabulary, duties=duties)) for i in ids),
        due=draw(st.sampled_from(Due)),
        vocabulary=vocabulary or baibuting_vocabulary(),
    )


def _ids(table: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    return (vocabulary or baibuting_vocabulary()).ids(table)


@functools.cache
def baibuting_vocabulary() -> Vocabulary:
    """The vocabulary of the built-in Baibuting rulebook, which the strategies draw their ids from."""
    return load_rulebook("baibuting").vocabulary


@st.composite
def _day_ranges(draw: st.DrawFn, first: dt.date, last: dt.date, max_size: int) -> tuple[DayRange, ...]:
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(dates(first, last))
        end = min(last, start + dt.timedelta(days=draw(st.integers(0, 20))))
        out.append(DayRange(start=start, end=end, name=draw(TEXT)))
    return tuple(out)


@st.composite
def calendar_files(draw: st.DrawFn, first: dt.date = FIRST, last: dt.date = LAST) -> CalendarFile:
    """A community calendar file: closures and extra working days (never both on one day)."""
    closed = draw(_day_ranges(first, last, 4))
    shut = {day for r in closed for day in r.days()}
    opened = tuple(r for r in draw(_day_ranges(first, last, 4)) if not any(day in shut for day in r.days()))
    return CalendarFile(name=draw(TEXT), closed=closed, open=opened)


@st.composite
def work_calendars(draw: st.DrawFn, first: dt.date = FIRST, last: dt.date = LAST) -> WorkCalendar:
    """China's calendar (maybe cut back to an earlier year), or Monday to Friday, with a community file."""
    base = draw(st.sampled_from(("china", "china-up-to", "monday-to-friday")))
    if base == "china":
        calendar = china()
    elif base == "china-up-to":
        calendar = china().up_to(draw(st.integers(2003, 2026)))
    else:
        calendar = monday_to_friday()
    return calendar.with_file(draw(calendar_files(first, last)))


@st.composite
def organised_communities(
    draw: st.DrawFn,
    max_households: int = 8,
    first: dt.date = FIRST,
    last: dt.date = LAST,
    vocabulary: Vocabulary | None = None,
) -> Community:
    """A community with a unit tree, people (ranks, absences, links) and households in buildings.

    The tree has the vocabulary's levels (default Baibuting's), one root and
    one or two units under each unit; households live in units of the lowest
    level.  Some roles may have nobody at some units, so every assignment path
    (first choice, next rank, another role, escalation, nobody) can occur.
    """
    vocabulary = vocabulary or baibuting_vocabulary()
    base = draw(communities(max_households=max_households, first=first, last=last, vocabulary=vocabulary))
    levels = vocabulary.ids("levels")
    units = [Unit(id="U", level=levels[0])]
    layer = ["U"]
    for level in levels[1:]:
        below: list[str] = []
        for parent in layer:
            for k in range(draw(st.integers(1, 2))):
                below.append(f"{parent}.{k}")
                units.append(Unit(id=below[-1], level=level, parent=parent))
        layer = below
    buildings = layer
    households = tuple(attrs.evolve(h, building=draw(st.sampled_from(buildings))) for h in base.households)
    staff = people(draw, vocabulary, units, buildings, [h.id for h in households], first, last)
    return Community(
        households=households,
        events=base.events,
        organisation=Organisation(units=tuple(units), people=tuple(staff)),
    )
