"""Redacted rosters: nothing on them depends on why a line is owed.

The property: in a rulebook where a sensitive category and another category
have rules with the same cadences and roles (but their own ids, titles,
actions and sources), a household in either category gives the same redacted
roster, byte for byte, in every format.  Then the built-in rulebooks on the
demo community, checked word by word.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, d, month_roster
from tests.helpers.roster import tool
from visits import Circumstance, Household, load_rulebook
from visits.core.cadence import Calendar, Interval, IntervalUnit, Once, Span
from visits.core.community import Community, Horizon
from visits.core.organisation import Absence
from visits.core.periods import Period
from visits.core.roster import Roster
from visits.core.rules import CategoryTrigger, Due, Gathering, Rule, Rulebook
from visits.io.calendars import china
from visits.render.formats import to_csv, to_ics, to_xlsx
from visits.render.html import to_html
from visits.render.labels import roster_words
from visits.render.pdf import to_pdf
from visits.service import assigned_plan
from visits.testing import demo
from visits.testing import strategies as vst

RENDERERS = {"html": to_html, "csv": to_csv, "xlsx": to_xlsx, "ics": to_ics, "pdf": to_pdf}
_WORDS = st.text(
    st.sampled_from("走访联系慰问看望陪同接回指派专人了解情况研究解决刑释困难家庭ABCxyz"), min_size=1, max_size=8
)


@st.composite
def _shape(draw: st.DrawFn) -> tuple[object, tuple[str, ...], int | None, Due | None]:
    """The parts of a rule a twin shares: cadence, roles, deadline, due-date rule."""
    cadence = draw(
        st.one_of(
            st.builds(Calendar, period=st.sampled_from(Period)),
            st.builds(Interval, every=st.integers(1, 6), unit=st.sampled_from(IntervalUnit)),
            st.builds(Once, first_day=st.integers(-20, 0), last_day=st.integers(0, 20)),
            st.builds(Span, open_days=st.integers(1, 60)),
        )
    )
    roles = tuple(
        draw(st.lists(st.sampled_from(BAIBUTING.vocabulary.ids("roles")), unique=True, min_size=1, max_size=3))
    )
    return cadence, roles, draw(st.none() | st.integers(0, 10)), draw(st.none() | st.sampled_from(Due))


def _twin(category: str, prefix: str, n: int, shape: tuple[object, ...], draw: st.DrawFn) -> Rule:
    cadence, roles, due_days, due = shape
    return Rule(
        id=f"{prefix}.r{n}",
        trigger=CategoryTrigger(category=category),
        roles=roles,  # type: ignore[arg-type]
        action=draw(st.sampled_from(BAIBUTING.vocabulary.ids("actions"))),
        cadence=cadence,  # type: ignore[arg-type]
        source=draw(_WORDS),
        title=draw(_WORDS),
        title_en=draw(_WORDS),
        due_days=due_days,  # type: ignore[arg-type]
        due=due,  # type: ignore[arg-type]
    )


@st.composite
def twin_rosters(draw: st.DrawFn) -> tuple[dict[str, object], dict[str, object]]:
    """Everything a roster needs, twice: the same but for one household's category (sensitive or not)."""
    secret, plain = draw(
        st.lists(st.sampled_from(BAIBUTING.vocabulary.ids("categories")), unique=True, min_size=2, max_size=2)
    )
    shapes = draw(st.lists(_shape(), min_size=1, max_size=3))
    rules = [_twin(secret, "s", i, shape, draw) for i, shape in enumerate(shapes)]
    rules += [_twin(plain, "n", i, shape, draw) for i, shape in enumerate(shapes)]
    draw(st.randoms()).shuffle(rules)
    gatherings: tuple[Gathering, ...] = ()
    if draw(st.booleans()):
        gatherings = (
            Gathering(
                roles=("committee",),
                id="g.one",
                title=draw(_WORDS),
                festival=draw(st.sampled_from(["春节", "中秋节", "重阳节"])),
                invites=(secret,) if draw(st.booleans()) else (secret, plain),
                source="source",
            ),
        )
    rulebook = Rulebook(
        name="twins",
        rules=tuple(rules),
        gatherings=gatherings,
        due=draw(st.sampled_from(Due)),
        vocabulary=attrs.evolve(
            BAIBUTING.vocabulary,
            categories=tuple(
                # the plain twin's category is not sensitive; every other category is (as undeclared ones were)
                attrs.evolve(t, sensitive=t.id != plain)
                for t in BAIBUTING.vocabulary.categories
            ),
        ),
    )
    base = draw(vst.organised_communities(max_households=5, first=d("2024-01-01"), last=d("2028-12-31")))
    assert base.organisation is not None
    buildings = [u.id for u in base.organisation.units if u.level == "building"]
    year, month = draw(st.integers(2025, 2027)), draw(st.integers(1, 12))
    start = dt.date(year, month, 1) + dt.timedelta(days=draw(st.integers(-400, 40)))
    end = draw(st.none() | st.integers(0, 500).map(lambda n: start + dt.timedelta(days=n)))
    building = draw(st.sampled_from(buildings))
    settings_ = {"year": year, "month": month, "by": draw(st.sampled_from(["unit", "person"]))}
    settings_["lang"] = draw(st.sampled_from(["zh", "en"]))

    def inputs(category: str) -> dict[str, object]:
        target = Household(
            id="HX",
            building=building,
            name="欧阳明华",
            address="某区1栋2单元302室",
            circumstances=(Circumstance(category=category, start=start, end=end),),
        )
        community = attrs.evolve(base, households=(*base.households, target))
        return {"rulebook": rulebook, "community": community, **settings_}

    return inputs(secret), inputs(plain)


def redacted(inputs: dict[str, object]) -> Roster:
    rulebook, community = inputs["rulebook"], inputs["community"]
    year, month = inputs["year"], inputs["month"]
    assert isinstance(rulebook, Rulebook) and isinstance(community, Community)
    assert isinstance(year, int) and isinstance(month, int)
    calendar = china() if rulebook.uses_working_days() else None
    by, language = str(inputs["by"]), str(inputs["lang"])
    return month_roster(rulebook, community, year, month, calendar=calendar, by=by, language=language, redact=True)


class TestTwins:
    @given(twins=twin_rosters())
    def test_a_sensitive_household_gives_the_same_bytes(
        self, twins: tuple[dict[str, object], dict[str, object]]
    ) -> None:
        """Whichever of the two categories the household has: byte-identical HTML, CSV, XLSX and ICS."""
        secret, plain = (redacted(t) for t in twins)
        for fmt in ("html", "csv", "xlsx", "ics"):
            assert RENDERERS[fmt](secret) == RENDERERS[fmt](plain), fmt

    @settings(max_examples=24)
    @given(twins=twin_rosters())
    def test_a_sensitive_household_gives_the_same_pdf(self, twins: tuple[dict[str, object], dict[str, object]]) -> None:
        """The PDF too: same bytes, hence the same text (24 examples: each renders two PDFs)."""
        secret, plain = (redacted(t) for t in twins)
        assert to_pdf(secret) == to_pdf(plain)

    @given(twins=twin_rosters())
    def test_the_unredacted_twins_differ_when_the_household_has_lines(
        self, twins: tuple[dict[str, object], dict[str, object]]
    ) -> None:
        """The property is not empty: unredacted, the same twins can be told apart (their rule ids differ)."""
        secret, plain = twins
        secret_ids, plain_ids = _rule_ids(secret), _rule_ids(plain)
        assert all(i.startswith("s.") for i in secret_ids) and all(i.startswith("n.") for i in plain_ids)
        assert len(secret_ids) == len(plain_ids)


def _rule_ids(inputs: dict[str, object]) -> set[str]:
    rulebook, community = inputs["rulebook"], inputs["community"]
    assert isinstance(rulebook, Rulebook) and isinstance(community, Community)
    year, month = inputs["year"], inputs["month"]
    assert isinstance(year, int) and isinstance(month, int)
    first = dt.date(year, month, 1)
    span = Horizon(start=first, end=first + dt.timedelta(days=27))
    calendar = china() if rulebook.uses_working_days() else None
    items = assigned_plan(rulebook, community, span, calendar=calendar)
    return {a.obligation.rule.id for a in items if a.obligation.household == "HX"}


# -------------------------------------------------------------- built-in rulebooks, word by word

#: Words that would tell a reader why a household is visited.
TELLING = (
    "陪同接回",
    "指派专人",
    "了解情况",
    "专人联系",
    "研究解决",
    "刑释",
    "释放",
    "失业",
    "住院",
    "困难",
    "孤寡",
    "慰问",
    "看望",
    "邀请",
    "单元",
    "室",
    "released",
    "unemployed",
    "hospital",
    "hardship",
    "elderly",
)


def _texts(roster: Roster, folder: Path) -> dict[str, str]:
    """What a reader of each format sees: CSV and HTML and ICS text, XLSX cell values, PDF text."""
    import openpyxl

    out = {
        "csv": to_csv(roster).decode("utf-8-sig"),
        "html": to_html(roster).decode(),
        "ics": to_ics(roster).decode(),
    }
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(roster)))
    out["xlsx"] = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    pdf = folder / "r.pdf"
    pdf.write_bytes(to_pdf(roster))
    out["pdf"] = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out


@pytest.fixture(scope="module")
def demo_community() -> Community:
    return demo.generate(2_000, seed=3, year=2026)


def _demo_roster(community: Community, rulebook: Rulebook, month: int, **kw: object) -> Roster:
    return month_roster(rulebook, community, 2026, month, calendar=china(), redact=True, **kw)


class TestBuiltInRulebooks:
    @pytest.mark.parametrize(("rules", "month"), [("baibuting", 12), ("baibuting-festivals", 9)])
    @pytest.mark.parametrize("by", ["unit", "person"])
    def test_no_telling_word_in_any_format(
        self, demo_community: Community, rules: str, month: int, by: str, tmp_path: Path
    ) -> None:
        """No action, title, category, role, rule id, source phrase, invitee or room number of any rule."""
        rulebook = load_rulebook(rules)
        roster = _demo_roster(demo_community, rulebook, month, by=by)
        sensitive_homes = {
            h.id for h in demo_community.households if any(c.category == "released" for c in h.circumstances)
        }
        listed = {line.household for g in roster.groups for line in g.lines}
        assert sensitive_homes & listed, "the demo month must list a released household for this test to mean much"
        words = [*TELLING, *(r.id for r in rulebook.rules), *(r.title for r in rulebook.rules if r.title)]
        words += [r.source for r in rulebook.rules]
        for fmt, text in _texts(roster, tmp_path).items():
            found = sorted({w for w in words if w in text})
            assert not found, f"{fmt}: {found}"
            assert not re.search(r"\d+单元|\d+室", text), fmt

    def test_every_household_line_has_the_one_neutral_task_and_no_role(self, demo_community: Community) -> None:
        """Task and action are the neutral word; role, rule and note carry nothing rule-specific."""
        roster = _demo_roster(demo_community, BAIBUTING, 12)
        lines = [line for g in roster.groups for line in g.lines]
        assert lines
        assert (
            {line.title for line in lines}
            == {line.action for line in lines}
            == {roster_words("zh", BAIBUTING.vocabulary).redacted_task}
        )
        assert {line.role for line in lines} == {""} and {line.rule for line in lines} == {""}
        assert {line.note for line in lines} <= {"", "代为走访", "无人可接"}
        assert (
            roster.by_rule == ((roster_words("zh", BAIBUTING.vocabulary).redacted_task, len(lines)),)
            and roster.by_role == ()
        )
        assert len({line.key for line in lines}) == len(lines)

    def test_substitutes_and_nobody_are_the_only_notes(self) -> None:
        """An absent group leader's line says 代为走访, a line nobody can take 无人可接; no role or name in either."""
        from tests.helpers.roster import community

        c = community()
        assert c.organisation is not None
        away = tuple(
            attrs.evolve(p, absences=(Absence(start=d("2026-11-01"), end=d("2027-01-31")),)) if p.id == "G1" else p
            for p in c.organisation.people
        )
        lonely = Household(
            id="H9", building="B9", circumstances=(Circumstance(category="hardship", start=d("2026-01-01")),)
        )
        c = attrs.evolve(c, households=(*c.households, lonely), organisation=attrs.evolve(c.organisation, people=away))
        lines = [line for g in month_roster(BAIBUTING, c, 2026, 12, redact=True).groups for line in g.lines]
        notes: dict[str, set[str]] = {line.household: set() for line in lines}
        for line in lines:
            notes[line.household].add(line.note)
        assert "代为走访" in notes["H1"]  # the group leader of B1 is away all month
        assert notes["H9"] == {"无人可接"}  # an unknown building: nobody to take it

    def test_addresses_stop_at_the_building(self, demo_community: Community) -> None:
        """The address shown is the building's name from the unit tree."""
        roster = _demo_roster(demo_community, BAIBUTING, 12)
        assert demo_community.organisation is not None
        names = {u.id: u.name for u in demo_community.organisation.units}
        homes = {h.id: h for h in demo_community.households}
        for group in roster.groups:
            for line in group.lines:
                building = homes[line.household].building
                assert building is not None and line.address == names[building]
                assert line.household_name.endswith("某")

    def test_a_gathering_that_invites_a_sensitive_category_is_a_plain_event(self, demo_community: Community) -> None:
        """Mid-Autumn dinner invites only hardship and elderly: named; with released invited: 社区活动, no count."""
        rulebook = load_rulebook("baibuting-festivals")
        roster = _demo_roster(demo_community, rulebook, 9)
        events = roster.groups[0].lines
        assert events and all("户" not in line.note and "邀请" not in line.note for line in events)
        dinner = attrs.evolve(rulebook.gatherings[0], invites=("hardship", "released"))
        changed = attrs.evolve(rulebook, gatherings=(dinner, *rulebook.gatherings[1:]))
        roster = _demo_roster(demo_community, changed, 9)
        assert roster.groups[0].lines[0].title == "社区活动"
        assert roster.groups[0].lines[0].rule == ""


class TestSensitiveIsData:
    def test_the_baibuting_rulebook_declares_every_category(self) -> None:
        """Released, unemployed and hospital stays are sensitive; hardship and elderly are not."""
        assert BAIBUTING.sensitive_categories() == {"released", "unemployed", "hospitalized"}
        assert BAIBUTING.vocabulary.ids("categories") == (
            "hardship",
            "hospitalized",
            "unemployed",
            "released",
            "elderly_alone",
        )

    def test_an_undeclared_category_counts_as_sensitive(self) -> None:
        """A category no vocabulary declares (asked about through the Python API) is treated as sensitive."""
        assert BAIBUTING.is_sensitive("unheard_of") and not BAIBUTING.is_sensitive("hardship")

    def test_an_extending_rulebook_inherits_and_overrides_declarations(self, tmp_path: Path) -> None:
        """extends keeps the base's declarations and replaces those it names."""
        path = tmp_path / "mine.toml"
        path.write_text('extends = "baibuting"\n[categories.hardship]\nsensitive = true\n', encoding="utf-8")
        mine = load_rulebook(path)
        assert mine.is_sensitive("hardship") and not mine.is_sensitive("elderly_alone")
        assert mine.is_sensitive("released")
