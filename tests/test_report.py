"""The supervisor's report: its numbers are the status report's at each month end; redacted, it hides; the page."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BAIBUTING, circ, d
from tests.helpers.org import UNITS, person
from tests.helpers.records import records_for
from visits import Community, Horizon, Rulebook, save_community, status_report
from visits.cli import main
from visits.core.columnar import HouseholdTable, plan_columns
from visits.core.columnar_assign import assign_columns
from visits.core.community import Household
from visits.core.organisation import Organisation, Person
from visits.core.supervision import Cover, Quiet, Streak
from visits.core.workdays import WorkCalendar, monday_to_friday
from visits.render.report_page import report_html
from visits.supervising import hidden_rules, month_spans, report_names, supervision
from visits.testing import demo
from visits.testing import strategies as vst

WEEKDAYS = monday_to_friday()
HALF = (d("2026-01-01"), d("2026-06-30"))


def with_records(data: st.DataObject, rulebook: Rulebook, community: Community, span: Horizon) -> Community:
    organisation = community.organisation
    units = organisation.units if organisation is not None else ()
    table = HouseholdTable.from_households(community.households, community.events)
    rows = plan_columns(rulebook, table, span, calendar=WEEKDAYS, units=units)
    buildings = {h.id: h.building for h in community.households}
    assigned = list(assign_columns(rows, organisation, buildings, rulebook.vocabulary).assigned())
    return attrs.evolve(community, visits=tuple(data.draw(records_for(assigned, community, rulebook))))


@given(
    st.data(),
    st.one_of(st.just(BAIBUTING), vst.rulebooks(duties=True)),
    st.integers(2025, 2027),
    st.integers(1, 12),
    st.integers(1, 4),
)
def test_every_month_is_the_status_report_as_of_its_last_day(
    data: st.DataObject, rulebook: Rulebook, year: int, month: int, count: int
) -> None:
    """Per estate, rule and visitor, and overall: the counts equal status_report over the span, as of each month end."""
    community = data.draw(vst.organised_communities(max_households=6, vocabulary=rulebook.vocabulary))
    first = dt.date(year, month, 1)
    months = month_spans(first, (first + dt.timedelta(days=31 * (count - 1))).replace(day=1))
    span = Horizon(start=months[0][0], end=months[-1][1])
    community = with_records(data, rulebook, community, span)
    report = supervision(rulebook, community, span.start, span.end, calendar=WEEKDAYS)
    assert report.ends == tuple(last for _, last in months)
    for k, day in enumerate(report.ends):
        for by, series in (("unit", report.estates), ("rule", report.rules), ("person", report.people)):
            status = status_report(rulebook, community, span, day, by, calendar=WEEKDAYS)  # type: ignore[arg-type]
            assert {s.name: s.counts[k] for s in series} == {g.name: g for g in status.groups}, (by, day)
        assert attrs.evolve(report.overall.counts[k], name="all") == status.overall


@st.composite
def sensitive_twins(draw: st.DrawFn, owing: bool = False) -> tuple[Community, Community]:
    """A community twice, but for one household's category: two sensitive ones, or one sensitive and none.

    ``owing``: the household's circumstance begins in the first half of 2026 and goes on, so it owes something then.
    """
    sensitive = sorted(BAIBUTING.sensitive_categories())
    first = draw(st.sampled_from(sensitive))
    second = draw(st.sampled_from([None, *(c for c in sensitive if c != first)]))
    base = draw(vst.organised_communities(max_households=5, first=d("2025-06-01"), last=d("2027-06-30")))
    assert base.organisation is not None
    buildings = [u.id for u in base.organisation.units if u.level == "building"]
    building = draw(st.sampled_from(buildings)) if buildings else None
    start = d("2026-01-01") + dt.timedelta(days=draw(st.integers(0, 150) if owing else st.integers(-200, 200)))
    end = (
        None
        if owing
        else draw(st.none() | st.integers(0, 300).map(lambda n: (start + dt.timedelta(days=n)).isoformat()))
    )

    def twin(category: str | None) -> Community:
        held = (circ(category, start.isoformat(), end),) if category else ()
        home = Household(id="HX", building=building, circumstances=held)
        return attrs.evolve(base, households=(*base.households, home))

    return twin(first), twin(second)


class TestRedacted:
    @given(sensitive_twins())
    def test_a_household_s_sensitive_category_changes_no_number(self, twins: tuple[Community, Community]) -> None:
        one, other = (supervision(BAIBUTING, c, *HALF, calendar=WEEKDAYS, redact=True) for c in twins)
        assert one == other

    @settings(max_examples=8)  # each draws six heat maps; the page is a function of the numbers above and the names
    @given(sensitive_twins(owing=True))
    def test_nor_a_byte_of_the_page(self, twins: tuple[Community, Community]) -> None:
        pages = []
        for c in twins:
            names = report_names(BAIBUTING, c, "zh")
            pages.append(report_html(supervision(BAIBUTING, c, *HALF, calendar=WEEKDAYS, redact=True), names, "zh"))
        assert pages[0] == pages[1]

    @given(sensitive_twins(owing=True))
    def test_unredacted_the_twins_differ(self, twins: tuple[Community, Community]) -> None:
        """The property is not empty: not redacted, the household's obligations show in the counts."""
        one, other = (supervision(BAIBUTING, c, *HALF, calendar=WEEKDAYS) for c in twins)
        assert one.rules != other.rules

    def test_no_hidden_rule_appears_anywhere(self) -> None:
        community = demo.generate(300, seed=3, with_visits=True)
        report = supervision(BAIBUTING, community, d("2026-01-01"), d("2026-12-31"), redact=True)
        hidden = hidden_rules(BAIBUTING)
        assert hidden == {r.id for r in BAIBUTING.rules if r.id.split(".")[0] in ("hospital", "unemployed", "released")}
        assert not {s.name for s in report.rules} & hidden
        page = report_html(report, report_names(BAIBUTING, community, "zh"), "zh").decode()
        for rule in BAIBUTING.rules:
            if rule.id in hidden:
                assert rule.title not in page and rule.id not in page
        for term in BAIBUTING.vocabulary.categories:
            if term.sensitive:
                assert term.title not in page
        assert "公开版" in page


def _community(tmp_path: Path, households: int = 300) -> Path:
    path = tmp_path / "c.json"
    save_community(demo.generate(households, seed=5, with_visits=True), path)
    return path


class _Tables(HTMLParser):
    """The text of every table cell, by table, row and column."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def estates_table(page: str) -> dict[str, list[str]]:
    """The first table of the page (the estates' rates): estate name -> each month's cell."""
    parser = _Tables()
    parser.feed(page)
    return {row[0]: row[1:] for row in parser.tables[0][1:]}


def status_cells(community: Community, first: dt.date, last: dt.date) -> dict[str, list[str]]:
    """What visits status says of each estate at each month end, written as the page writes a cell."""
    months = month_spans(first, last)
    span = Horizon(start=months[0][0], end=months[-1][1])
    units = {u.id: u.name for u in community.organisation.units} if community.organisation else {}
    cells: dict[str, list[str]] = {}
    for _, day in months:
        for g in status_report(BAIBUTING, community, span, day, "unit").groups:
            cell = f"{g.rate:.0%} ({g.met_due}/{g.due})" if g.due and g.rate is not None else "—"
            cells.setdefault(units.get(g.name, g.name), []).append(cell)
    return cells


class TestCommand:
    def test_the_page_shows_what_status_says_at_each_month_end(self, tmp_path: Path) -> None:
        path = _community(tmp_path)
        out = tmp_path / "r.html"
        assert main(["report", str(path), "--from", "2026-01", "--to", "2026-04", "-o", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        from visits import load_community

        assert estates_table(page) == status_cells(load_community(path), d("2026-01-01"), d("2026-04-01"))
        assert "<svg" in page and page.count("<svg") == 3
        assert not re.search(r"(src|href)\s*=|url\(|@import|<script|<link|https?:", page.split("<svg", 1)[0])

    def test_json_and_csv_carry_every_number(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = _community(tmp_path)
        assert main(["report", str(path), "--from", "2026-02", "--to", "2026-03", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["months"] == ["2026-02", "2026-03"] and data["as_of"] == ["2026-02-28", "2026-03-31"]
        assert all(type(n) is int for load in data["loads"] for n in load["assigned"])  # counts, not floats
        status = status_report(
            BAIBUTING, _loaded(path), horizon_of("2026-02-01", "2026-03-31"), d("2026-03-31"), "rule"
        )
        rules = {s["name"]: s["months"][1] for s in data["rules"]}
        assert {g.name: (g.due, g.met_due, g.missed) for g in status.groups} == {
            name: (m["due"], m["met_due"], m["missed"]) for name, m in rules.items()
        }
        assert main(["report", str(path), "--from", "2026-02", "--to", "2026-03", "--format", "csv"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("section,group,month,as_of,total,due,met,met_due")
        assert lines[1].startswith("overall,all,2026-02,2026-02-28,")

    @pytest.mark.parametrize(
        ("args", "code", "message"),
        [
            (["--from", "2026-13", "--to", "2026-12"], 1, "--from: not a month written YYYY-MM: '2026-13'"),
            (["--from", "2026-05", "--to", "2026-04"], 2, "--from 2026-05 is after --to 2026-04"),
            (["--from", "2026-01", "--to", "2026-02", "--format", "docx"], 2, "invalid choice"),
        ],
    )
    def test_mistakes_are_named_and_nothing_is_written(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
    ) -> None:
        path = _community(tmp_path, households=20)
        out = tmp_path / "r.html"
        try:
            result = main(["report", str(path), *args, "-o", str(out)])
        except SystemExit as exc:
            result = int(str(exc.code))
        assert result == code
        assert message in capsys.readouterr().err
        assert not out.exists()

    def test_a_file_of_another_suffix_is_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = _community(tmp_path, households=20)
        assert main(["report", str(path), "--from", "2026-01", "--to", "2026-02", "-o", str(tmp_path / "r.doc")]) == 2
        assert "--format must be one of html, pdf, json, csv" in capsys.readouterr().err


def _loaded(path: Path) -> Community:
    from visits import load_community

    return load_community(path)


def horizon_of(start: str, end: str) -> Horizon:
    return Horizon(start=d(start), end=d(end))


class TestLists:
    def test_quiet_streaks_loads_and_covers_on_the_demo(self) -> None:
        community = demo.generate(400, seed=6, with_visits=True)
        report = supervision(BAIBUTING, community, d("2026-01-01"), d("2026-12-31"), limit=40)
        lasts = [q.last or dt.date.min for q in report.quiet]
        assert lasts == sorted(lasts) and len(report.quiet) == 20
        assert all(isinstance(q, Quiet) for q in report.quiet)
        assert all(len(k.months) >= 2 and isinstance(k, Streak) for k in report.streaks)
        assert all(
            int(b[5:]) == int(a[5:]) + 1 for k in report.streaks for a, b in zip(k.months, k.months[1:], strict=False)
        )
        heaviest = [max(load.assigned) for load in report.loads]
        assert heaviest == sorted(heaviest, reverse=True)
        assert all(
            (n > 40) == (m in load.over)
            for load in report.loads
            for n, m in zip(load.assigned, report.months, strict=True)
        )
        assert all(isinstance(c, Cover) and c.count > 0 and c.substitute != c.instead_of for c in report.covers)


def test_a_community_with_a_calendar_of_its_own(tmp_path: Path) -> None:
    """A working-day calendar passed in is the one both the report and the status use."""
    community = demo.generate(60, seed=7, with_visits=True)
    calendar: WorkCalendar = WEEKDAYS
    report = supervision(BAIBUTING, community, d("2026-03-01"), d("2026-03-31"), calendar=calendar)
    status = status_report(
        BAIBUTING, community, horizon_of("2026-03-01", "2026-03-31"), d("2026-03-31"), calendar=calendar
    )
    assert attrs.evolve(report.overall.counts[0], name="all") == status.overall


class _Proxy:
    """A TCP port standing in for the network: the hosts of the requests the browser sends through it."""

    def __init__(self) -> None:
        import socket
        import threading

        self.hosts: set[str] = set()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            connection.settimeout(2)
            try:
                line = connection.recv(400).split(b"\r\n")[0].decode("latin-1")
            except OSError:
                line = "? unreadable"
            connection.close()
            target = line.split(" ")[1] if " " in line else line  # CONNECT host:443, or GET http://host/...
            self.hosts.add(target.split("://")[-1].split("/")[0].split(":")[0])

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


def _chromium(page: Path, tmp_path: Path, proxy: int, *args: str) -> str:
    import subprocess

    from tests.helpers.roster import tool

    command = [
        tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", f"--proxy-server=http://127.0.0.1:{proxy}",
        "--proxy-bypass-list=<-loopback>", *args, page.as_uri(),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=180).stdout


def test_chromium_draws_the_page_asks_the_network_nothing_and_shows_what_status_says(tmp_path: Path) -> None:
    """A real browser: a screenshot with the heat maps' colours, no request through the proxy, the numbers of status."""
    from matplotlib.image import imread

    path = _community(tmp_path)
    page = tmp_path / "r.html"
    assert main(["report", str(path), "--from", "2026-01", "--to", "2026-12", "-o", str(page)]) == 0
    proxy = _Proxy()
    try:
        blank = tmp_path / "blank.html"
        blank.write_text("<!DOCTYPE html><title>.</title>", encoding="utf-8")
        _chromium(blank, tmp_path, proxy.port, "--dump-dom")
        browsers_own = set(proxy.hosts)  # Chromium's own calls home (update, time, accounts), page or no page
        shot = tmp_path / "r.png"
        _chromium(page, tmp_path, proxy.port, f"--screenshot={shot}", "--window-size=1200,1600")
        dom = _chromium(page, tmp_path, proxy.port, "--dump-dom")
    finally:
        proxy.close()
    assert proxy.hosts <= browsers_own, proxy.hosts - browsers_own  # the page asked the network for nothing
    pixels = imread(shot)[:, :, :3]
    inked = (pixels < 0.95).any(axis=2)
    assert inked.mean() > 0.1  # not blank: text, tables and heat maps cover a tenth of the window
    greens = (pixels[:, :, 1] > pixels[:, :, 0] + 0.15) & (pixels[:, :, 1] > pixels[:, :, 2] + 0.15)
    assert greens.sum() > 10_000  # the heat maps' colours, drawn
    assert estates_table(dom) == status_cells(_loaded(path), d("2026-01-01"), d("2026-12-01"))


def test_in_english_the_page_s_own_words_and_punctuation_are_english() -> None:
    community = demo.generate(120, seed=8, with_visits=True)
    report = supervision(BAIBUTING, community, d("2026-01-01"), d("2026-03-31"), calendar=WEEKDAYS)
    page = report_html(report, report_names(BAIBUTING, community, "en"), "en").decode()
    assert "Estates month by month" in page and "Overall rate (2026-03): " in page
    assert not {"：", "（", "）", "；", "。", "、"} & set(page)
    chinese = report_html(report, report_names(BAIBUTING, community, "zh"), "zh").decode()
    assert "各苑区逐月完成率" in chinese and "总体完成率 (2026-03)：" in chinese


def _one_household(*people: Person) -> Community:
    """H1 in hardship from 1 January 2026 at building B1, with the given people and no records."""
    household = Household(id="H1", building="B1", circumstances=(circ("hardship", "2026-01-01"),))
    return Community(households=(household,), organisation=Organisation(units=UNITS, people=people))


class TestHandWorked:
    def test_a_streak_from_the_first_month_keeps_it(self) -> None:
        """No record at all: January to March closed unmet; April is due on 30 April, still open that day."""
        community = _one_household(person("G1", "group_leader", "B1"))
        report = supervision(BAIBUTING, community, d("2026-01-01"), d("2026-04-30"), calendar=WEEKDAYS)
        assert report.streaks == (Streak(household="H1", building="B1", months=("2026-01", "2026-02", "2026-03")),)
        assert report.quiet == (Quiet(household="H1", building="B1", last=None),)

    def test_who_covered_for_whom(self) -> None:
        """P1 away all February: P2, of rank 2, takes February's monthly visit instead of P1."""
        away = person("P1", "group_leader", "B1", away=("2026-02-01", "2026-02-28"))
        community = _one_household(away, person("P2", "group_leader", "B1", rank=2))
        report = supervision(BAIBUTING, community, d("2026-01-01"), d("2026-03-31"), calendar=WEEKDAYS)
        assert Cover(substitute="P2", instead_of="P1", role=None, count=1) in report.covers
        assert [load.assigned for load in report.loads if load.person == "P2"] == [(0, 1, 0)]
