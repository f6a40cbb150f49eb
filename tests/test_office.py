"""``upcoming`` and ``register``: many schools' dates and holdings, through the entry point."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from iqm_rules import cli
from iqm_rules.interchange import dump_history
from iqm_rules.interchange.examples import examples
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import AwardState, replay
from strategies import example

AS_OF = date(2025, 9, 1)


def scheme_file(tmp_path: Path, bad: bool = False) -> Path:
    """Every bundled example, one a line; with ``bad``, a broken third line."""
    lines = [dump_history(example(name)) for name in examples()]
    if bad:
        broken = {"format": "iqm-rules/history@1", "school": {"id": "X", "name": "Y"}, "evnts": []}
        lines.insert(2, json.dumps(broken))
    path = tmp_path / "scheme.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected_dates(as_of: date, within: int) -> list[tuple[str, str, date]]:
    """(school id, award, date) of every window, due date and lapse in the horizon."""
    until = as_of + timedelta(days=within)
    found = []
    for name in examples():
        history = example(name)
        for step in next_steps(replay(history), as_of):
            for day in (step.window_opens, step.due, step.lapses_on):
                if as_of <= day <= until:
                    found.append((history.school.id, step.award.value, day))
    return sorted(found, key=lambda item: (item[2], item[0]))


@pytest.mark.parametrize("within", [0, 30, 365, 2000])
def test_upcoming_json_lists_every_date_in_the_horizon_sorted(
    tmp_path: Path, within: int, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["upcoming", str(scheme_file(tmp_path)), "--as-of", "2025-09-01"]
    assert cli.main([*argv, "--within", str(within), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    got = [(r["school_id"], r["award"], date.fromisoformat(r["on"])) for r in rows]
    assert sorted(got, key=lambda item: (item[2], item[0])) == expected_dates(AS_OF, within)
    assert [r["on"] for r in rows] == sorted(r["on"] for r in rows)
    assert all(r["days_left"] == (date.fromisoformat(r["on"]) - AS_OF).days for r in rows)


def test_upcoming_text_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    source = str(scheme_file(tmp_path))
    argv = ["upcoming", source, "--as-of", "2025-09-01", "--within", "400"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert text.startswith("Upcoming from 1 September 2025 to 6 October 2026 (400 days): ")
    assert "URN-131245 (Hollybrook Primary School)" in text
    assert "Inclusive School Award" in text
    assert cli.main([*argv, "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == len(expected_dates(AS_OF, 400))
    assert {row["what"] for row in table} <= {
        "window_opens",
        "reassessment_due",
        "annual_review_due",
        "lapses",
    }


def test_register_one_row_per_school_and_award_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    source = str(scheme_file(tmp_path))
    assert cli.main(["register", source, "--as-of", "2025-09-01", "--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = [
        (history.school.id, held.award.value, held.state.value)
        for history in (example(name) for name in examples())
        for held in replay(history).status(AS_OF).awards
        if held.state.is_held
    ]
    assert [(r["school_id"], r["award"], r["state"]) for r in table] == expected
    assert cli.main(["register", source, "--as-of", "2025-09-01", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["school_id"], r["award"], r["state"]) for r in rows] == expected
    assert cli.main(["register", source, "--as-of", "2025-09-01"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Register on 1 September 2025: ")
    assert "Flagship School" in text
    states = {held[2] for held in expected}
    for state in AwardState:
        assert (state.title in text) == (state.value in states)


def test_a_bad_line_is_reported_with_its_file_and_line_and_the_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = scheme_file(tmp_path, bad=True)
    assert cli.main(["register", str(source), "--as-of", "2025-09-01", "--json"]) == 1
    printed = capsys.readouterr()
    assert f"{source}:3: " in printed.err
    assert "evnts" in printed.err
    assert "1 of 7 documents failed" in printed.err
    assert len({json.loads(line)["school_id"] for line in printed.out.splitlines()}) == 5


def test_a_directory_or_one_document_with_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in examples():
        (tmp_path / f"{name}.json").write_text(dump_history(example(name)), encoding="utf-8")
    argv = ["--as-of", "2025-09-01", "--within", "3000", "--json"]
    assert cli.main(["upcoming", str(tmp_path), *argv, "--jobs", "2"]) == 0
    many = capsys.readouterr().out
    assert cli.main(["upcoming", str(scheme_file(tmp_path)), *argv]) == 0
    assert capsys.readouterr().out == many
    assert cli.main(["upcoming", str(tmp_path / "first-award.json"), *argv]) == 0
    one = capsys.readouterr().out.splitlines()
    assert one == [line for line in many.splitlines() if '"URN-131245"' in line]


def test_nothing_ahead_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(scheme_file(tmp_path))
    out = tmp_path / "out.txt"
    assert cli.main(["upcoming", source, "--as-of", "2040-01-01", "-o", str(out)]) == 0
    assert out.read_text().endswith("  nothing falls due, opens or lapses\n")
    assert cli.main(["register", source, "--as-of", "2040-01-01"]) == 0
    assert capsys.readouterr().out.endswith("  no award is held\n")


def test_a_missing_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["register", str(tmp_path / "none.jsonl")]) == 2
    assert f"cannot read {tmp_path / 'none.jsonl'}" in capsys.readouterr().err
    assert cli.main(["upcoming", str(tmp_path), "--within", "-3"]) == 2
    assert "--within" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["upcoming", "register"])
@pytest.mark.parametrize("width", [40, 80, 120])
def test_tables_fit_the_columns_of_the_terminal(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    width: int,
) -> None:
    """A table never overflows ``COLUMNS``: a cell too long for its column wraps within it."""
    monkeypatch.setenv("COLUMNS", str(width))
    source = str(scheme_file(tmp_path))
    assert (
        cli.main(
            [command, source, "--as-of", "2025-09-01", "--within", "400"][
                : 4 + 2 * (command == "upcoming")
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= width
