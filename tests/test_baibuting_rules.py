"""Every rule of the Baibuting rulebook against calendars worked out by hand."""

from __future__ import annotations

import pytest

from tests.helpers import BAIBUTING, circ, event, home, horizon, keys, obligations, windows

YEAR_2026 = horizon("2026-01-01", "2026-12-31")


def test_rulebook_has_exactly_the_contract_rule_ids() -> None:
    """The rule ids are part of the data contract."""
    assert [r.id for r in BAIBUTING] == [
        "hardship.monthly",
        "hardship.quarterly",
        "hardship.yearly",
        "hospital.visit",
        "unemployed.contact",
        "unemployed.monthly",
        "unemployed.review",
        "released.prerelease",
        "released.pickup",
        "released.assign",
        "released.halfyearly",
        "elderly.weekly",
        "elderly.halfyearly",
        "elderly.bell",
        "elderly.alarm",
        "arrive.emergency",
        "arrive.grievance",
        "arrive.dispute",
        "arrive.escalate",
    ]


@pytest.mark.parametrize(
    ("rule_id", "roles", "action"),
    [
        ("hardship.monthly", ("group_leader",), "visit"),
        ("hardship.quarterly", ("branch_secretary",), "visit"),
        ("hardship.yearly", ("committee",), "gift_visit"),
        ("unemployed.contact", ("group_leader",), "contact"),
        ("unemployed.monthly", ("branch_secretary",), "visit"),
        ("unemployed.review", ("committee",), "review"),
        ("arrive.dispute", ("group_leader",), "arrive"),
        ("arrive.escalate", ("branch_secretary",), "arrive"),
    ],
)
def test_roles_and_actions_follow_the_text(rule_id: str, roles: tuple[str, ...], action: str) -> None:
    """Roles quoted by the source text are the rule's roles."""
    rule = BAIBUTING.get(rule_id)
    assert (rule.roles, rule.action) == (roles, action)


def test_every_rule_quotes_a_phrase_of_the_source_and_readings_explain_themselves() -> None:
    """Sources are Chinese phrases; a reading always carries a note."""
    for rule in BAIBUTING:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.source), rule.id
        assert not rule.reading or rule.note, rule.id
    readings = {r.id for r in BAIBUTING if r.reading}
    assert {
        "unemployed.contact",
        "released.prerelease",
        "hospital.visit",
        "released.pickup",
        "elderly.bell",
    } <= readings


class TestHardship:
    def test_monthly_in_a_leap_february_with_partial_first_and_last_months(self) -> None:
        """2024-01-15..2024-03-10: Jan 15-31, Feb 1-29, Mar 1-10."""
        h = home(circ("hardship", "2024-01-15", "2024-03-10"))
        assert windows("hardship.monthly", [h], horizon("2024-01-01", "2024-12-31")) == [
            ("2024-01-15", "2024-01-31", "2024-01-31"),
            ("2024-02-01", "2024-02-29", "2024-02-29"),
            ("2024-03-01", "2024-03-10", "2024-03-10"),
        ]

    def test_quarterly_starting_on_the_last_day_of_a_quarter(self) -> None:
        """A circumstance starting 31 March owes a one-day Q1 window, then whole quarters."""
        h = home(circ("hardship", "2026-03-31"))
        assert windows("hardship.quarterly", [h], YEAR_2026) == [
            ("2026-03-31", "2026-03-31", "2026-03-31"),
            ("2026-04-01", "2026-06-30", "2026-06-30"),
            ("2026-07-01", "2026-09-30", "2026-09-30"),
            ("2026-10-01", "2026-12-31", "2026-12-31"),
        ]
        assert keys("hardship.quarterly", [h], YEAR_2026)[0] == "H1/hardship.quarterly/2026-03-31/2026-Q1"

    def test_yearly_gift_visit_across_year_boundaries(self) -> None:
        """Three calendar years touched give three windows, cut by the circumstance."""
        h = home(circ("hardship", "2025-07-01", "2027-02-15"))
        assert windows("hardship.yearly", [h], horizon("2025-01-01", "2027-12-31")) == [
            ("2025-07-01", "2025-12-31", "2025-12-31"),
            ("2026-01-01", "2026-12-31", "2026-12-31"),
            ("2027-01-01", "2027-02-15", "2027-02-15"),
        ]


class TestHospital:
    def test_window_is_the_stay_and_due_three_days_after_admission(self) -> None:
        """A stay over the end of February (2026 is not a leap year)."""
        h = home(circ("hospitalized", "2026-02-27", "2026-03-06"))
        assert windows("hospital.visit", [h], YEAR_2026) == [("2026-02-27", "2026-03-06", "2026-03-02")]

    def test_short_stay_is_due_by_discharge(self) -> None:
        """The due date never falls after the window."""
        h = home(circ("hospitalized", "2026-05-05", "2026-05-06"))
        assert windows("hospital.visit", [h], YEAR_2026) == [("2026-05-05", "2026-05-06", "2026-05-06")]

    def test_open_stay_uses_its_first_thirty_days(self) -> None:
        """Not yet discharged: the window runs 30 days, past the horizon."""
        h = home(circ("hospitalized", "2026-12-30"))
        assert windows("hospital.visit", [h], YEAR_2026) == [("2026-12-30", "2027-01-28", "2027-01-02")]

    def test_each_stay_is_its_own_obligation(self) -> None:
        """Two stays, two visits, keyed by admission day."""
        h = home(circ("hospitalized", "2026-01-02", "2026-01-05"), circ("hospitalized", "2026-01-06", "2026-01-09"))
        assert keys("hospital.visit", [h], YEAR_2026) == [
            "H1/hospital.visit/2026-01-02/span",
            "H1/hospital.visit/2026-01-06/span",
        ]


class TestUnemployed:
    def test_weekly_contact_across_iso_week_53(self) -> None:
        """2026 has an ISO week 53 (28 Dec 2026 - 3 Jan 2027)."""
        h = home(circ("unemployed", "2026-12-23", "2027-01-05"))
        span = horizon("2026-12-01", "2027-01-31")
        assert windows("unemployed.contact", [h], span) == [
            ("2026-12-23", "2026-12-27", "2026-12-27"),
            ("2026-12-28", "2027-01-03", "2027-01-03"),
            ("2027-01-04", "2027-01-05", "2027-01-05"),
        ]
        assert [k.rsplit("/", 1)[1] for k in keys("unemployed.contact", [h], span)] == [
            "2026-W52",
            "2026-W53",
            "2027-W01",
        ]

    def test_monthly_visit_from_the_31st(self) -> None:
        """31 January to 1 March: one-day January, whole February, one-day March."""
        h = home(circ("unemployed", "2026-01-31", "2026-03-01"))
        assert windows("unemployed.monthly", [h], YEAR_2026) == [
            ("2026-01-31", "2026-01-31", "2026-01-31"),
            ("2026-02-01", "2026-02-28", "2026-02-28"),
            ("2026-03-01", "2026-03-01", "2026-03-01"),
        ]

    def test_year_end_review_is_december(self) -> None:
        """Owed each December the person is still unemployed."""
        h = home(circ("unemployed", "2026-03-01"))
        assert windows("unemployed.review", [h], horizon("2026-01-01", "2027-12-31")) == [
            ("2026-12-01", "2026-12-31", "2026-12-31"),
            ("2027-12-01", "2027-12-31", "2027-12-31"),
        ]

    def test_year_end_review_cut_or_dropped_by_the_end_of_unemployment(self) -> None:
        """Ends 10 December: a short review window; ends in November: none."""
        assert windows("unemployed.review", [home(circ("unemployed", "2026-03-01", "2026-12-10"))], YEAR_2026) == [
            ("2026-12-01", "2026-12-10", "2026-12-10")
        ]
        assert windows("unemployed.review", [home(circ("unemployed", "2026-03-01", "2026-11-30"))], YEAR_2026) == []

    def test_review_outside_the_horizon_is_not_planned(self) -> None:
        """A January-November horizon has no December window."""
        h = home(circ("unemployed", "2026-03-01"))
        assert windows("unemployed.review", [h], horizon("2026-01-01", "2026-11-30")) == []


class TestReleased:
    RELEASE = home(circ("released", "2026-03-01"))

    def test_pre_release_check_in_the_thirty_days_before(self) -> None:
        """Release on 1 March 2026: 30 January to 28 February."""
        assert windows("released.prerelease", [self.RELEASE], YEAR_2026) == [("2026-01-30", "2026-02-28", "2026-02-28")]

    def test_pre_release_window_is_planned_only_if_it_overlaps_the_horizon(self) -> None:
        """A horizon from the release day on does not contain the check before it."""
        assert windows("released.prerelease", [self.RELEASE], horizon("2026-03-01", "2026-12-31")) == []

    def test_pickup_on_the_release_day(self) -> None:
        """The day itself, by the group leader."""
        assert windows("released.pickup", [self.RELEASE], YEAR_2026) == [("2026-03-01", "2026-03-01", "2026-03-01")]
        assert BAIBUTING.get("released.pickup").action == "accompany"

    def test_contact_assigned_in_the_first_week(self) -> None:
        """Seven days from the release day."""
        assert windows("released.assign", [self.RELEASE], YEAR_2026) == [("2026-03-01", "2026-03-07", "2026-03-07")]

    def test_half_yearly_visits_from_a_31_august_release_do_not_drift(self) -> None:
        """31 Aug + 6 months is 28 Feb; + 12 months is 31 Aug again."""
        h = home(circ("released", "2025-08-31"))
        assert windows("released.halfyearly", [h], horizon("2025-08-01", "2027-03-01")) == [
            ("2025-08-31", "2026-02-27", "2026-02-27"),
            ("2026-02-28", "2026-08-30", "2026-08-30"),
            ("2026-08-31", "2027-02-27", "2027-02-27"),
            ("2027-02-28", "2027-08-30", "2027-08-30"),
        ]

    def test_half_yearly_reaches_a_leap_day(self) -> None:
        """31 Aug 2027 + 6 months is 29 Feb 2028."""
        h = home(circ("released", "2027-08-31"))
        assert windows("released.halfyearly", [h], horizon("2027-09-01", "2028-03-31")) == [
            ("2027-08-31", "2028-02-28", "2028-02-28"),
            ("2028-02-29", "2028-08-30", "2028-08-30"),
        ]
        assert keys("released.halfyearly", [h], horizon("2028-03-01", "2028-03-01")) == [
            "H1/released.halfyearly/2027-08-31/n2"
        ]

    def test_second_release_check_does_not_reach_back_into_the_first(self) -> None:
        """A re-release soon after the first ended starts its check the day after."""
        h = home(circ("released", "2026-01-01", "2026-01-20"), circ("released", "2026-02-01"))
        assert windows("released.prerelease", [h], YEAR_2026) == [("2026-01-21", "2026-01-31", "2026-01-31")]


class TestElderly:
    def test_weekly_visit_from_new_year_2027_is_in_iso_week_2026_w53(self) -> None:
        """1 January 2027 is a Friday of ISO week 2026-W53."""
        h = home(circ("elderly_alone", "2027-01-01"))
        span = horizon("2027-01-01", "2027-01-10")
        assert windows("elderly.weekly", [h], span) == [
            ("2027-01-01", "2027-01-03", "2027-01-03"),
            ("2027-01-04", "2027-01-10", "2027-01-10"),
        ]
        assert keys("elderly.weekly", [h], span)[0].endswith("/2026-W53")

    def test_half_yearly_gift_visit_uses_calendar_halves(self) -> None:
        """30 June to 1 July touches both halves: two one-day windows."""
        h = home(circ("elderly_alone", "2026-06-30", "2026-07-01"))
        assert windows("elderly.halfyearly", [h], YEAR_2026) == [
            ("2026-06-30", "2026-06-30", "2026-06-30"),
            ("2026-07-01", "2026-07-01", "2026-07-01"),
        ]

    def test_bell_installed_once_within_fourteen_days_of_enrolment(self) -> None:
        """Across the new year; cut if the enrolment ends first."""
        assert windows("elderly.bell", [home(circ("elderly_alone", "2026-12-25"))], YEAR_2026) == [
            ("2026-12-25", "2027-01-07", "2027-01-07")
        ]
        assert windows("elderly.bell", [home(circ("elderly_alone", "2026-12-25", "2026-12-27"))], YEAR_2026) == [
            ("2026-12-25", "2026-12-27", "2026-12-27")
        ]

    def test_alarm_answered_the_same_day(self) -> None:
        """The call bell rings on 28 Feb: arrive that day; carers first."""
        assert windows("elderly.alarm", [home()], YEAR_2026, [event("alarm", "2026-02-28")]) == [
            ("2026-02-28", "2026-02-28", "2026-02-28")
        ]
        assert BAIBUTING.get("elderly.alarm").role == "carer"


class TestArrive:
    @pytest.mark.parametrize(
        ("kind", "rule_id"),
        [("emergency", "arrive.emergency"), ("grievance", "arrive.grievance"), ("family_dispute", "arrive.dispute")],
    )
    def test_minor_event_brings_the_group_leader_the_same_day_only(self, kind: str, rule_id: str) -> None:
        """小事不过夜: one obligation, that day."""
        found = obligations([home()], YEAR_2026, [event(kind, "2026-05-04")])
        assert [(o.rule.id, o.start.isoformat(), o.end.isoformat()) for o in found] == [
            (rule_id, "2026-05-04", "2026-05-04")
        ]
        assert found[0].key == f"H1/{rule_id}/E1"

    def test_major_dispute_on_new_years_eve_also_brings_the_branch_secretary_by_new_year(self) -> None:
        """大事不隔天: the escalation is due the next day, in the next year."""
        found = obligations([home()], YEAR_2026, [event("family_dispute", "2026-12-31", "major")])
        assert [(o.rule.id, o.start.isoformat(), o.end.isoformat(), o.due.isoformat()) for o in found] == [
            ("arrive.dispute", "2026-12-31", "2026-12-31", "2026-12-31"),
            ("arrive.escalate", "2026-12-31", "2027-01-01", "2027-01-01"),
        ]

    def test_a_major_alarm_is_answered_by_the_alarm_rule_not_escalated(self) -> None:
        """The escalation rule names the three 三必到 kinds only."""
        found = obligations([home()], YEAR_2026, [event("alarm", "2026-04-01", "major")])
        assert [o.rule.id for o in found] == ["elderly.alarm"]

    def test_event_the_day_before_the_horizon_whose_escalation_reaches_into_it(self) -> None:
        """Windows overlapping the horizon are planned, even if they start before it."""
        found = obligations([home()], horizon("2026-06-02", "2026-06-30"), [event("emergency", "2026-06-01", "major")])
        assert [o.rule.id for o in found] == ["arrive.escalate"]
