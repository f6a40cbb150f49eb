"""Verifying records: reproduces, tampered (naming the part) or differs (naming the fields)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given

from iqm_rules import (
    DEFAULT_POLICY,
    Assessment,
    SchoolHistory,
    dump_record,
    examples,
    load_record,
    record_decision,
    record_status,
    verify,
)
from iqm_rules.auditing.provenance import sha256
from iqm_rules.auditing.record import RULEBOOK_VERSION, Record, seal
from iqm_rules.auditing.verify import Verdict, differences
from iqm_rules.interchange import dump_history, dump_policy
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.policy import FlagshipBoundary, PolicyBook
from iqm_rules.testing import policy_books, school_histories
from strategies import FEW, example, last_date
from test_record import every_record

AS_OF = date(2025, 9, 1)


@pytest.mark.parametrize("name", examples())
def test_every_example_status_and_decision_reproduces(name: str) -> None:
    for record in every_record(name):
        result = verify(load_record(dump_record(record)))
        assert result.verdict is Verdict.REPRODUCES
        assert result.reproduces
        assert result.lines() == ["reproduces, unsigned"]
        assert (result.tampered, result.differences) == ((), ())
        assert not result.library_version_differs
        assert not result.rulebook_version_differs


@FEW
@given(school_histories(reviews=True, max_events=5), policy_books(max_size=2))
def test_a_record_written_by_this_version_always_reproduces(
    history: SchoolHistory, book: PolicyBook
) -> None:
    try:
        records = [record_status(history, last_date(history), book)]
        records += [
            record_decision(history, e.id, book)
            for e in history.events
            if isinstance(e, Assessment)
        ]
    except Exception:  # reviews may be invalid; policies may start late: nothing to record
        return
    for record in records:
        assert verify(load_record(dump_record(record))).verdict is Verdict.REPRODUCES


def _tampered(change: Any) -> Record:
    data = json.loads(dump_record(record_status(example("flagship-journey"), AS_OF)))
    change(data)
    return load_record(json.dumps(data))


def _judgement(data: dict[str, Any]) -> None:
    data["inputs"]["history"]["events"][1]["judgements"]["curriculum"] = "developing"


def _output(data: dict[str, Any]) -> None:
    data["output"]["awards"]["flagship"]["state"] = "revoked"


def _policy(data: dict[str, Any]) -> None:
    data["inputs"]["policy"]["policies"][0]["grace_months"] = 4


def _as_of(data: dict[str, Any]) -> None:
    data["question"]["as_of"] = "2026-09-01"


def _ids(data: dict[str, Any]) -> None:
    data["provenance"]["policy_ids"] = ["another"]


def _library(data: dict[str, Any]) -> None:
    data["provenance"]["library_version"] = "9.9.9"


def _rulebook(data: dict[str, Any]) -> None:
    data["provenance"]["rulebook_version"] = "2099.1"


@pytest.mark.parametrize(
    ("change", "parts"),
    [
        (_judgement, ("inputs.history",)),
        (_output, ("output",)),
        (_policy, ("inputs.policy", "provenance.policy_parameters_sha256")),
        (_as_of, ("question",)),
        (_ids, ("provenance.policy_ids", "provenance")),
        (_library, ("provenance",)),
        (_rulebook, ("provenance",)),
    ],
)
def test_a_changed_part_is_tampered_and_named(change: Any, parts: tuple[str, ...]) -> None:
    result = verify(_tampered(change))
    assert result.verdict is Verdict.TAMPERED
    assert result.tampered == parts
    verb = "does" if len(parts) == 1 else "do"
    said = [_PARTS[part] for part in parts]
    named = said[0] if len(said) == 1 else f"{'; '.join(said[:-1])} and {said[-1]}"
    assert result.lines()[0].startswith(f"tampered: {named} {verb}")


_PARTS = {
    "inputs.history": "the history",
    "inputs.policy": "the policy",
    "output": "the output",
    "question": "the question",
    "provenance": "the provenance",
    "provenance.policy_ids": "the ids of the policies applied",
    "provenance.policy_parameters_sha256": "the digest of the policy's parameters",
}


def test_another_policy_with_digests_to_match_differs_field_by_field() -> None:
    record = record_status(example("flagship-journey"), AS_OF)
    stricter = evolve(DEFAULT_POLICY, flagship_boundary=FlagshipBoundary.MORE_THAN)
    stricter = evolve(stricter, flagship_min_coe_years=5)
    resealed = seal(record.question, record.history, dump_policy(stricter), record.output)
    result = verify(load_record(dump_record(resealed)))
    assert result.verdict is Verdict.DIFFERS
    assert "awards.flagship.state: recorded active, now not_held" in result.differences
    assert "level: recorded flagship, now centre_of_excellence" in result.differences
    assert "decisions[3].outcome: recorded granted, now granted_lower" in result.differences
    assert result.lines()[1:] == [f"  {line}" for line in result.differences]


def test_a_decision_record_differs_when_recomputed_otherwise() -> None:
    record = record_decision(example("flagship-journey"), "AG-2024-01")
    stricter = evolve(DEFAULT_POLICY, flagship_min_cluster_meetings=99)
    resealed = seal(record.question, record.history, dump_policy(stricter), record.output)
    found = verify(resealed).differences
    assert "awarded_level: recorded flagship, now centre_of_excellence" in found
    assert any(line.startswith("findings[8].passed: recorded true, now false") for line in found)


def test_inputs_this_library_refuses_differ_with_the_error() -> None:
    record = record_decision(example("first-award"), "HB-2024-01")
    history = json.loads(record.history)
    history["events"][0]["evidence"][0]["collected_on"] = "2099-01-01"
    text = json.dumps(history, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    result = verify(seal(record.question, text, record.policy, record.output))
    assert result.verdict is Verdict.DIFFERS
    (line,) = result.differences
    assert line.startswith("output: recorded a decision, now the inputs are refused: events[0]")


def test_other_versions_are_named() -> None:
    record = record_status(example("first-award"), AS_OF)
    versions = evolve(record.provenance, library_version="0.0.1", rulebook_version="2024.9")
    covered = sha256(canonical_json(versions.covered()))  # as an older library would seal it
    older = evolve(record, provenance=evolve(versions, provenance_sha256=covered))
    result = verify(older)
    assert result.verdict is Verdict.REPRODUCES
    assert result.library_version_differs
    assert result.rulebook_version_differs
    assert result.lines()[0] == (
        f"reproduces (library 0.0.1 then, {record.provenance.library_version} now; "
        f"rulebook 2024.9 then, {RULEBOOK_VERSION} now), unsigned"
    )


def test_differences_name_every_path() -> None:
    old = {"a": [1, {"b": None}], "c": "x", "d": {"e": 1}}
    new = {"a": [1, {"b": 2}, 3], "c": "x", "d": [1]}
    assert list(differences(old, new)) == [
        "a[1].b: recorded null, now 2",
        "a[2]: recorded absent, now 3",
        'd: recorded {"e":1}, now [1]',
    ]
    assert list(differences("a" * 100, 1)) == [
        f"(document): recorded {'a' * 100}, now 1",
    ]
    assert list(differences({"x": list(range(40))}, {})) == [
        f"x: recorded {json.dumps(list(range(40)), separators=(',', ':'))[:77]}..., now absent"
    ]


def test_a_status_record_of_history_with_no_events_reproduces() -> None:
    history = SchoolHistory(example("first-award").school)
    assert dump_history(history)
    assert verify(record_status(history, AS_OF)).reproduces
