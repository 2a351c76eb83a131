"""Partitions on Dask give the single process's plan and report; the lines layout they read.

The cluster is a real ``distributed.LocalCluster`` of two worker processes,
so that everything a task needs really travels by pickle.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from hypothesis import given, settings

import visits
import visits.dask as vd
from tests.helpers import horizon
from visits import Community, Rulebook, load_rulebook
from visits.core.errors import CommunityError
from visits.io import parquet
from visits.io.lines import FORMAT, community_to_lines, head_from_dict, household_lines, part_from_lines
from visits.testing import demo
from visits.testing import strategies as vst

BAIBUTING = load_rulebook("baibuting")
DUTIES = load_rulebook("baibuting-organisation")  # with units' duties
YEAR = horizon("2026-01-01", "2026-12-31")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with cluster, Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Community, Path]:
    community = demo.generate(400, seed=5, with_visits=True)
    path = tmp_path_factory.mktemp("city") / "city.jsonl"
    path.write_text("\n".join(community_to_lines(community)) + "\n", encoding="utf-8")
    return community, path


def single_process_rows(rulebook: Rulebook, community: Community) -> list[dict[str, object]]:
    sink = io.BytesIO()
    parquet.plan_to_parquet(visits.assigned_plan(rulebook, community, YEAR), sink, units=rulebook.has_duties())
    rows: list[dict[str, object]] = pq.read_table(io.BytesIO(sink.getvalue())).to_pylist()
    return rows


class TestOnALocalCluster:
    @pytest.mark.parametrize("rulebook", [BAIBUTING, DUTIES], ids=["baibuting", "with-duties"])
    def test_the_partitions_files_in_order_are_the_single_process_plan(
        self, client: Client, city: tuple[Community, Path], tmp_path: Path, rulebook: Rulebook
    ) -> None:
        community, path = city
        head, households = vd.read_lines(path, vocabulary=rulebook.vocabulary, blocksize=16_000)
        assert households.npartitions >= 4  # several partitions, so the two workers share them
        written = vd.plan_to_parquet(rulebook, head, households, YEAR, tmp_path / "plan")
        assert [Path(p).name for p, _ in written][:2] == ["part-00000.parquet", "part-00001.parquet"]
        rows = [row for p, _ in written for row in pq.read_table(p).to_pylist()]
        expected = single_process_rows(rulebook, community)
        assert sum(n for _, n in written) == len(expected) > 1000
        assert rows == expected
        duties = pq.read_table(written[0][0]).to_pylist()
        assert bool(duties) == rulebook.has_duties()  # the duties' own file, and only theirs
        assert all(row["unit"] for row in duties)

    @pytest.mark.parametrize("by", ["unit", "person", "rule"])
    def test_the_added_up_report_is_the_single_process_report(
        self, client: Client, city: tuple[Community, Path], by: str
    ) -> None:
        community, path = city
        head, households = vd.read_lines(path, vocabulary=DUTIES.vocabulary, blocksize=16_000)
        as_of = dt.date(2026, 10, 31)
        found = vd.status_report(DUTIES, head, households, YEAR, as_of, by)  # type: ignore[arg-type]
        expected = visits.status_report(DUTIES, community, YEAR, as_of, by)  # type: ignore[arg-type]
        assert found.overall.total > 1000 and found.overall.met > 0 and found.missed
        assert found == expected

    def test_a_bad_line_fails_the_whole_run_at_its_place(self, client: Client, tmp_path: Path) -> None:
        community = demo.generate(30, seed=2)
        texts = list(community_to_lines(community))
        bad = json.loads(texts[3])
        bad["circumstances"] = [{"category": "hardship", "start": "2026-04-01", "end": "2026-03-01"}]
        texts[3] = json.dumps(bad)
        path = tmp_path / "bad.jsonl"
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
        head, households = vd.read_lines(path, blocksize=10**9)
        with pytest.raises(CommunityError) as caught:
            vd.plan_to_parquet(BAIBUTING, head, households, YEAR, tmp_path / "plan")
        assert caught.value.lines() == [
            f"partition 1, line 4 ({bad['id']}).circumstances[0].end: before start (2026-03-01 < 2026-04-01)"
        ]
        assert not list((tmp_path / "plan").glob("part-00001*"))


class TestMergedReports:
    def test_a_report_alone_is_itself(self) -> None:
        community = demo.generate(60, seed=1, with_visits=True)
        report = visits.status_report(BAIBUTING, community, YEAR, dt.date(2026, 12, 31), "unit")
        assert vd.merged_reports([report]) == report

    def test_reports_of_other_days_or_groupings_do_not_merge(self) -> None:
        community = demo.generate(20, seed=1)
        one = visits.status_report(BAIBUTING, community, YEAR, dt.date(2026, 6, 30), "unit")
        other = visits.status_report(BAIBUTING, community, YEAR, dt.date(2026, 7, 31), "unit")
        with pytest.raises(ValueError, match="share their day and grouping"):
            vd.merged_reports([one, other])
        with pytest.raises(ValueError, match="at least one report"):
            vd.merged_reports([])


# ------------------------------------------------------------------ the lines layout


def read_back(texts: list[str], rulebook: Rulebook = BAIBUTING) -> Community:
    head = head_from_dict(json.loads(texts[0]), rulebook.vocabulary)
    return part_from_lines(list(household_lines(texts[1:])), head, rulebook.vocabulary)


class TestLines:
    @settings(max_examples=60)
    @given(vst.organised_communities(max_households=6))
    def test_a_community_comes_back_from_its_lines(self, community: Community) -> None:
        texts = list(community_to_lines(community))
        back = read_back(texts)
        assert back.households == tuple(sorted(community.households, key=lambda h: h.id))
        assert sorted(back.events, key=lambda e: e.id) == sorted(community.events, key=lambda e: e.id)
        assert sorted(back.visits, key=lambda v: v.id) == sorted(
            (v for v in community.visits if v.household is not None), key=lambda v: v.id
        )
        head = head_from_dict(json.loads(texts[0]))
        assert head.organisation == community.organisation
        assert {v.id for v in head.visits} == {v.id for v in community.visits if v.unit is not None}

    def test_problems_are_reported_at_their_line_all_at_once(self) -> None:
        texts = [
            json.dumps({"format": FORMAT}),
            json.dumps({"id": "H2", "circumstances": [{"category": "hardship", "start": "2026-02-30"}]}),
            json.dumps({"id": "H1", "events": [{"id": "E1", "kind": "emergencyy", "date": "2026-01-01"}]}),
            "[1, 2]",
        ]
        with pytest.raises(CommunityError) as caught:
            read_back(texts)
        assert caught.value.lines() == [
            "line 3 (H1): after 'H2': ids must strictly increase",
            "line 4: must be a JSON object (one household)",
            "line 2 (H2).circumstances[0].start: not a real date: '2026-02-30'",
            "line 3 (H1).events[0].kind: unknown event kind 'emergencyy'"
            " (this rulebook has: emergency, grievance, family_dispute, alarm)",
        ]

    def test_a_head_without_the_format_or_with_households_is_refused(self) -> None:
        with pytest.raises(CommunityError) as caught:
            head_from_dict({"households": []})
        assert caught.value.lines() == [
            "line 1.format: must be 'visits-lines/1', got None",
            "line 1.households: belongs on the households' own lines",
        ]

    def test_a_key_named_twice_on_a_line_is_refused_there(self) -> None:
        with pytest.raises(CommunityError) as caught:
            list(household_lines(['{"id": "H1", "id": "H2"}']))
        assert caught.value.lines() == ["line 2.id: duplicate key (a JSON object may name each key once)"]

    def test_a_line_that_is_not_json_says_where(self) -> None:
        with pytest.raises(CommunityError, match=r"line 3: not valid JSON: Expecting value \(column 8\)"):
            list(household_lines(['{"id": "H1"}', '{"id": ']))


class TestLinesAsAWholeFile:
    @settings(max_examples=40)
    @given(community=vst.organised_communities(max_households=5))
    def test_load_community_reads_the_lines_layout_whatever_its_name(
        self, community: Community, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        path = tmp_path_factory.mktemp("lines") / "community.json"  # the content decides, not the suffix
        path.write_text("\n".join(community_to_lines(community)) + "\n", encoding="utf-8")
        back = visits.load_community(path, BAIBUTING.vocabulary)
        assert back.households == tuple(sorted(community.households, key=lambda h: h.id))
        assert back.organisation == community.organisation
        assert sorted(back.visits, key=lambda v: v.id) == sorted(community.visits, key=lambda v: v.id)
        assert sorted(back.events, key=lambda e: e.id) == sorted(community.events, key=lambda e: e.id)

    def test_convert_to_lines_and_back_gives_the_same_file(self, tmp_path: Path) -> None:
        from visits.cli import main

        source = tmp_path / "demo.json"
        visits.save_community(demo.generate(120, seed=4, with_visits=True), source)
        assert main(["convert", str(source), "-o", str(tmp_path / "demo.jsonl")]) == 0
        assert main(["convert", str(tmp_path / "demo.jsonl"), "-o", str(tmp_path / "again.json")]) == 0
        assert (tmp_path / "again.json").read_bytes() == source.read_bytes()

    def test_every_problem_of_a_lines_file_is_reported_at_its_line(self, tmp_path: Path) -> None:
        community = demo.generate(20, seed=3)
        texts = list(community_to_lines(community))
        person = community.organisation.people[0] if community.organisation else None
        assert person is not None
        head = json.loads(texts[0])
        head["people"][0]["households"] = ["H99999"]
        texts[0] = json.dumps(head)
        third = json.loads(texts[2])
        third["circumstances"] = [{"category": "x", "start": "2026-01-01"}]
        texts[2] = json.dumps(third)
        path = tmp_path / "city.jsonl"
        path.write_text("\n".join(texts), encoding="utf-8")
        with pytest.raises(CommunityError) as caught:
            visits.load_community(path, BAIBUTING.vocabulary)
        lines = caught.value.lines()
        assert any(line.startswith(f"{path}: line 3 (") and "unknown category 'x'" in line for line in lines)
        assert f"{path}: line 1.people[0] ({person.id}).households[0]: unknown household 'H99999'" in lines
        texts[4] = texts[4][:-1]  # a line not read: its household may be the one linked, so links wait
        path.write_text("\n".join(texts), encoding="utf-8")
        with pytest.raises(CommunityError) as caught:
            visits.load_community(path, BAIBUTING.vocabulary)
        lines = caught.value.lines()
        assert any(line.startswith(f"{path}: line 5: not valid JSON") for line in lines)
        assert any("unknown category 'x'" in line for line in lines)
        assert not any("unknown household" in line for line in lines)

    def test_a_head_that_is_not_json_is_said_at_line_1(self, tmp_path: Path) -> None:
        path = tmp_path / "city.jsonl"
        path.write_text('{"format": "visits-lines/1", "units": [}\n{"id": "H1"}\n', encoding="utf-8")
        with pytest.raises(CommunityError) as caught:
            visits.load_community(path)
        assert caught.value.lines() == [f"{path}: line 1: not valid JSON: Expecting value (column 40)"]
