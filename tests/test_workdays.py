"""Working-day calendars: China's 2026 schedule, the provisional fallback, community overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import chinese_calendar
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d, dues, event, home, horizon
from visits import (
    CalendarError,
    CalendarFile,
    Community,
    DayRange,
    DueReason,
    Horizon,
    OfficialYear,
    Source,
    WorkCalendar,
    china,
    load_calendar,
    monday_to_friday,
    plan,
)
from visits.cli import main
from visits.core.cadence import Response
from visits.core.errors import FieldProblems
from visits.core.rules import Due, Rulebook
from visits.core.workdays import statutory_holidays
from visits.testing import strategies as vst

# The State Council notice on the 2026 holidays (国务院办公厅关于2026年部分节假日
# 安排的通知), transcribed by hand: the blocks of days off and the working
# weekend days (调休).
OFF_2026 = [
    ("2026-01-01", "2026-01-03"),  # 元旦
    ("2026-02-15", "2026-02-23"),  # 春节
    ("2026-04-04", "2026-04-06"),  # 清明
    ("2026-05-01", "2026-05-05"),  # 劳动节
    ("2026-06-19", "2026-06-21"),  # 端午
    ("2026-09-25", "2026-09-27"),  # 中秋
    ("2026-10-01", "2026-10-07"),  # 国庆
]
WORK_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]

# Days after 2026 may gain an official schedule when the package is updated;
# tests of the fallback use a year far away, or cut the calendar back.
FAR = 2040


def days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def notice_2026(day: dt.date) -> bool:
    """Whether ``day`` is a working day according to the hand-transcribed notice."""
    if day.isoformat() in WORK_2026:
        return True
    if any(d(a) <= day <= d(b) for a, b in OFF_2026):
        return False
    return day.weekday() < 5


class TestOfficial2026:
    def test_every_day_of_2026_agrees_with_the_notice(self) -> None:
        """365 days, each as the notice says."""
        calendar = china()
        wrong = [day for day in days_of(2026) if calendar.is_working(day) != notice_2026(day)]
        assert wrong == []
        assert calendar.is_official(2026)

    def test_every_day_of_2026_agrees_with_the_holidays_package(self) -> None:
        """A second, independently maintained source (python-holidays) gives the same working days."""
        other = holidays.country_holidays("CN", years=2026)
        calendar = china()
        wrong = [day for day in days_of(2026) if calendar.is_working(day) != other.is_working_day(day)]
        assert wrong == []

    def test_the_working_saturdays_of_spring_festival(self) -> None:
        """2026-02-14 and 2026-02-28 are Saturdays people work (调休)."""
        calendar = china()
        for text in ("2026-02-14", "2026-02-28"):
            day = calendar.day(d(text))
            assert day.date.weekday() == 5
            assert (day.working, day.source, day.name) == (True, Source.OFFICIAL, "春节")

    def test_national_day_week_is_off_and_its_weekends_are_worked(self) -> None:
        """1-7 October off; Sunday 20 September and Saturday 10 October are working days."""
        calendar = china()
        assert [calendar.is_working(d(f"2026-10-0{n}")) for n in range(1, 8)] == [False] * 7
        assert calendar.is_working(d("2026-10-08"))
        assert calendar.is_working(d("2026-09-20")) and calendar.is_working(d("2026-10-10"))
        assert calendar.day(d("2026-10-02")).reason is DueReason.HOLIDAY

    def test_the_package_refuses_a_year_it_has_no_data_for(self) -> None:
        """Why chinesecalendar was chosen: it raises instead of guessing."""
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(dt.date(2100, 1, 4))


class TestProvisional:
    def test_a_year_without_a_schedule_keeps_its_statutory_holidays_and_assumes_the_rest(self) -> None:
        """1 January is off in every year (statutory, not provisional); 2 January is a provisional Monday."""
        calendar = china()
        new_year = dt.date(FAR, 1, 1)
        assert not calendar.is_official(FAR)
        day = calendar.day(new_year)
        assert (day.working, day.source, day.name) == (False, Source.STATUTORY, "元旦")
        assert not calendar.is_provisional(new_year)
        monday = calendar.day(dt.date(FAR, 1, 2))
        assert (monday.working, monday.source) == (True, Source.PROVISIONAL)
        assert calendar.is_provisional(monday.date)
        assert monday_to_friday().is_working(new_year) == (new_year.weekday() < 5)  # no statutory rules there

    def test_up_to_makes_later_years_provisional_again(self) -> None:
        """The calendar as it stood before 2026's schedule was published: 国庆 1-3 known, the bridge days not."""
        before = china().up_to(2025)
        assert not before.is_official(2026)
        assert not before.is_working(d("2026-10-01")) and not before.is_provisional(d("2026-10-01"))
        assert before.is_working(d("2026-10-05")) and before.is_provisional(d("2026-10-05"))  # a Monday, bridged later
        assert not before.is_working(d("2026-02-14"))  # a Saturday: its 调休 was not known yet

    def test_planned_obligations_in_a_provisional_year_are_marked(self) -> None:
        """Weekly elderly visits in a year with no schedule: calendar "provisional", due on Friday."""
        h = home(circ("elderly_alone", f"{FAR}-03-01"))
        found = dues("elderly.weekly", [h], horizon(f"{FAR}-03-05", f"{FAR}-03-11"))
        assert found == [(f"{FAR}-03-09", "weekend", "provisional")]  # Sunday 11 March 2040 -> Friday 9th

    def test_a_window_ending_in_an_official_year_is_official(self) -> None:
        """Only the days the due date depended on count."""
        h = home(circ("hardship", "2026-01-01"))
        assert dues("hardship.monthly", [h], horizon("2026-12-01", "2026-12-31")) == [("2026-12-31", None, "official")]


class TestDueDates:
    """Hand-worked due dates of the default rulebook on the 2026 schedule."""

    def test_a_sunday_month_end_moves_to_friday(self) -> None:
        """May 2026 ends on a Sunday."""
        h = home(circ("hardship", "2026-01-01"))
        assert dues("hardship.monthly", [h], horizon("2026-05-01", "2026-05-31")) == [
            ("2026-05-29", "weekend", "official")
        ]

    def test_a_window_ending_in_the_spring_festival_holiday_moves_to_the_working_saturday(self) -> None:
        """ISO week 7 ends Sunday 15 Feb, a holiday; Saturday the 14th is a working day."""
        h = home(circ("elderly_alone", "2026-01-01"))
        found = [
            o for o in plan(BAIBUTING, [h], [], horizon("2026-02-09", "2026-02-15")) if o.rule.id == "elderly.weekly"
        ]
        assert len(found) == 1
        o = found[0]
        assert o.due == d("2026-02-14")
        assert o.adjustment is not None
        assert (o.adjustment.nominal, o.adjustment.reason, o.adjustment.name) == (
            d("2026-02-15"),
            DueReason.HOLIDAY,
            "春节",
        )

    def test_a_week_with_no_working_day_keeps_its_sunday_and_says_so(self) -> None:
        """16-22 February 2026 is entirely Spring Festival holiday."""
        h = home(circ("unemployed", "2026-01-01"))
        assert dues("unemployed.contact", [h], horizon("2026-02-16", "2026-02-22")) == [
            ("2026-02-22", "no_working_day", "official")
        ]

    def test_national_day_moves_a_window_end_back_into_september(self) -> None:
        """Week 40 (28 Sep - 4 Oct 2026): 1-4 October are off, so Wednesday 30 September."""
        h = home(circ("elderly_alone", "2026-01-01"))
        assert dues("elderly.weekly", [h], horizon("2026-09-28", "2026-10-04")) == [
            ("2026-09-30", "holiday", "official")
        ]

    def test_the_quarter_ending_on_a_thursday_holiday_free_is_untouched(self) -> None:
        """Q4 2026 ends on Thursday 31 December, a working day."""
        h = home(circ("hardship", "2026-01-01"))
        assert dues("hardship.quarterly", [h], horizon("2026-10-01", "2026-12-31")) == [
            ("2026-12-31", None, "official")
        ]

    def test_hospital_visit_due_three_days_after_a_saturday_admission(self) -> None:
        """Admitted Saturday 7 March 2026: nominal due Tuesday the 10th stays."""
        h = home(circ("hospitalized", "2026-03-07", "2026-03-20"))
        assert dues("hospital.visit", [h], horizon("2026-03-01", "2026-03-31")) == [("2026-03-10", None, "official")]

    def test_hospital_visit_over_the_new_year_holiday_cannot_move(self) -> None:
        """Admitted 1 Jan 2026, nominal due on the 4th, a working Sunday (调休): kept."""
        h = home(circ("hospitalized", "2026-01-01", "2026-01-10"))
        assert dues("hospital.visit", [h], horizon("2026-01-01", "2026-01-31")) == [("2026-01-04", None, "official")]

    def test_event_responses_keep_calendar_days(self) -> None:
        """An emergency on a Sunday holiday is still answered that day."""
        assert dues(
            "arrive.emergency", [home()], horizon("2026-10-04", "2026-10-04"), [event("emergency", "2026-10-04")]
        ) == [("2026-10-04", None, None)]

    def test_a_rule_can_opt_out_of_the_rulebook_default(self) -> None:
        """due = "window_end" on the rule keeps its Sunday."""
        rule = BAIBUTING.get("hardship.monthly")
        book = Rulebook(
            name="t",
            rules=(attrs.evolve(rule, due=Due.WINDOW_END),),
            due=Due.LAST_WORKING_DAY,
            vocabulary=BAIBUTING.vocabulary,
        )
        h = home(circ("hardship", "2026-01-01"))
        assert dues("hardship.monthly", [h], horizon("2026-05-01", "2026-05-31"), rulebook=book) == [
            ("2026-05-31", None, None)
        ]


class TestWorkingDayResponses:
    RULE = attrs.evolve(
        BAIBUTING.get("arrive.dispute"), id="dispute.followup", cadence=Response(within_days=2, working_days=True)
    )
    BOOK = Rulebook(name="t", rules=(RULE,), vocabulary=BAIBUTING.vocabulary)

    @pytest.mark.parametrize(
        ("day", "end"),
        [
            ("2026-02-12", "2026-02-14"),  # Thu -> Fri 13, Sat 14 (调休)
            ("2026-09-30", "2026-10-09"),  # Wed -> the holiday week -> Thu 8, Fri 9
            ("2026-02-07", "2026-02-10"),  # Sat -> Mon 9, Tue 10
        ],
    )
    def test_two_working_days_after_the_event(self, day: str, end: str) -> None:
        """The window runs to the second working day after the event."""
        found = list(plan(self.BOOK, [home()], [event("family_dispute", day)], horizon("2026-01-01", "2026-12-31")))
        assert [(o.start.isoformat(), o.end.isoformat(), o.calendar) for o in found] == [(day, end, "official")]


class TestCommunityFile:
    def test_a_closure_moves_the_due_date_and_names_itself(self) -> None:
        """The office closes on 31 December 2026 for its year-end count."""
        calendar = china().with_file(CalendarFile(closed=(DayRange(start=d("2026-12-31"), name="年终盘点"),)))
        h = home(circ("hardship", "2026-01-01"))
        (o,) = [
            o
            for o in plan(BAIBUTING, [h], [], horizon("2026-12-01", "2026-12-31"), calendar=calendar)
            if o.rule.id == "hardship.monthly"
        ]
        assert o.due == d("2026-12-30")
        assert o.adjustment is not None
        assert (o.adjustment.reason, o.adjustment.name) == (DueReason.CLOSURE, "年终盘点")

    def test_an_extra_working_day_beats_the_official_holiday(self) -> None:
        """A community service day on Sunday 4 October 2026."""
        calendar = china().with_file(CalendarFile(open=(DayRange(start=d("2026-10-04"), name="服务日"),)))
        assert calendar.is_working(d("2026-10-04"))
        assert calendar.day(d("2026-10-04")).source is Source.COMMUNITY
        h = home(circ("elderly_alone", "2026-01-01"))
        found = [
            o.due
            for o in plan(BAIBUTING, [h], [], horizon("2026-09-28", "2026-10-04"), calendar=calendar)
            if o.rule.id == "elderly.weekly"
        ]
        assert found == [d("2026-10-04")]

    def test_a_year_published_in_the_file_is_official(self, tmp_path: Path) -> None:
        """Next year's schedule, added the day it is published, ends the provisional marking."""
        path = tmp_path / "calendar.toml"
        path.write_text(
            f"""name = "百步亭"
[[years]]
year = {FAR}
source = "国务院办公厅关于{FAR}年部分节假日安排的通知"
off = [{{ start = {FAR}-01-01, end = {FAR}-01-03, name = "元旦" }}]
work = [{{ start = {FAR}-01-07, name = "元旦" }}]
""",
            encoding="utf-8",
        )
        calendar = china().with_file(load_calendar(path))
        assert calendar.is_official(FAR)
        assert not calendar.is_working(dt.date(FAR, 1, 2))
        assert calendar.is_working(dt.date(FAR, 1, 7))  # a Saturday
        h = home(circ("hardship", f"{FAR - 1}-01-01"))
        found = list(plan(BAIBUTING, [h], [], horizon(f"{FAR}-01-01", f"{FAR}-01-31"), calendar=calendar))
        assert {o.calendar for o in found} == {"official"}

    def test_every_problem_of_a_calendar_file_at_once(self, tmp_path: Path) -> None:
        """Bad dates, reversed ranges, clashes and unknown fields, each with its path."""
        path = tmp_path / "bad.toml"
        path.write_text(
            """
[[closed]]
start = 2026-03-10
end = 2026-03-01
[[closed]]
start = "2026-13-01"
[[open]]
start = 2026-05-01
[[closed]]
start = 2026-05-01
colour = "red"
[[years]]
year = 2027
off = [{ start = 2026-12-31 }]
""",
            encoding="utf-8",
        )
        with pytest.raises(CalendarError) as caught:
            load_calendar(path)
        lines = caught.value.lines()
        assert f"{path}: closed[0].end: before start (2026-03-01 < 2026-03-10)" in lines
        assert f"{path}: closed[1].start: not a real date: '2026-13-01'" in lines
        assert f"{path}: closed[2].colour: unknown field" in lines
        assert f"{path}: years[0].off[0]: 2026-12-31..2026-12-31 is not in 2027" in lines
        assert len(lines) == 4

    def test_a_clash_between_open_and_closed_is_reported(self) -> None:
        """One day cannot be both."""
        with pytest.raises(FieldProblems, match=r"open\[0\]: 2026-05-01 is also listed as closed"):
            CalendarFile(closed=(DayRange(start=d("2026-05-01")),), open=(DayRange(start=d("2026-05-01")),))

    def test_an_official_year_may_not_list_a_day_twice(self) -> None:
        """A day off cannot also be a working day."""
        with pytest.raises(FieldProblems, match="also listed as a day off"):
            OfficialYear(year=2030, off=(DayRange(start=d("2030-01-05")),), work=(DayRange(start=d("2030-01-05")),))

    def test_a_missing_or_broken_file_is_a_clear_error(self, tmp_path: Path) -> None:
        """No traceback for a missing file or bad TOML."""
        with pytest.raises(CalendarError, match="no such file"):
            load_calendar(tmp_path / "missing.toml")
        broken = tmp_path / "broken.toml"
        broken.write_text("[[closed]\n", encoding="utf-8")
        with pytest.raises(CalendarError, match="not valid TOML"):
            load_calendar(broken)


class TestProperties:
    @given(vst.work_calendars(), vst.dates(), st.integers(0, 60))
    def test_a_due_date_moved_to_a_working_day_never_leaves_its_window(
        self, calendar: WorkCalendar, start: dt.date, length: int
    ) -> None:
        """The due date is in the window; it is a working day unless the window has none."""
        end = start + dt.timedelta(days=length)
        due, adjustment, _ = calendar.last_working_day(start, end)
        assert start <= due <= end
        if adjustment is None:
            assert due == end and calendar.is_working(end)
        elif adjustment.reason is DueReason.NO_WORKING_DAY:
            assert due == end
            assert not any(calendar.is_working(start + dt.timedelta(days=n)) for n in range(length + 1))
        else:
            assert calendar.is_working(due) and adjustment.nominal == end
            assert not any(calendar.is_working(due + dt.timedelta(days=n)) for n in range(1, (end - due).days + 1))

    @given(vst.rulebooks(), vst.communities(), vst.horizons(), vst.work_calendars())
    def test_planned_due_dates_stay_in_their_windows_on_any_calendar(
        self, rulebook: Rulebook, community: Community, span: Horizon, calendar: WorkCalendar
    ) -> None:
        """For every rulebook, community, horizon and calendar."""
        for o in plan(rulebook, community.households, community.events, span, calendar=calendar):
            assert o.start <= o.due <= o.end
            rule = o.rule
            working = rulebook.due_of(rule) is Due.LAST_WORKING_DAY or (
                isinstance(rule.cadence, Response) and rule.cadence.working_days
            )
            assert (o.calendar is None) == (not working)
            if o.adjustment is not None and o.adjustment.reason is not DueReason.NO_WORKING_DAY:
                assert calendar.is_working(o.due) and o.due < o.adjustment.nominal

    @given(vst.dates(), st.integers(0, 10), vst.work_calendars())
    def test_working_day_responses_end_on_a_working_day(self, day: dt.date, count: int, calendar: WorkCalendar) -> None:
        """Counting N working days lands on a working day with exactly N working days after the event."""
        end, _ = calendar.add_working_days(day, count)
        worked = sum(calendar.is_working(day + dt.timedelta(days=n)) for n in range(1, (end - day).days + 1))
        assert worked == count
        assert count == 0 or calendar.is_working(end)


def test_monday_to_friday_is_entirely_provisional() -> None:
    """The bare fallback knows no holidays."""
    calendar = monday_to_friday()
    assert calendar.day(d("2026-10-01")).source is Source.PROVISIONAL
    assert calendar.is_working(d("2026-10-01"))


class TestStatutory:
    """The holidays the national rules fix, for years whose schedule is not published."""

    @pytest.mark.parametrize("year", range(2008, 2027))
    def test_every_statutory_day_was_off_in_the_published_schedules(self, year: int) -> None:
        """The rules, checked against each published year: none of their days was a working day."""
        calendar = china()
        days = statutory_holidays(year)
        assert len(days) == (13 if year >= 2025 else 11)
        assert [day for day, _ in days if calendar.is_working(day)] == []

    def test_the_rules_of_2025_give_four_spring_festival_days_and_two_may_days(self) -> None:
        """2027: 除夕 5 Feb and 初一-初三 6-8 Feb; 1-2 May; 清明 5 April; 端午 9 June; 中秋 15 September."""
        names = {day.isoformat(): name for day, name in statutory_holidays(2027)}
        assert [k for k, v in names.items() if v == "春节"] == ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"]
        assert [k for k, v in names.items() if v == "劳动节"] == ["2027-05-01", "2027-05-02"]
        assert (names["2027-04-05"], names["2027-06-09"], names["2027-09-15"]) == ("清明", "端午", "中秋")
        assert [k for k, v in names.items() if v == "国庆节"] == ["2027-10-01", "2027-10-02", "2027-10-03"]

    def test_outside_the_rules_and_the_lunar_tables_there_are_none(self) -> None:
        """Before 2008 the rules differed; after 2100 the lunar dates are unknown."""
        assert statutory_holidays(2007) == () and statutory_holidays(2101) == ()
        assert statutory_holidays(2100)[0] == (d("2100-01-01"), "元旦")

    def test_a_weekly_visit_of_the_first_provisional_week_is_not_due_on_new_years_day(self) -> None:
        """Week 53 of 2026 ends Sunday 3 January 2027: due Thursday 31 December, provisional (2-3 Jan unknown)."""
        h = home(circ("elderly_alone", "2026-01-01"))
        span = horizon("2026-12-28", "2027-01-03")
        found = [
            o
            for o in plan(BAIBUTING, [h], [], span, calendar=china().up_to(2026))
            if o.rule.id == "elderly.weekly" and o.end == d("2027-01-03")
        ]
        assert [(o.due, o.provisional) for o in found] == [(d("2026-12-31"), True)]

    def test_the_calendar_command_lists_statutory_days_of_a_provisional_year(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """visits calendar --year 2040: the statutory days that fall on weekdays are listed as days off."""
        assert main(["calendar", "--year", str(FAR), "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "PROVISIONAL" in out
        assert f"{FAR}-10-03  周三  off      statutory  国庆节" in out
        weekdays = [day for day, _ in statutory_holidays(FAR) if day.weekday() < 5]
        assert out.count("  statutory  ") == len(weekdays) == 10
