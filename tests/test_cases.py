"""Rule cases as data: the shipped cases pass, and the runner names every mismatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iqm_rules.auditing.cases import Mismatch, coverage, run_case_file, run_cases
from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.replay import AwardState, ChangeKind

CASES = Path(__file__).parent.parent / "cases"

CASE = """
[[cases]]
name = "first award"
history = {{ example = "first-award" }}
[[cases.expect.status]]
on = 2024-01-01
level = "{level}"
"""


def test_every_shipped_case_passes() -> None:
    results = run_cases([CASES])
    assert len(results) >= 20
    failed = [str(m) for r in results for m in r.mismatches]
    assert failed == []


def test_the_shipped_cases_see_every_rule_state_and_change() -> None:
    seen = coverage(run_cases([CASES]))
    ids = tuple(r.id for r in rules())
    assert seen.passing == ids
    assert seen.failing == ids
    assert seen.states == tuple(AwardState)
    assert seen.changes == tuple(ChangeKind)
    assert not (seen.never_passing)
    assert not (seen.never_failing)
    assert not (seen.never_states)


def test_a_wrong_expectation_fails_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "wrong.toml"
    path.write_text(CASE.format(level="flagship"))
    (result,) = run_case_file(path)
    assert not result.passed
    (mismatch,) = result.mismatches
    assert mismatch.where == f"{path}: cases[0].expect.status[0].level"
    assert mismatch.expected == "flagship"
    assert mismatch.actual != "flagship"


def test_the_same_case_in_json_is_read_alike(tmp_path: Path) -> None:
    case = {
        "cases": [
            {
                "history": {"example": "first-award"},
                "expect": {"status": [{"on": "2024-01-01", "level": "flagship"}]},
            }
        ]
    }
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(case))
    (result,) = run_case_file(path)
    assert [m.where for m in result.mismatches] == [f"{path}: cases[0].expect.status[0].level"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            '[[cases]]\nhistory = { example = "first-award" }\nexpect = { colour = 1 }',
            "cases[0].expect.colour",
        ),
        (
            '[[cases]]\nhistory = { example = "first-award" }\n'
            'expect = { decisions = [{ assessment = "nope" }] }',
            "cases[0].expect.decisions[0].assessment",
        ),
        (
            '[[cases]]\nhistory = { example = "first-award" }\n'
            'expect = { status = [{ on = 2024-01-01, level = "gold" }] }',
            "cases[0].expect.status[0].level",
        ),
        (
            '[[cases]]\nhistory = { example = "first-award" }\nexpect = { error = "events[0]" }',
            "cases[0].expect.error",
        ),
        ('[[cases]]\nhistory = "missing.json"', "cases[0].history"),
        (
            '[[cases]]\nhistory = { example = "first-award" }\npolicy = { grace_months = -1 }',
            "cases[0].policy.grace_months",
        ),
        ("cases = [", ""),
    ],
)
def test_a_case_that_cannot_run_fails_at_its_path(tmp_path: Path, body: str, where: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body)
    (result,) = run_case_file(path)
    assert not result.passed
    assert result.mismatches[0].where == f"{path}: {where}"


def test_a_mismatch_reads_as_one_line() -> None:
    assert str(Mismatch("c.toml: cases[0].level", "flagship", "none")) == (
        "c.toml: cases[0].level: expected flagship, got none"
    )


def test_the_shipped_cases_meet_the_case_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib
    from importlib import resources

    text = (
        resources.files("iqm_rules.interchange").joinpath("schemas", "case.schema.json").read_text()
    )
    validator = jsonschema.Draft202012Validator(json.loads(text))
    for path in sorted(CASES.glob("*.toml")):
        data = json.loads(json.dumps(tomllib.loads(path.read_text()), default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path
    assert not validator.is_valid({"cases": [{"history": "x", "expect": {"status": [{}]}}]})
