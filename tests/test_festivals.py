"""Lunar festivals, festival windows, and the baibuting-festivals rulebook."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, dues, home, horizon, month_roster, windows
from tests.helpers.roster import community
from visits import Festival, Horizon, VisitsError, load_rulebook, plan
from visits.cli import main
from visits.core import festivals
from visits.core.cadence import MAX_FESTIVAL_SPAN
from visits.core.errors import FieldProblems
from visits.core.extending import differences
from visits.core.roster import Roster
from visits.core.rules import gatherings_between
from visits.core.windows import festival_windows
from visits.io.calendars import china
from visits.io.convert import community_to_dict, rulebook_to_dict
from visits.render.formats import cells, to_csv, to_ics
from visits.render.html import to_html

FESTIVALS = load_rulebook("baibuting-festivals")

# Published dates (the State Council holiday notices and the 紫金山天文台 almanac).
PUBLISHED = {
    "春节": ["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"],
    "中秋节": ["2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03", "2029-09-22", "2030-09-12"],
    "重阳节": ["2025-10-29", "2026-10-18", "2027-10-08", "2028-10-26", "2029-10-16", "2030-10-05"],
}


class TestFestivalDates:
    @pytest.mark.parametrize("name", sorted(PUBLISHED))
    def test_2025_to_2030_match_the_published_dates(self, name: str) -> None:
        """Six years of each festival the rulebooks use."""
        assert [festivals.dates(name, year) for year in range(2025, 2031)] == [(d(x),) for x in PUBLISHED[name]]

    def test_spring_festival_in_january(self) -> None:
        """2028's Spring Festival falls on 26 January, and its eve on the 25th."""
        assert festivals.dates("春节", 2028) == (d("2028-01-26"),)
        assert festivals.dates("除夕", 2028) == (d("2028-01-25"),)

    def test_a_leap_fifth_month_does_not_give_a_second_dragon_boat_festival(self) -> None:
        """2028 has a 闰五月: 端午 is the ordinary 五月初五 (28 May), not 27 June."""
        assert festivals.dates("端午", 2028) == (d("2028-05-28"),)

    def test_a_leap_sixth_month_pushes_mid_autumn_into_october(self) -> None:
        """2025 has a 闰六月: Mid-Autumn on 6 October; Double Ninth on 29 October."""
        assert festivals.dates("中秋", 2025) == (d("2025-10-06"),)
        assert festivals.dates("重阳", 2025) == (d("2025-10-29"),)

    def test_a_late_lunar_festival_can_fall_twice_in_one_gregorian_year(self) -> None:
        """腊八 (十二月初八) in January and again in December 2022, and not at all in 2023."""
        assert festivals.dates("腊八节", 2022) == (d("2022-01-10"), d("2022-12-30"))
        assert festivals.dates("腊八节", 2023) == ()

    def test_aliases_and_unknown_names(self) -> None:
        """Short and English names are accepted; an unknown name lists the known ones."""
        assert festivals.canonical("mid_autumn") == "中秋节"
        assert festivals.canonical("double_ninth") == "重阳节"
        with pytest.raises(ValueError, match="unknown festival '春季'; known: 元旦"):
            festivals.dates("春季", 2026)

    def test_years_outside_the_lunar_tables_are_refused(self) -> None:
        """The tables cover 1901 to 2100."""
        with pytest.raises(ValueError, match=r"1901\.\.2100 only, not 2101"):
            festivals.dates("春节", 2101)


class TestFestivalCadence:
    def test_twenty_days_before_spring_festival(self) -> None:
        """2026: 28 January to 16 February (除夕); key labelled by the festival's date."""
        cadence = Festival(festivals=("春节",), first_day=-20, last_day=-1)
        assert festival_windows(cadence, Horizon(start=d("2026-01-01"), end=d("2026-12-31"))) == [
            (d("2026-01-28"), d("2026-02-16"), "2026-02-17")
        ]

    def test_a_window_reaching_back_into_december(self) -> None:
        """2028's window (6-25 January) is in a 2027-2028 horizon; 2027's too."""
        cadence = Festival(festivals=("春节",), first_day=-20, last_day=-1)
        found = festival_windows(cadence, Horizon(start=d("2027-12-01"), end=d("2028-01-10")))
        assert found == [(d("2028-01-06"), d("2028-01-25"), "2028-01-26")]

    def test_short_names_are_stored_in_full(self) -> None:
        """中秋 becomes 中秋节, so that the TOML written back is canonical."""
        assert Festival(festivals=("中秋",), first_day=0, last_day=0).festivals == ("中秋节",)

    def test_every_problem_at_once(self) -> None:
        """Unknown name, repeated name, reversed offsets."""
        with pytest.raises(FieldProblems) as caught:
            Festival(festivals=("春季", "中秋节", "中秋"), first_day=5, last_day=-5)
        fields = [p.path for p in caught.value.problems]
        assert fields == ["festivals[0]", "festivals", "last_day"]

    def test_overlapping_festivals_in_one_rule_are_refused(self) -> None:
        """除夕 and 春节 are one day apart: 20-day windows around both would overlap."""
        with pytest.raises(FieldProblems, match="would overlap; use one rule per festival"):
            Festival(festivals=("除夕", "春节"), first_day=-20, last_day=-1)

    def test_a_window_longer_than_the_span_limit_is_refused(self) -> None:
        """Consecutive years' windows must not overlap."""
        with pytest.raises(FieldProblems, match=f"spans at most {MAX_FESTIVAL_SPAN} days"):
            Festival(festivals=("春节",), first_day=-300, last_day=0)

    def test_a_horizon_beyond_the_tables_is_a_clear_error(self) -> None:
        """Planning 2101 with a festival rule fails before anything is produced."""
        h = home(circ("hardship", "2100-01-01"))
        with pytest.raises(VisitsError, match=r"festival dates are known for 1901\.\.2100 only"):
            list(plan(FESTIVALS, [h], [], horizon("2101-01-01", "2101-12-31")))

    @given(
        st.sampled_from(festivals.known()),
        st.integers(festivals.FIRST_YEAR + 2, festivals.LAST_YEAR - 2),
        st.integers(-200, 66),
        st.integers(1, MAX_FESTIVAL_SPAN),
    )
    def test_windows_of_consecutive_years_never_overlap(self, name: str, year: int, first: int, span: int) -> None:
        """Any festival, any offsets within the limits: each window ends before the next begins."""
        cadence = Festival(festivals=(name,), first_day=first, last_day=first + span - 1)
        found = festival_windows(cadence, Horizon(start=dt.date(year, 1, 1), end=dt.date(year + 1, 12, 31)))
        assert found == sorted(found)
        for (_, end, _), (start, _, _) in itertools.pairwise(found):
            assert end < start


class TestFestivalRulebook:
    def test_identical_to_the_default_except_the_two_gift_visits_and_the_gatherings(self) -> None:
        """The difference, as `visits rules` lists it."""
        changes = [(c.kind, c.what, c.id) for c in differences(BAIBUTING, FESTIVALS)]
        assert changes == [
            ("changed", "rule", "hardship.yearly"),
            ("changed", "rule", "elderly.halfyearly"),
            ("added", "gathering", "mid_autumn.dinner"),
            ("added", "gathering", "double_ninth.gathering"),
        ]
        assert [r.id for r in FESTIVALS.rules] == [r.id for r in BAIBUTING.rules]
        assert FESTIVALS.based_on == "baibuting"

    def test_hardship_gift_visit_before_spring_festival_2026(self) -> None:
        """28 Jan - 16 Feb; the 16th is 除夕, a holiday, and the 15th a Sunday: due Saturday the 14th (调休)."""
        h = home(circ("hardship", "2025-01-01"))
        span = horizon("2026-01-01", "2026-12-31")
        assert windows("hardship.yearly", [h], span, rulebook=FESTIVALS) == [("2026-01-28", "2026-02-16", "2026-02-16")]
        assert dues("hardship.yearly", [h], span, rulebook=FESTIVALS) == [("2026-02-14", "holiday", "official")]

    def test_elderly_gift_visits_before_spring_festival_and_mid_autumn(self) -> None:
        """Two windows in 2026; Mid-Autumn's ends on Thursday 24 September, a working day."""
        h = home(circ("elderly_alone", "2025-01-01"))
        span = horizon("2026-01-01", "2026-12-31")
        assert windows("elderly.halfyearly", [h], span, rulebook=FESTIVALS) == [
            ("2026-01-28", "2026-02-16", "2026-02-16"),
            ("2026-09-05", "2026-09-24", "2026-09-24"),
        ]

    def test_a_household_enrolled_inside_the_window_gets_the_rest_of_it(self) -> None:
        """Enrolled 1 February 2026: 1-16 February."""
        h = home(circ("hardship", "2026-02-01"))
        assert windows("hardship.yearly", [h], horizon("2026-01-01", "2026-12-31"), rulebook=FESTIVALS) == [
            ("2026-02-01", "2026-02-16", "2026-02-16")
        ]

    def test_gatherings_fall_on_the_festivals(self) -> None:
        """团圆宴 on Mid-Autumn, 敬老会 on Double Ninth."""
        held = gatherings_between(FESTIVALS, d("2026-01-01"), d("2026-12-31"))
        assert [(g.id, day) for g, day in held] == [
            ("mid_autumn.dinner", d("2026-09-25")),
            ("double_ninth.gathering", d("2026-10-18")),
        ]

    def test_the_rulebook_round_trips_through_its_plain_form(self) -> None:
        """Gatherings, due and based_on survive TOML/JSON."""
        from visits import rulebook_from_dict, rulebook_from_toml, rulebook_to_toml

        assert rulebook_from_toml(rulebook_to_toml(FESTIVALS)) == FESTIVALS
        assert rulebook_from_dict(json.loads(json.dumps(rulebook_to_dict(FESTIVALS)))) == FESTIVALS


def festival_roster(month: int, language: str = "zh") -> Roster:
    """The 2026 roster of the test community under the festivals rulebook, with its gatherings."""
    return month_roster(FESTIVALS, community(), 2026, month, language=language)


class TestRoster:
    def roster(self, month: int, language: str = "zh") -> list[list[str]]:
        r = festival_roster(month, language)
        return [[g.title, *cells(n, line)] for g in r.groups for n, line in enumerate(g.lines, 1)]

    def test_september_lists_the_reunion_dinner_first_with_its_invitations(self) -> None:
        """One hardship household and one elderly household in the test community are invited."""
        rows = self.roster(9)
        assert rows[0][0] == "社区活动"
        assert rows[0][2] == "2026-09-25" and rows[0][6] == "中秋团圆宴"
        assert rows[0][9] == "中秋节；邀请孤寡老人、困难家庭，共2户"

    def test_a_moved_due_date_says_from_what_and_why(self) -> None:
        """October: the weekly visit of 28 Sep - 4 Oct moves from 4 October (国庆节) to 30 September."""
        rows = self.roster(10)
        weekly = next(r for r in rows if r[6] == "孤寡老人每周上门走访" and r[2] == "2026-09-30")
        assert weekly[9].startswith("原定10-04（国庆节），提前至工作日")
        english = self.roster(10, "en")
        weekly = next(r for r in english if r[2] == "2026-09-30" and "weekly" in r[6].lower())
        assert weekly[9].startswith("moved from 10-04 (国庆节) to a working day")

    def test_every_format_carries_the_gathering_and_the_moved_date(self) -> None:
        """HTML, CSV and ICS all show them (PDF and XLSX lay out the same cells)."""
        r = festival_roster(10)
        html = to_html(r).decode()
        assert "重阳敬老会" in html and "原定10-04（国庆节）" in html
        text = to_csv(r).decode("utf-8-sig")
        assert "重阳敬老会" in text and "原定10-04（国庆节）" in text
        ics = to_ics(r).decode()
        assert "SUMMARY:重阳敬老会" in ics.replace("\r\n ", "")

    def test_the_pdf_prints_the_gathering_and_the_moved_date(self, tmp_path: Path) -> None:
        """Drawn with real glyphs, read back with pdftotext."""
        from tests.helpers.pdf import all_text, glyphs
        from visits.render.pdf import to_pdf

        r = festival_roster(10)
        path = tmp_path / "r.pdf"
        path.write_bytes(to_pdf(r))
        text = "".join(all_text(path).split())
        assert "重阳敬老会" in text and "原定10-04（国庆节）" in text
        real, _ = glyphs(path)
        assert set("重阳敬老会原定国庆节提前至工作日") <= real


class TestCommandLine:
    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    def test_rules_shows_the_difference_from_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`visits rules --rules baibuting-festivals`."""
        code, out, _ = self.run(capsys, "rules", "--rules", "baibuting-festivals", "--lang", "en")
        assert code == 0
        assert out.startswith("baibuting-festivals (extends baibuting): 19 rules, 2 gatherings\n")
        assert "differences from baibuting (4):" in out
        assert "    cadence: yearly -> the 20 days before 春节\n" in out
        assert "    cadence: half-yearly -> the 20 days before 春节 and 中秋节\n" in out
        assert "  added gathering mid_autumn.dinner\n" in out

    def test_a_provisional_plan_warns_on_standard_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A year with no schedule: the plan is written, every obligation is marked, and stderr says why."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(community())), encoding="utf-8")
        code, out, err = self.run(capsys, "plan", str(path), "--from", "2040-03-01", "--to", "2040-03-31")
        assert code == 0
        found = json.loads(out)
        marked = {o["calendar"] for o in found if o["calendar"] is not None}
        assert marked == {"provisional"}
        assert "no official holiday schedule for 2040" in err
        assert f"{sum(1 for o in found if o['calendar'] == 'provisional')} obligations assume Monday to Friday" in err

    def test_a_calendar_file_makes_the_year_official(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The same plan with 2040's schedule added: no warning."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(community())), encoding="utf-8")
        calendar = tmp_path / "calendar.toml"
        calendar.write_text('[[years]]\nyear = 2040\noff = [{ start = 2040-03-09, name = "测试" }]\n', encoding="utf-8")
        argv = ("plan", str(path), "--from", "2040-03-01", "--to", "2040-03-31", "--calendar", str(calendar))
        code, out, err = self.run(capsys, *argv)
        assert (code, err) == (0, "")
        found = json.loads(out)
        assert {o["calendar"] for o in found} <= {"official", None}
        # Week 5-11 March: Sunday, Saturday, then Friday 9th (the file's day off): Thursday.
        weekly = [o for o in found if o["rule"] == "elderly.weekly" and o["start"] == "2040-03-05"]
        assert [(o["due"], o["due_adjusted"]["from"]) for o in weekly] == [("2040-03-08", "2040-03-11")]

    def test_a_bad_calendar_file_is_reported_with_the_other_inputs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Nothing written; every problem on stderr."""
        calendar = tmp_path / "calendar.toml"
        calendar.write_text("[[closed]]\nstart = 2026-03-10\nend = 2026-03-01\n", encoding="utf-8")
        out_file = tmp_path / "plan.json"
        argv = ("plan", str(tmp_path / "missing.json"), "--from", "2026-01-01", "--to", "2026-01-31")
        code, _, err = self.run(capsys, *argv, "--calendar", str(calendar), "-o", str(out_file))
        assert code == 1
        assert f"{calendar}: closed[0].end: before start (2026-03-01 < 2026-03-10)" in err
        assert "missing.json: no such file" in err
        assert not out_file.exists()

    def test_calendar_command_lists_the_schedule_and_the_festivals(self, capsys: pytest.CaptureFixture[str]) -> None:
        """2026: official, with the working Saturdays; festivals and gatherings."""
        code, out, _ = self.run(capsys, "calendar", "--year", "2026", "--rules", "baibuting-festivals", "--lang", "en")
        assert code == 0
        assert ": official\n" in out.splitlines()[0] + "\n"
        assert "2026-02-14  周六  work     official  春节" in out
        assert "  春节: 2026-02-17 周二" in out
        assert "  2026-10-18  重阳敬老会" in out

    def test_calendar_command_says_when_a_year_is_provisional(self, capsys: pytest.CaptureFixture[str]) -> None:
        """No data for 2040."""
        code, out, _ = self.run(capsys, "calendar", "--year", "2040", "--lang", "en")
        assert code == 0
        assert "PROVISIONAL" in out.splitlines()[0]

    def test_roster_of_the_festival_rulebook(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The CSV roster of September 2026 begins with the community events."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(community())), encoding="utf-8")
        out_file = tmp_path / "roster.csv"
        argv = ("roster", str(path), "--month", "2026-09", "--rules", "baibuting-festivals", "-o", str(out_file))
        code, _, _ = self.run(capsys, *argv)
        assert code == 0
        rows = out_file.read_bytes().decode("utf-8-sig").splitlines()
        assert rows[1].startswith("社区活动,1,2026-09-25,")


def test_extends_replaces_by_id_and_adds(tmp_path: Path) -> None:
    """A community's own rulebook extending the default: one rule replaced, one added, with error paths of its own."""
    path = tmp_path / "mine.toml"
    path.write_text(
        """extends = "baibuting"
name = "mine"
[[rules]]
id = "hardship.monthly"
trigger = { category = "hardship" }
roles = ["group_leader"]
action = "visit"
cadence = { kind = "calendar", period = "quarter" }
source = "每季看望"
[[rules]]
id = "extra.visit"
trigger = { category = "hardship" }
roles = ["group_leader"]
action = "visit"
cadence = { kind = "festival", festivals = ["元宵"], first_day = 0, last_day = 0 }
source = "元宵节看望"
""",
        encoding="utf-8",
    )
    mine = load_rulebook(path)
    assert [r.id for r in mine.rules] == [r.id for r in BAIBUTING.rules] + ["extra.visit"]
    assert mine.get("hardship.monthly").cadence != BAIBUTING.get("hardship.monthly").cadence
    assert mine.due == BAIBUTING.due and mine.based_on == "baibuting"
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "mine.toml"\n[[rules]]\nid = "x.y"\n', encoding="utf-8")
    with pytest.raises(VisitsError) as caught:
        load_rulebook(bad)
    assert f"{bad}: rules[0] (x.y).trigger: required field missing" in caught.value.lines()


def test_rules_lists_differences_from_a_base_that_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base is the file `extends` names, not looked up again by its rulebook name."""
    (tmp_path / "mine.toml").write_text('extends = "baibuting"\nname = "mine"\n', encoding="utf-8")
    (tmp_path / "child.toml").write_text('extends = "mine.toml"\nname = "child"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["rules", "--rules", "child.toml"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("child（继承 mine）：19 条规则")
    assert "与 mine 的不同（0 处）：" in out


def test_rulebooks_that_extend_each_other_are_refused(tmp_path: Path) -> None:
    """A loop is an error, not a hang."""
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(VisitsError, match="rulebooks extend each other"):
        load_rulebook(tmp_path / "a.toml")


def test_the_festival_calendar_year_is_pinned_for_golden_stability() -> None:
    """china().up_to keeps later schedules out; the default calendar knows at least 2026."""
    assert china().is_official(2026)
    assert not china().up_to(2026).is_official(2027)
    assert attrs.evolve(china()).years == china().years
