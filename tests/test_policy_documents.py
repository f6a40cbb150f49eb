"""Policy documents (``iqm-rules/policy@1``): dated policy data read and written like records."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given

from iqm_rules import DEFAULT_POLICY, FlagshipBoundary, InvalidRecord, Policy, PolicyBook, cli
from iqm_rules.interchange import dump_policy, load_policy, schema
from iqm_rules.testing import policies, policy_books

HEAD = '{"format": "iqm-rules/policy@1", "policies": '


@given(policy_books())
def test_a_book_round_trips_and_validates_against_its_schema(book: PolicyBook) -> None:
    text = dump_policy(book)
    by_date = sorted(book.policies, key=lambda policy: policy.effective_from)
    assert load_policy(text) == PolicyBook(tuple(by_date))
    jsonschema.validate(json.loads(text), schema("policy"))


@given(policies())
def test_a_lone_policy_is_written_as_a_book_of_one(policy: Policy) -> None:
    assert load_policy(dump_policy(policy)).policies == (policy,)


def test_parameters_left_out_take_the_defaults_of_rulebook_section_2() -> None:
    book = load_policy(HEAD + '[{"id": "p", "effective_from": "2024-09-01"}]}')
    assert book.policies[0] == attrs.evolve(DEFAULT_POLICY, id="p", effective_from=date(2024, 9, 1))


@pytest.mark.parametrize(
    ("policies", "path", "problem"),
    [
        ('[{"id": "p"}]', "policies[0].effective_from", "required key missing"),
        ('[{"effective_from": "2024-09-01"}]', "policies[0].id", "required key missing"),
        (
            '[{"id": "p", "effective_from": "2024-09-01", "grace": 3}]',
            "policies[0].grace",
            "unknown key",
        ),
        (
            '[{"id": "p", "effective_from": "2024-09-01", "grace_months": -3}]',
            "policies[0].grace_months",
            "must be a whole number from 0 to 1,200, got -3",
        ),
        (
            '[{"id": "p", "effective_from": "2024-09-01", "flagship_boundary": "over"}]',
            "policies[0].flagship_boundary",
            "must be one of at_least, more_than",
        ),
        (
            '[{"id": "p", "effective_from": "2024-09-01", "cycle_years": {"flagship": 0}}]',
            "policies[0].cycle_years.flagship",
            "must be a whole number from 1 to 100, got 0",
        ),
        (
            '[{"id": "p", "effective_from": "2024-09-01", "grace_months": 5000}]',
            "policies[0].grace_months",
            "must be a whole number from 0 to 1,200, got 5000",
        ),
        (
            '[{"id": "p", "effective_from": "2024-09-01"},'
            ' {"id": "p", "effective_from": "2025-09-01"}]',
            "policies[1].id",
            "policies[0] already has id 'p'",
        ),
        ("[]", "policies", "must be a non-empty list of policies"),
    ],
)
def test_a_bad_policy_document_names_the_path_and_what_is_allowed(
    policies: str, path: str, problem: str
) -> None:
    with pytest.raises(InvalidRecord, match=f"^{re.escape(path)}: .*{re.escape(problem)}"):
        load_policy(HEAD + policies + "}")


def test_LC_8_status_under_a_policy_book_from_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Worked example 3 under a book that turns to ``more_than`` before the 2024 review."""
    strict = attrs.evolve(
        DEFAULT_POLICY,
        id="strict",
        effective_from=date(2024, 1, 1),
        flagship_boundary=FlagshipBoundary.MORE_THAN,
    )
    book = PolicyBook((attrs.evolve(DEFAULT_POLICY, effective_from=date(2000, 1, 1)), strict))
    path = tmp_path / "policy.json"
    path.write_text(dump_policy(book), encoding="utf-8")
    argv = ["status", "--example", "flagship-journey", "--as-of", "2025-09-01", "--json"]
    code = cli.main([*argv, "--policy", str(path)])
    out, err = capsys.readouterr()
    report = json.loads(out)
    decided = {d["assessment_id"]: d for d in report["decisions"]}
    assert report["policy_id"] == "strict"
    assert decided["AG-2024-01"]["outcome"] == "granted_lower"
    assert decided["AG-2024-01"]["policy_id"] == "strict"
    assert decided["AG-2021-01"]["policy_id"] == "iqm-2025.1"
    assert code == 1
    assert "AG-2024-01" in err


def test_rules_shows_the_policy_in_force_on_as_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(
        HEAD + '[{"id": "old", "effective_from": "2000-01-01"},'
        ' {"id": "new", "effective_from": "2025-09-01", "min_voice_kinds": 4}]}',
        encoding="utf-8",
    )
    assert cli.main(["rules", "--policy", str(path), "--as-of", "2025-08-31"]) == 0
    assert capsys.readouterr().out.startswith("Rules under policy old")
    assert cli.main(["rules", "--policy", str(path), "--as-of", "2025-09-01"]) == 0
    assert "min_voice_kinds = 4" in capsys.readouterr().out


def test_a_bad_policy_file_is_one_error_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(HEAD + '[{"id": "p"}]}', encoding="utf-8")
    for argv in (
        ["status", "--example", "first-award"],
        ["batch", "--example", "first-award", "--as-of", "2025-01-01"],
    ):
        assert cli.main([*argv, "--policy", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"iqm-rules: error: --policy {path}: policies[0].effective_from: required key missing\n"
        )
