"""`visits plan` of a lines file reads it a part at a time and writes what the whole file gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import visits
from visits.cli import main
from visits.io import streaming
from visits.io.lines import community_to_lines
from visits.testing import demo


def lines_file(tmp_path: Path, households: int = 150, seed: int = 6) -> tuple[Path, Path]:
    community = demo.generate(households, seed=seed, with_visits=True)
    whole, lines = tmp_path / "city.json", tmp_path / "city.jsonl"
    visits.save_community(community, whole)
    lines.write_text("\n".join(community_to_lines(community)) + "\n", encoding="utf-8")
    return whole, lines


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 7 households, so that a small file is read in many parts; and never read whole."""

    def whole(*_: object) -> None:
        raise AssertionError("a lines file given to visits plan was read whole")

    monkeypatch.setattr("visits.io.files.community_from_lines", whole)
    monkeypatch.setattr(streaming, "PART", 7)


@pytest.mark.usefixtures("small_parts")
class TestStreamedPlan:
    @pytest.mark.parametrize("form", ["csv", "json", "jsonl", "parquet"])
    @pytest.mark.parametrize("rules", ["baibuting", "baibuting-organisation"])
    def test_the_output_is_the_whole_files_byte_for_byte(self, tmp_path: Path, form: str, rules: str) -> None:
        whole, lines = lines_file(tmp_path)
        args = ["--from", "2026-01-01", "--to", "2026-12-31", "--format", form, "--rules", rules]
        assert main(["plan", str(whole), *args, "-o", str(tmp_path / "a")]) == 0
        assert main(["plan", str(lines), *args, "-o", str(tmp_path / "b")]) == 0
        assert (tmp_path / "b").read_bytes() == (tmp_path / "a").read_bytes()
        assert (tmp_path / "a").stat().st_size > 10_000

    def test_standard_output_too(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        whole, lines = lines_file(tmp_path, 40)
        assert main(["plan", str(whole), "--from", "2026-12-01", "--to", "2026-12-31"]) == 0
        expected = capsys.readouterr().out
        assert main(["plan", str(lines), "--from", "2026-12-01", "--to", "2026-12-31"]) == 0
        assert capsys.readouterr().out == expected and json.loads(expected)

    def test_a_problem_on_the_last_line_leaves_no_output_and_every_problem_is_said(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 60)
        texts = lines.read_text(encoding="utf-8").splitlines()
        first = json.loads(texts[3])
        first["circumstances"] = [{"category": "hardship", "start": "2026-04-01", "end": "2026-03-01"}]
        texts[3] = json.dumps(first)
        last = json.loads(texts[-1])
        last.setdefault("events", []).append({"id": "E-twice", "kind": "alarm", "date": "2026-05-01"})
        middle = json.loads(texts[30])
        middle.setdefault("events", []).append({"id": "E-twice", "kind": "alarm", "date": "2026-05-02"})
        texts[30], texts[-1] = json.dumps(middle), json.dumps(last)
        lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
        out = tmp_path / "plan.csv"
        code = main(
            ["plan", str(lines), "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", "-o", str(out)]
        )
        err = capsys.readouterr().err
        assert code != 0 and not out.exists() and sorted(tmp_path.iterdir()) == [tmp_path / "city.json", lines]
        assert f"line 4 ({first['id']}).circumstances[0].end: before start (2026-03-01 < 2026-04-01)" in err
        j = len(last["events"]) - 1
        k = len(middle["events"]) - 1
        assert (
            f"line {len(texts)} ({last['id']}).events[{j}].id: duplicate id 'E-twice' "
            f"(also line 31 ({middle['id']}).events[{k}])" in err
        )

    def test_ids_out_of_order_across_parts_are_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 30)
        texts = lines.read_text(encoding="utf-8").splitlines()
        texts[5], texts[20] = texts[20], texts[5]
        lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
        assert main(["plan", str(lines), "--from", "2026-01-01", "--to", "2026-12-31"]) != 0
        captured = capsys.readouterr()
        assert captured.out == "" and "ids must strictly increase" in captured.err

    def test_a_link_to_a_household_no_line_holds_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 30)
        texts = lines.read_text(encoding="utf-8").splitlines()
        head = json.loads(texts[0])
        person = head["people"][0]
        person["households"] = [*person.get("households", []), "H99999"]
        texts[0] = json.dumps(head)
        lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
        assert main(["plan", str(lines), "--from", "2026-01-01", "--to", "2026-12-31"]) != 0
        err = capsys.readouterr().err
        assert f"line 1.people[0] ({person['id']}).households[{len(person['households']) - 1}]" in err
        assert "unknown household 'H99999'" in err


def test_a_file_is_read_in_parts_of_the_size_asked(tmp_path: Path) -> None:
    _, lines = lines_file(tmp_path, 50)
    head, parts = streaming.stream_community(lines, size=7)
    sizes = [len(p.households) for p in parts]
    assert sizes == [7] * 7 + [1]
    assert head.households == () and head.organisation is not None
    whole = visits.load_community(lines)
    assert [h for p in streaming.stream_community(lines, size=7)[1] for h in p.households] == list(whole.households)


@pytest.mark.usefixtures("small_parts")
class TestStreamedProblems:
    def plan(self, path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
        assert main(["plan", str(path), "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(path) + ".csv"]) != 0
        captured = capsys.readouterr()
        assert captured.out == "" and not Path(str(path) + ".csv").exists()
        return [line.removeprefix(f"{path}: ") for line in captured.err.splitlines()]

    def test_a_head_that_is_not_json_or_names_unknown_words(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 20)
        texts = lines.read_text(encoding="utf-8").splitlines()
        lines.write_text('{"format": "visits-lines/1", "units": [}\n' + "\n".join(texts[1:]) + "\n", encoding="utf-8")
        assert self.plan(lines, capsys) == ["line 1: not valid JSON: Expecting value (column 40)"]
        head = json.loads(texts[0])
        head["units"][0]["level"] = "street"
        lines.write_text("\n".join([json.dumps(head), *texts[1:]]) + "\n", encoding="utf-8")
        found = self.plan(lines, capsys)
        assert any(line.startswith("line 1.units[0]") and "unknown level 'street'" in line for line in found)

    def test_bad_json_an_unknown_word_and_bytes_that_are_not_utf8_on_household_lines(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 40)
        texts = lines.read_text(encoding="utf-8").splitlines()
        home = json.loads(texts[12])
        home["circumstances"] = [{"category": "hardshp", "start": "2026-01-01"}]
        texts[12] = json.dumps(home)
        texts[5] = texts[5][:-1]
        lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
        found = self.plan(lines, capsys)
        assert found[0].startswith("line 6: not valid JSON: Expecting ',' delimiter")
        assert any(
            line.startswith(f"line 13 ({home['id']}).circumstances[0].category: unknown category") for line in found
        )
        lines.write_bytes(lines.read_bytes().replace(b"\n", b"\n\xff", 30).replace(b"\n\xff", b"\n", 29))
        found = self.plan(lines, capsys)
        assert "line 31: not UTF-8 text (byte 0)" in found

    def test_parts_each_in_order_but_out_of_order_with_each_other(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 28)
        texts = lines.read_text(encoding="utf-8").splitlines()
        head, homes = texts[0], texts[1:]
        swapped = [*homes[7:14], *homes[:7], *homes[14:]]  # the first two parts of 7 change places
        lines.write_text("\n".join([head, *swapped]) + "\n", encoding="utf-8")
        found = self.plan(lines, capsys)
        before = json.loads(homes[13])["id"]
        assert found == [
            f"line 9 ({json.loads(homes[0])['id']}): after {before!r} (line 8): ids must strictly increase"
        ]

    def test_a_record_id_repeated_in_another_part_and_within_one(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, lines = lines_file(tmp_path, 28)
        texts = lines.read_text(encoding="utf-8").splitlines()
        record = {"id": "V-twice", "person": "P00001", "date": "2026-05-01", "action": "visit"}
        for n in (2, 3, 20):
            home = json.loads(texts[n])
            home["visits"] = [*home.get("visits", []), record]
            texts[n] = json.dumps(home)
        lines.write_text("\n".join(texts) + "\n", encoding="utf-8")
        found = [line for line in self.plan(lines, capsys) if "V-twice" in line]
        ids = [json.loads(texts[n])["id"] for n in (2, 3, 20)]
        j = [len(json.loads(texts[n])["visits"]) - 1 for n in (2, 3, 20)]
        assert found == [
            f"line 4 ({ids[1]}).visits[{j[1]}].id: duplicate id 'V-twice' (also line 3 ({ids[0]}).visits[{j[0]}])",
            f"line 21 ({ids[2]}).visits[{j[2]}].id: duplicate id 'V-twice' (also line 3 ({ids[0]}).visits[{j[0]}])",
        ]
