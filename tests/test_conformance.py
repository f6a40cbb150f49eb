"""The conformance suite: exported the same on every run, covering every rule both ways, passed
by this project's own command line and service, and failed by an adapter wrong on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from iqm_rules.cli import main
from iqm_rules.conformance.compare import first_difference
from iqm_rules.conformance.corpus import coverage, generated_cases
from iqm_rules.conformance.generated import generated
from iqm_rules.conformance.protocol import REQUEST_FORMAT, BadRequest, answer, protocol_schema
from iqm_rules.conformance.runner import load_suite
from iqm_rules.interchange import schema
from iqm_rules.interchange.examples import example_text
from serving import started

ROOT = Path(__file__).resolve().parent.parent
CLI = (sys.executable, "-m", "iqm_rules")
ADAPTER = f"{sys.executable} -m iqm_rules conformance adapter"
WRONG = f"{sys.executable} {Path(__file__).parent / 'data' / 'wrong_adapter.py'}"
SAMPLE = ("--case", "rule-cases/*", "--case", "examples/first-award/*", "--case", "generated/000*")
"""The cases the (slow, one process per case) command-line runs take: 150 or so."""


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suite") / "suite"
    assert main(["conformance", "export", str(folder), "--cases", str(ROOT / "cases")]) == 0
    return folder


def _run(suite: Path, *options: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [*CLI, "conformance", "run", str(suite), *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.stderr == ""
    return done.returncode, done.stdout.splitlines()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_export_is_the_same_on_every_run(suite: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    done = subprocess.run(
        [*CLI, "conformance", "export", str(again), "--cases", str(ROOT / "cases")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert done.stdout.startswith(f"{len(load_suite(suite))} cases written to {again}")
    assert _files(again) == _files(suite)


def test_the_generated_corpus_shows_every_rule_outcome_state_and_change() -> None:
    seen = coverage(generated_cases())
    assert seen.never_passing == seen.never_failing == ()
    assert seen.never_outcomes == ()
    assert seen.never_states == ()
    assert seen.never_changes == ()
    assert 250 <= len(list(generated())) <= 500


def test_every_case_holds_a_request_and_a_response_of_their_schemas(suite: Path) -> None:
    shipped = [schema(name) for name in ("history", "policy", "status", "decision", "timeline")]
    own = [protocol_schema(name) for name in ("request", "response", "case")]
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in shipped + own
    )
    check = jsonschema.Draft202012Validator(own[2], registry=registry)
    cases = load_suite(suite)
    for case in cases[:: max(1, len(cases) // 120)]:
        check.validate(case)
    index = json.loads((suite / "index.json").read_text("utf-8"))
    assert len(index["cases"]) == len(cases)
    sources = {entry["source"] for entry in index["cases"]}
    assert sources == {"rule case", "example", "generated"}
    assert (suite / "schemas" / "conformance-request.schema.json").is_file()


def test_the_expected_response_is_what_the_command_line_prints(suite: Path) -> None:
    status = json.loads((suite / "cases/examples/coe-lapsed/status-2025-09-01.json").read_text())
    printed = subprocess.run(
        [*CLI, "status", "--example", "coe-lapsed", "--as-of", "2025-09-01", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(printed) == status["expected"]


def test_the_suite_passes_on_the_project_s_command_line(suite: Path) -> None:
    code, lines = _run(suite, "--command", ADAPTER, "--jobs", "4", *SAMPLE)
    assert code == 0, lines[:5]
    passed = int(lines[-1].split()[0])
    assert lines == [f"{passed} passed, 0 failed"]
    assert passed > 50


def test_the_suite_passes_on_the_project_s_service(suite: Path, tmp_path: Path) -> None:
    with started(tmp_path / "access.log") as server:
        code, lines = _run(suite, "--url", server.url, "--jobs", "4")
    assert code == 0, lines[:5]
    assert lines == [f"{len(load_suite(suite))} passed, 0 failed"]


def test_an_adapter_reading_fs4_as_more_than_fails_naming_the_case_and_field(suite: Path) -> None:
    code, lines = _run(suite, "--command", WRONG, "--case", "rule-cases/worked-examples/*")
    assert code == 1
    assert (
        'FAIL rule-cases/worked-examples/04-decision-A4: awarded_level: expected "flagship", '
        'got "centre_of_excellence"'
    ) in lines
    failed = int(lines[-1].split(", ")[1].split()[0])
    assert failed >= 3
    assert lines[-1].endswith(f"{failed} failed")


@pytest.mark.parametrize(
    ("program", "problem"),
    [
        ("import sys; sys.exit(3)", "the program exited with status 3"),
        ("print('not json')", "the program printed no JSON document: not json"),
        ("import time; time.sleep(5)", "no answer within 1 seconds"),
    ],
)
def test_a_program_that_fails_is_named_for_each_case(
    suite: Path, program: str, problem: str
) -> None:
    command = f"{sys.executable} -c {json.dumps(program)}"
    options = ("--command", command, "--timeout", "1", "--case", "examples/first-award/status-*")
    code, lines = _run(suite, *options)
    assert code == 1
    assert lines[0].startswith("FAIL examples/first-award/status-")
    assert lines[0].endswith(problem)
    assert lines[-1].startswith("0 passed, ")


def test_export_refuses_a_directory_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kept.txt").write_text("mine\n")
    assert main(["conformance", "export", str(tmp_path)]) == 2
    assert "is not empty; name a new or empty directory" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]


def test_the_adapter_refuses_a_request_without_a_question(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    request: dict[str, Any] = {"format": REQUEST_FORMAT, "history": {}, "policy": None}
    request["question"] = {}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(request).encode())))
    assert main(["conformance", "adapter"]) == 2
    assert "question.ask: must be one of status, decision, timeline" in capsys.readouterr().err


def test_a_refused_history_is_answered_with_its_path() -> None:
    history = json.loads(example_text("first-award"))
    history["events"][0]["cluster_meetings_attended"] = 2.5
    request = {
        "format": REQUEST_FORMAT,
        "history": history,
        "policy": None,
        "question": {"ask": "status", "as_of": "2025-01-01"},
    }
    refused = json.loads(answer(request))
    assert refused["format"] == "iqm-rules/conformance-refusal@1"
    assert refused["path"] == "events[0].cluster_meetings_attended"
    with pytest.raises(BadRequest, match="no assessment 'X'"):
        answer(
            {**request, "history": json.loads(example_text("first-award"))}
            | {"question": {"ask": "decision", "assessment": "X"}}
        )


def test_informative_text_and_optional_members_are_compared_only_when_strict() -> None:
    expected = {"findings": [{"message": "a", "rule": "EV-1"}], "next_steps": []}
    answered = {"findings": [{"message": "b", "rule": "EV-1"}]}
    assert first_difference(expected, answered) is None
    assert str(first_difference(expected, answered, strict=True)) == (
        'findings[0].message: expected "a", got "b"'
    )
    assert str(first_difference(expected, {**answered, "next_steps": [1]})) == (
        "next_steps[0]: expected (missing), got 1"
    )
    assert str(first_difference({"a": 1}, {"a": 1, "b": 2})) == "b: expected (missing), got 2"
    assert str(first_difference({"a": 2}, {"a": 2.0})) == "a: expected 2, got 2.0"
