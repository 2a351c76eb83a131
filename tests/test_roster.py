"""Monthly rosters: the model, every format, hostile input, and real rendering."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any, ClassVar

import attrs
import icalendar
import openpyxl
import pytest

from tests.helpers import BAIBUTING, circ, d
from tests.helpers.org import UNITS, person
from tests.helpers.pdf import all_text, glyphs, page_text, pdf_fonts, pdf_pages, undrawn
from tests.helpers.roster import HOSTILE_ADDRESS, HOSTILE_NAME, community, people, roster, tool
from visits import Community, Household, Visit
from visits.cli import main
from visits.core.assign import Assignment, Choice
from visits.core.community import Horizon
from visits.core.errors import FontError
from visits.core.ledger import match
from visits.core.organisation import Organisation, Unit
from visits.core.roster import Roster, RosterLine, redact_name
from visits.core.rostering import build_roster
from visits.io.convert import community_to_dict
from visits.render.formats import HEADINGS, cells, role_summary, to_csv, to_ics, to_xlsx
from visits.render.html import to_html
from visits.render.labels import chinese_note, roster_words
from visits.render.pdf import to_pdf
from visits.service import assigned_plan, monthly_roster

ZH = roster_words("zh", BAIBUTING.vocabulary)


class TestModel:
    def test_groups_by_building_sorted_by_due_then_address(self) -> None:
        """B1 then B2; inside a group, due date first, then address."""
        r = roster()
        assert [g.key for g in r.groups] == ["B1", "B2"]
        assert [g.subtitle for g in r.groups] == ["", ""] or all(isinstance(g.subtitle, str) for g in r.groups)
        for group in r.groups:
            keys = [(line.due, line.address) for line in group.lines]
            assert keys == sorted(keys)
        assert r.title == "百步亭社区 2026年12月 走访安排表"

    def test_a_weekly_window_across_two_months_is_in_both_rosters_once(self) -> None:
        """ISO week 2026-W53 (28 Dec - 3 Jan) appears once in December and once in January."""
        week = "H3/elderly.weekly/2026-01-01/2026-W53"
        december = [line.key for g in roster().groups for line in g.lines]
        january = [line.key for g in roster(year=2027, month=1).groups for line in g.lines]
        assert december.count(week) == 1
        assert january.count(week) == 1

    def test_by_person_and_filters(self) -> None:
        """A group per assignee; --unit and --person keep only theirs."""
        r = roster(by="person")
        assert {g.key for g in r.groups} >= {"G1", "S1", "K1", "C1"}
        assert all(line.assignee == g.key for g in r.groups for line in g.lines)
        only_b2 = roster(unit="B2")
        assert {line.household for g in only_b2.groups for line in g.lines} == {"H3"}
        only_c1 = roster(person="C1")
        assert {line.assignee for g in only_c1.groups for line in g.lines} == {"C1"}

    def test_counts_by_rule_and_role(self) -> None:
        """Each group's and the roster's counts add up to their lines."""
        r = roster()
        for group in r.groups:
            assert sum(n for _, n in group.by_rule) == len(group.lines) == sum(n for _, n in group.by_role)
        assert sum(n for _, n in r.by_rule) == r.lines

    def test_redaction_hides_every_task_and_names(self) -> None:
        """Every line shows the neutral task, whatever its category; names become surname + 某."""
        r = roster(redact=True)
        lines = [line for g in r.groups for line in g.lines]
        h2 = [line for line in lines if line.household == "H2"]
        assert h2 and all(line.title == "走访联系" and line.role == "" for line in h2)
        assert not any("失业" in line.title or "刑释" in line.title for line in lines)
        assert {line.household_name for line in h2} == {"王某"}
        assert {line.assignee_name for line in lines if line.assignee == "G1"} == {"张某"}
        hardship = [line for line in lines if line.household == "H1"]
        assert hardship and {line.title for line in hardship} == {"走访联系"}  # the same for every category
        assert redact_name("欧阳明华") == "欧某"

    def test_met_items_are_marked(self) -> None:
        """A December visit by the group leader marks the monthly hardship line."""
        c = community((Visit(id="V1", household="H1", person="G1", date=d("2026-12-05"), action="visit"),))
        month = Horizon(start=d("2026-12-01"), end=d("2026-12-31"))
        assigned = list(assigned_plan(BAIBUTING, c, month))
        met = match(
            c.visits, assigned, c.organisation, {h.id: h.building for h in c.households}, BAIBUTING.vocabulary
        ).met
        r = build_roster(
            assigned,
            year=2026,
            month=12,
            households=c.households,
            organisation=c.organisation,
            met=met,
            words=ZH,
            levels=BAIBUTING.vocabulary.ids("levels"),
            community="百步亭社区",
        )
        marked = {line.key: line.met for g in r.groups for line in g.lines}
        assert marked["H1/hardship.monthly/2026-01-01/2026-12"] == "V1"
        assert marked["H1/hardship.quarterly/2026-01-01/2026-Q4"] == ""

    def test_english_layout(self) -> None:
        """Headings, title and actions in English."""
        r = roster(language="en")
        assert r.title == "百步亭社区 visit roster, December 2026"
        assert b"<th>Due</th>" in to_html(r)


class TestHostileInput:
    def test_html_escapes_everything_and_loads_nothing_from_outside(self) -> None:
        """No live tag, no external asset; the rare characters survive."""
        text = to_html(roster()).decode()
        assert "<script" not in text.lower().replace("&lt;script", "")
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;堃喆珺昇" in text
        assert not re.search(r"""(src|href)\s*=""", text)
        assert "@import" not in text and "<link" not in text

    def test_csv_has_a_bom_and_neutralised_formulas(self) -> None:
        """Excel and WPS read UTF-8; =HYPERLINK does not run."""
        data = to_csv(roster())
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        addresses = [row[5] for row in rows[1:]]
        assert all(not a.startswith(("=", "+", "-", "@")) for a in addresses)
        assert any(a.startswith("'=HYPERLINK") for a in addresses)

    def test_xlsx_cells_are_text_and_print_setup_is_set(self, tmp_path: Path) -> None:
        """No formulas, frozen header, A4 landscape, one page wide, header row repeated, page footer."""
        path = tmp_path / "r.xlsx"
        path.write_bytes(to_xlsx(roster()))
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
        assert all(not str(v).startswith(("=", "+", "@")) for v in values)
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        assert any(str(v).startswith("'=HYPERLINK") for v in values)
        assert any("堃喆珺昇" in str(v) for v in values)
        assert sheet.freeze_panes == "A3"
        assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
        # One page wide (fitToWidth defaults to 1 and is then left out), any number of pages tall.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        setup = sheet.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage
        assert sheet.print_title_rows == "$2:$2"
        footer = sheet.oddFooter
        assert footer is not None
        assert "&P" in (footer.center.text or "") and "&N" in (footer.center.text or "")

    def test_ics_events_are_all_day_with_uids_stable_across_updates(self) -> None:
        """Same obligation, same UID, even when the household's name changes."""
        first = icalendar.Calendar.from_ical(to_ics(roster()))
        events = list(first.walk("VEVENT"))
        assert len(events) == roster().lines
        assert all(
            isinstance(e.decoded("dtstart"), dt.date) and not isinstance(e.decoded("dtstart"), dt.datetime)
            for e in events
        )
        assert "VALUE=DATE" in to_ics(roster()).decode()
        renamed = attrs.evolve(
            community(), households=tuple(attrs.evolve(h, name="改名家") for h in community().households)
        )
        second = icalendar.Calendar.from_ical(to_ics(roster(renamed)))
        assert any(HOSTILE_NAME in str(e["summary"]) for e in events)  # escaped by the format, read back intact
        uids = sorted(str(e["uid"]) for e in events)
        assert uids == sorted(str(e["uid"]) for e in second.walk("VEVENT"))
        assert len(set(uids)) == len(uids)


def test_very_long_text_renders_in_every_format() -> None:
    """A 5,000-character name: kept whole in HTML, CSV, XLSX and ICS; cut to fit a printed PDF cell."""
    c = community()
    huge = "堃" * 5000
    c = attrs.evolve(c, households=(attrs.evolve(c.households[0], name=huge), *c.households[1:]))
    r = roster(c)
    assert huge in to_html(r).decode()
    assert huge in to_csv(r).decode("utf-8-sig")
    assert len(to_xlsx(r)) > 0 and len(to_ics(r)) > 0
    assert to_pdf(r).startswith(b"%PDF")


def _characters(r: Roster) -> set[str]:
    """Every visible character of the roster's title, headings and cells."""
    texts = [r.title, *HEADINGS[r.language]]
    texts += [c for g in r.groups for n, line in enumerate(g.lines, 1) for c in cells(n, line)]
    return {unicodedata.normalize("NFKC", ch) for ch in "".join(texts) if not ch.isspace()}


def _png(path: Path, folder: Path) -> Path:
    subprocess.run(
        [tool("pdftoppm"), "-r", "40", "-f", "1", "-l", "1", "-png", str(path), str(folder / "p")], check=True
    )
    [png] = sorted(folder.glob("p*.png"))
    assert png.stat().st_size > 2000
    return png


def _long_roster() -> Roster:
    """Enough lines for several pages in one group."""
    homes = tuple(
        Household(
            id=f"H{n:03d}",
            building="B1",
            name=f"{HOSTILE_NAME}{n}" if n == 0 else f"住户{n}家",
            address=HOSTILE_ADDRESS if n == 0 else f"1栋{n}室",
            circumstances=(circ("unemployed", "2026-01-01"),),
        )
        for n in range(40)
    )
    c = Community(households=homes, organisation=Organisation(units=UNITS, people=people()))
    return roster(c)


def _assert_nothing_cut(pdf: Path) -> None:
    """Dates (a year-crossing window's too) and household ids are printed, and none is cut across lines."""
    laid_out = "".join(page_text(pdf, p) for p in range(1, pdf_pages(pdf) + 1))
    assert re.findall(r"20\d\d-\d\d-\d\d", laid_out)
    assert re.findall(r"20\d\d-\d\d-\d?(?!\d)|20\d\d-\d?(?![\d-])", laid_out) == []
    assert re.findall(r"（H\d+）", laid_out)
    assert re.findall(r"（H\d*(?![\d）])", laid_out) == []


class TestRealRendering:
    def test_pdf_pages_repeat_the_header_and_embed_a_covering_font(self, tmp_path: Path) -> None:
        """A4 landscape, several pages, header on page 2, every font embedded, rare characters printed."""
        path = tmp_path / "r.pdf"
        path.write_bytes(to_pdf(_long_roster()))
        assert pdf_pages(path) >= 2
        assert "应完成日期" in page_text(path, 2) and "签字" in page_text(path, 2)
        assert "第 1 页 共" in page_text(path, 1)
        made = _long_roster()
        assert f"{made.title} · B1（续）" in page_text(path, 2)  # a continuation page says whose it is
        assert "（续）" not in page_text(path, 1)
        _assert_nothing_cut(path)
        fonts = pdf_fonts(path)
        assert fonts and all(row[-5] == "yes" for row in fonts)  # the "emb" column
        assert "堃喆珺昇" in all_text(path)
        real, boxes = glyphs(path)
        assert _characters(_long_roster()) - real == set()  # every character drawn with a real glyph
        assert not {ch for ch in boxes if not ch.isspace()}
        _png(path, tmp_path)

    def test_pdf_refuses_characters_the_font_lacks(self) -> None:
        """𠀋 (U+2000B) is not in WenQuanYi: a clear error, nothing written."""
        c = community()
        odd = attrs.evolve(c, households=(attrs.evolve(c.households[0], name="𠀋家"), *c.households[1:]))
        with pytest.raises(FontError) as caught:
            to_pdf(roster(odd))
        assert "U+2000B" in caught.value.lines()[0] and "--font" in caught.value.lines()[0]

    def test_a_bad_font_path_is_a_clear_error(self, tmp_path: Path) -> None:
        """Not a font: named, exit 1 from the command line."""
        bogus = tmp_path / "not-a-font.ttf"
        bogus.write_text("hello", encoding="utf-8")
        with pytest.raises(FontError, match="cannot use"):
            to_pdf(roster(), bogus)

    def test_html_printed_by_headless_chromium(self, tmp_path: Path) -> None:
        """The real browser: several pages, header repeated, page numbers, fonts embedded."""
        html = tmp_path / "r.html"
        html.write_bytes(to_html(_long_roster()))
        pdf = tmp_path / "r.pdf"
        subprocess.run(
            [
                tool("chromium"),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        assert pdf_pages(pdf) >= 2
        assert "应完成日期" in page_text(pdf, 2)
        assert f"{_long_roster().title} · B1" in page_text(pdf, 2)  # the title and the unit, on every page
        assert "第 1 页 共" in page_text(pdf, 1)
        assert all(row[-5] == "yes" for row in pdf_fonts(pdf))
        text = all_text(pdf)
        assert all(ch in text for ch in "堃喆珺昇")  # narrow columns wrap, so characters one by one
        real, boxes = glyphs(pdf)
        assert undrawn(_characters(_long_roster()), real) == set()  # an undrawable glyph gets no text at all
        assert not {ch for ch in boxes if not ch.isspace()}
        assert "<script" in text and "&lt;" not in text  # shown as text (once escaped, not twice), not run
        _assert_nothing_cut(pdf)
        _png(pdf, tmp_path)


class TestCommand:
    def test_every_format_from_the_command_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Format from the suffix; --redact and --lang en; unknown --unit refused."""
        path = tmp_path / "c.json"
        path.write_text(json.dumps(community_to_dict(community()), ensure_ascii=False), encoding="utf-8")
        for suffix in ("html", "pdf", "xlsx", "csv", "ics"):
            target = tmp_path / f"r.{suffix}"
            assert main(["roster", str(path), "--month", "2026-12", "-o", str(target), "--redact"]) == 0
            assert target.stat().st_size > 500
        capsys.readouterr()
        assert main(["roster", str(path), "--month", "2026-12", "--unit", "B9", "-o", str(tmp_path / "x.csv")]) == 1
        assert capsys.readouterr().err == "--unit: unknown unit 'B9'\n"
        assert not (tmp_path / "x.csv").exists()
        assert (
            main(
                [
                    "roster",
                    str(path),
                    "--month",
                    "2026-12",
                    "--lang",
                    "en",
                    "--format",
                    "html",
                    "-o",
                    str(tmp_path / "en.html"),
                ]
            )
            == 0
        )
        assert "visit roster, December 2026" in (tmp_path / "en.html").read_text(encoding="utf-8")
        redacted = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
        assert "王某" in redacted and "王伟家" not in redacted and "刑释" not in redacted


class TestChineseNotes:
    """A Chinese roster says how a substitute was reached in Chinese, with the rulebook's role titles."""

    ROLES: ClassVar[dict[str, str]] = {"group_leader": "党小组长", "branch_member": "支部委员", "carer": "结对照护人"}

    @pytest.mark.parametrize(
        ("assignment", "note"),
        [
            (Assignment(assignee="P1", choice=Choice.FIRST, role="group_leader", unit="B1", rank=1), ""),
            (
                Assignment(assignee="P2", choice=Choice.NEXT_IN_LINE, role="group_leader", unit="B1", rank=2),
                "依次递补：B1 第2顺位党小组长",
            ),
            (
                Assignment(assignee="P2", choice=Choice.SAME_RANK, role="group_leader", unit="B1", rank=1),
                "同为第1顺位的 B1 党小组长分担",
            ),
            (
                Assignment(assignee="P3", choice=Choice.OTHER_ROLE, role="group_leader", unit="B1", missing="carer"),
                "无结对照护人；由 B1 党小组长代为走访",
            ),
            (
                Assignment(assignee="P4", choice=Choice.OTHER_ROLE, role="carer", unit=None, rank=1),
                "由结对照护人代为走访",
            ),
            (
                Assignment(assignee="P5", choice=Choice.ESCALATED, role="branch_member", unit="Z1", rank=1),
                "逐级递补至 Z1 支部委员",
            ),
            (Assignment(assignee=None, choice=Choice.NO_ORGANISATION), "无组织架构"),
            (Assignment(assignee=None, choice=Choice.NO_BUILDING), "未登记楼栋"),
            (Assignment(assignee=None, choice=Choice.UNKNOWN_BUILDING, building="X9"), "楼栋 X9 不在组织架构中"),
            (Assignment(assignee=None, choice=Choice.NO_HOLDER), "无人担任可承担的角色"),
            (Assignment(assignee=None, choice=Choice.ALL_ABSENT), "可承担者均不在岗"),
        ],
    )
    def test_each_way_of_reaching_someone(self, assignment: Assignment, note: str) -> None:
        assert chinese_note(self.ROLES)(assignment) == note

    def test_every_choice_has_chinese_words(self) -> None:
        note = chinese_note(self.ROLES)
        for choice in Choice:
            text = note(Assignment(assignee="P1", choice=choice, role="group_leader", unit="B1", rank=1, building="X"))
            assert (text == "") == (choice is Choice.FIRST)
            assert not re.search(r"[a-z]{3}", text), text  # no English word, no role id

    def test_the_zh_roster_speaks_chinese_and_the_en_roster_keeps_the_contracts_note(self) -> None:
        words = {lang: roster_words(lang, BAIBUTING.vocabulary) for lang in ("zh", "en")}
        escalated = Assignment(assignee="P5", choice=Choice.ESCALATED, role="branch_member", unit="Z1", rank=1)
        assert words["zh"].assignment_note(escalated) == "逐级递补至 Z1 支部委员"
        assert words["en"].assignment_note(escalated) == "escalated to branch_member at Z1"


class TestLineDetails:
    """What a line shows when its household's building is unknown, or its record comes after the day marked."""

    def community(self) -> Community:
        hardship = (circ("hardship", "2026-01-01"),)
        return Community(
            households=(
                Household(id="H1", building="X9", circumstances=hardship),
                Household(id="H2", building="B1", circumstances=hardship),
            ),
            organisation=Organisation(units=UNITS, people=(person("G1", "group_leader", "B1"),)),
            visits=(Visit(id="R1", household="H2", person="G1", date=d("2026-12-20"), action="visit"),),
        )

    def lines(self, **options: Any) -> dict[str, RosterLine]:
        made = monthly_roster(BAIBUTING, self.community(), 2026, 12, **options)
        return {f"{line.household}:{line.rule}": line for g in made.groups for line in g.lines}

    def test_an_unknown_building_redacts_to_no_address_and_nobody(self) -> None:
        line = next(v for k, v in self.lines(redact=True).items() if k.startswith("H1:"))
        assert (line.address, line.assignee, line.assignee_name) == ("", None, "")
        assert line.note == "无人可接"

    def test_a_record_counts_from_its_own_date(self) -> None:
        assert self.lines(as_of=d("2026-12-19"))["H2:hardship.monthly"].met == ""
        assert self.lines(as_of=d("2026-12-20"))["H2:hardship.monthly"].met == "R1"


class TestCountsByRole:
    """Printed rosters count lines by role (按身份：党小组长 15 项) as well as by rule; a redacted one does not."""

    def test_html_and_pdf_show_the_role_counts_of_each_group(self, tmp_path: Path) -> None:
        made = roster()
        group = made.groups[-1]
        expected = role_summary(made, group.by_role)
        assert expected.startswith("按身份：") and " 项" in expected
        assert expected in to_html(made).decode("utf-8")
        assert role_summary(made, made.by_role) in to_html(made).decode("utf-8")
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(to_pdf(made))
        text = all_text(pdf)
        summaries = [made.by_role, *(g.by_role for g in made.groups)]
        assert text.count("按身份：") == len(summaries)
        assert all(role_summary(made, counts).replace(" ", "") in text for counts in summaries)
        by_rule = "，".join(f"{k}{v}" for k, v in made.by_rule)  # the whole roster's counts, in Chinese commas
        assert len(made.by_rule) > 1 and by_rule in text

    def test_a_redacted_roster_has_no_role_counts(self) -> None:
        made = roster(redact=True)
        assert made.by_role == () and "按身份" not in to_html(made).decode("utf-8")

    def test_english_words(self) -> None:
        made = roster(language="en")
        assert role_summary(made, made.by_role).startswith("By role: ")


class TestForPosting:
    """A roster an office can post and sign: a sign-off line under each group, the unit's name in its title."""

    def test_each_group_ends_with_a_sign_off_line_in_html_and_pdf(self, tmp_path: Path) -> None:
        made = roster()
        assert made.sign_off.startswith("负责人：") and "审核：" in made.sign_off and "日期：" in made.sign_off
        assert to_html(made).decode("utf-8").count(made.sign_off) == len(made.groups)
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(to_pdf(made))
        assert all_text(pdf).replace(" ", "").count("审核：") == len(made.groups)

    def test_a_continuation_page_names_its_own_group_and_a_first_page_none(self, tmp_path: Path) -> None:
        """Two buildings of several pages each: every page after a group's first says whose it is, in its words."""
        homes = tuple(
            Household(
                id=f"H{n:03d}",
                building="B1" if n < 30 else "B2",
                address=f"{n}室",
                circumstances=(circ("unemployed", "2026-01-01"),),
            )
            for n in range(60)
        )
        both = Community(households=homes, organisation=Organisation(units=UNITS, people=people()))
        for language, mark in (("zh", "（续）"), ("en", " (continued)")):
            made = roster(both, language=language)
            assert [g.title for g in made.groups] == ["B1", "B2"]
            path = tmp_path / f"{language}.pdf"
            path.write_bytes(to_pdf(made))
            heads = []
            for page in range(1, pdf_pages(path) + 1):
                text = page_text(path, page)
                starts = [g.title for g in made.groups if f"{g.title}（{len(g.lines)}）" in text]
                continues = [g.title for g in made.groups if f"{made.title} · {g.title}{mark}" in text]
                assert len(starts + continues) == 1, (page, starts, continues)
                if starts and page > 1:  # a group begins a page of its own: its heading comes first
                    assert text.split()[0] == f"{starts[0]}（{len(made.groups[1].lines)}）"
                heads.append(("starts", *starts) if starts else ("continues", *continues))
            assert heads[0] == ("starts", "B1") and ("starts", "B2") in heads
            b2 = heads.index(("starts", "B2"))
            assert b2 >= 2 and set(heads[1:b2]) == {("continues", "B1")}
            assert len(heads) > b2 + 1 and set(heads[b2 + 1 :]) == {("continues", "B2")}

    def test_no_page_holds_a_sign_off_line_alone(self, tmp_path: Path) -> None:
        """Groups of 5 to 28 households: wherever a table ends, its sign-off line has lines above it on its page.

        Before the sign-off was kept with the last lines, the 28-household
        building's table filled its last page exactly and the line went alone.
        """
        units = (*UNITS, *(Unit(id=f"B{k}", level="building", parent="Z1") for k in range(3, 25)))
        homes = tuple(
            Household(
                id=f"H{k:02d}{n:02d}",
                building=f"B{k}",
                address=f"{k}栋{n}室",
                circumstances=(circ("hardship", "2026-01-01"),),
            )
            for k in range(1, 25)
            for n in range(k + 4)
        )
        made = roster(Community(households=homes, organisation=Organisation(units=units, people=people())))
        path = tmp_path / "r.pdf"
        path.write_bytes(to_pdf(made))
        pages = subprocess.run(
            [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")[:-1]
        signed = [(page, len(re.findall(r"^\s*\d+\s+20\d\d-", page, re.M))) for page in pages if "审核" in page]
        assert len(signed) == len(made.groups) == 24 and len(pages) > 48  # groups run over pages
        assert all(rows >= 2 or ("（续）" not in page and rows >= 1) for page, rows in signed)

    def test_the_english_roster_signs_in_english(self) -> None:
        assert roster(language="en").sign_off.startswith("Responsible: ")

    def test_a_units_roster_names_the_unit_in_its_title(self) -> None:
        assert roster().title == "百步亭社区 2026年12月 走访安排表"
        assert roster(unit="E1").title == "百步亭社区 E1 2026年12月 走访安排表"  # a unit without a name: its id
        from visits.testing import demo

        named = demo.generate(200, seed=1)
        assert named.organisation is not None
        estate = next(u for u in named.organisation.units if u.level == "estate")
        made = monthly_roster(BAIBUTING, named, 2026, 12, unit=estate.id)
        assert made.title == f"百步亭社区 {estate.name} 2026年12月 走访安排表"


class TestPhone:
    """A visitor's phone number on the roster, beside the name; never on a redacted one."""

    def community(self) -> Community:
        c = community()
        assert c.organisation is not None
        people = tuple(attrs.evolve(p, phone="13800000000") for p in c.organisation.people)
        return attrs.evolve(c, organisation=attrs.evolve(c.organisation, people=people))

    def test_the_assignee_cell_has_the_phone(self) -> None:
        made = roster(self.community())
        lines = [line for g in made.groups for line in g.lines if line.assignee]
        assert lines and all(line.assignee_phone == "13800000000" for line in lines)
        assert all(cells(1, line)[6].endswith(" 13800000000") for line in lines)
        assert "13800000000" in to_html(made).decode("utf-8")

    def test_a_redacted_roster_has_no_phone(self) -> None:
        made = roster(self.community(), redact=True)
        assert all(line.assignee_phone == "" for g in made.groups for line in g.lines)
        assert "13800000000" not in to_html(made).decode("utf-8")
        sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(made))).active
        assert sheet is not None
        assert not any("13800000000" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        shown = openpyxl.load_workbook(io.BytesIO(to_xlsx(roster(self.community())))).active
        assert shown is not None
        assert any("13800000000" in str(c.value) for row in shown.iter_rows() for c in row if c.value)

    def test_a_phone_with_a_line_break_is_refused(self) -> None:
        from visits.core.errors import FieldProblems
        from visits.core.organisation import Person

        with pytest.raises(FieldProblems, match="phone"):
            Person(id="P1", phone="138\n0000")

    def test_the_phone_rides_through_a_workbook(self) -> None:
        from visits.io.workbook_reader import read_workbook
        from visits.io.workbook_writer import workbook

        c = self.community()
        assert read_workbook(workbook(BAIBUTING.vocabulary, rulebook="b", community=c), BAIBUTING.vocabulary) == c
