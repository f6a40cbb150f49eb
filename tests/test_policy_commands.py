"""The policy, test and what-if commands, end to end through ``iqm-rules``."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from iqm_rules.cli import main
from iqm_rules.interchange import dump_history, load_history
from iqm_rules.interchange.examples import example_text

CASES = Path(__file__).parent.parent / "cases"
BOOK = '[[policies]]\nid = "a"\neffective_from = 2020-01-01\ngrace_months = 4\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_test_runs_the_shipped_cases_with_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "test", str(CASES), "--coverage")
    assert code == 0
    assert "never: -" in out
    assert out.splitlines()[-1].endswith(" passed, 0 failed")


def test_test_names_a_wrong_expectation(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = tmp_path / "c.toml"
    case.write_text(
        '[[cases]]\nhistory = { example = "first-award" }\n'
        '[[cases.expect.status]]\non = 2024-01-01\nlevel = "flagship"\n'
    )
    code, out = run(capsys, "test", str(case))
    assert code == 1
    assert f"{case}: cases[0].expect.status[0].level: expected flagship" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_policy_show_diff_and_lint(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book = tmp_path / "book.toml"
    book.write_text(BOOK)
    code, out = run(capsys, "policy", "show", str(book), "--on", "2021-01-01")
    assert code == 0
    assert "grace_months" in out
    assert "(set here)" in out
    default = tmp_path / "default.toml"
    assert run(capsys, "policy", "show", "--default")[0] == 0
    default.write_text(capsys.readouterr().out or "")
    default.write_text(
        resources.files("iqm_rules.interchange").joinpath("policies", "default.toml").read_text()
    )
    assert run(capsys, "policy", "diff", str(book), str(default)) == (0, "grace_months: 4 -> 3\n")
    assert run(capsys, "policy", "lint", str(default)) == (0, "")
    book.write_text(BOOK + "renewal_window_months = 40\n")
    code, out = run(capsys, "policy", "lint", str(book))
    assert code == 1
    assert "policies[0].renewal_window_months" in out


def test_what_if_over_the_bundled_examples(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    examples = resources.files("iqm_rules.interchange").joinpath("examples")
    for name in ("flagship-journey.json", "first-award.json"):
        with resources.as_file(examples.joinpath(name)) as source:
            shutil.copy(source, tmp_path / name)
    strict = tmp_path / "strict.toml"
    strict.write_text('id = "s"\neffective_from = 2000-01-01\nflagship_boundary = "more_than"\n')
    code, out = run(
        capsys, "what-if", str(tmp_path), "--policy", str(strict), "--as-of", "2026-01-01"
    )
    assert code == 0
    assert "URN-140876 (Ashgrove Academy)\n" in out
    assert (
        " ".join(out.split()).count("FS-4 (Centre of Excellence held long enough) now fails") == 1
    )
    assert "URN-131245" not in out  # unchanged
    code, out = run(
        capsys, "what-if", str(tmp_path), "--policy", str(strict), "--as-of", "2026-01-01", "--csv"
    )
    assert out.startswith("school_id,what,before,after,rules,detail\n")


def test_a_bad_policy_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "a"\neffective_from = 2020-01-01\ngrace_months = -1\n')
    assert main(["policy", "show", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"iqm-rules: error: {bad}: grace_months:")


def _jsonl(tmp_path: Path) -> Path:
    lines = [
        dump_history(load_history(example_text(name)))
        for name in ("flagship-journey", "first-award")
    ]
    source = tmp_path / "in.jsonl"
    source.write_text(lines[0] + "\n" + '{"format": "nope"}\n\n' + lines[1] + "\n")
    return source


def test_what_if_streams_jsonl_reporting_bad_lines_and_going_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text('id = "s"\neffective_from = 2000-01-01\nflagship_boundary = "more_than"\n')
    out = tmp_path / "out.jsonl"
    argv = ["what-if", str(_jsonl(tmp_path)), "--policy", str(strict), "--as-of", "2026-01-01"]
    assert main([*argv, "--jsonl", "--jobs", "2", "-o", str(out)]) == 1
    assert "in.jsonl:2: format:" in capsys.readouterr().err
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["school_id"] == "URN-140876"
    assert main([*argv, "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["schools"], summary["unchanged"]) == (2, 1)


def test_what_if_of_a_policy_against_itself_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    default = tmp_path / "default.toml"
    default.write_text(
        resources.files("iqm_rules.interchange").joinpath("policies", "default.toml").read_text()
    )
    source = tmp_path / "in.jsonl"
    source.write_text(dump_history(load_history(example_text("flagship-journey"))) + "\n")
    code, out = run(
        capsys, "what-if", str(source), "--policy", str(default), "--as-of", "2026-01-01"
    )
    assert (code, out) == (0, "Summary:\n  1 school unchanged of 1\n")


def test_a_policy_option_is_read_with_inheritance(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = tmp_path / "book.toml"
    book.write_text(
        '[[policies]]\nid = "a"\neffective_from = 2020-01-01\nmin_voice_kinds = 2\n'
        '[[policies]]\nid = "b"\neffective_from = 2021-01-01\nflagship_boundary = "more_than"\n'
    )
    code, out = run(capsys, "rules", "--policy", str(book), "--as-of", "2022-01-01")
    assert code == 0
    assert "min_voice_kinds = 2" in out
    assert "flagship_boundary = more_than" in out
