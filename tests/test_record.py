"""Decision records (``iqm-rules/record@1``): their schema, writing and strict reading."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from jsonschema import Draft202012Validator

from iqm_rules import (
    Assessment,
    InvalidRecord,
    Record,
    dump_record,
    example_text,
    examples,
    load_history,
    load_record,
    record_decision,
    record_status,
)
from iqm_rules.auditing.provenance import (
    RULEBOOK_VERSION,
    library_version,
    policy_parameters_sha256,
    sha256,
)
from iqm_rules.interchange import dump_policy, schema
from iqm_rules.policy import DEFAULT_POLICY, PolicyBook
from iqm_rules.testing import policy_books, school_histories
from strategies import FEW, example, last_date

AS_OF = date(2025, 9, 1)


def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        schema("record"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def every_record(name: str) -> list[Record]:
    """The status record of an example and the record of each of its decisions."""
    history = example(name)
    ids = [event.id for event in history.events if isinstance(event, Assessment)]
    return [record_status(history, AS_OF), *(record_decision(history, i) for i in ids)]


def test_the_record_schema_is_draft_2020_12_and_embeds_the_shipped_schemas() -> None:
    loaded = schema("record")
    Draft202012Validator.check_schema(loaded)
    assert loaded["properties"]["format"] == {"enum": ["iqm-rules/record@2", "iqm-rules/record@1"]}
    for name in ("history", "policy", "status", "decision"):
        assert loaded["$defs"][name] == schema(name), f"record.schema.json embeds an old {name}"


@pytest.mark.parametrize("name", examples())
def test_every_example_record_round_trips_through_the_schema_and_load_dump(name: str) -> None:
    for record in every_record(name):
        text = dump_record(record)
        assert list(_validator().iter_errors(json.loads(text))) == []
        assert load_record(text) == record
        assert dump_record(load_record(text.encode())) == text


@FEW
@given(school_histories(max_events=4), policy_books(max_size=2))
def test_generated_records_round_trip(history: Any, book: PolicyBook) -> None:
    try:
        record = record_status(history, last_date(history), book)
    except InvalidRecord:  # no policy of the book is in force that early
        return
    document = json.loads(dump_record(record))
    assert list(_validator().iter_errors(document)) == []
    assert load_record(document) == record


def test_provenance_names_versions_policies_and_digests() -> None:
    record = record_decision(example("flagship-journey"), "AG-2023-01")
    p = record.provenance
    assert (p.library_version, p.rulebook_version) == (library_version(), RULEBOOK_VERSION)
    assert p.policy_ids == ("iqm-2025.1",)
    assert p.history_sha256 == sha256(record.history)
    assert p.output_sha256 == sha256(record.output)
    assert p.policy_parameters_sha256 == policy_parameters_sha256(dump_policy(DEFAULT_POLICY))
    assert json.loads(record.output)["format"] == "iqm-rules/decision@1"


def test_the_parameter_digest_ignores_policy_ids_but_not_values() -> None:
    renamed = dump_policy(DEFAULT_POLICY).replace('"iqm-2025.1"', '"renamed"')
    changed = dump_policy(DEFAULT_POLICY).replace('"grace_months":3', '"grace_months":4')
    same = policy_parameters_sha256(dump_policy(DEFAULT_POLICY))
    assert policy_parameters_sha256(renamed) == same
    assert policy_parameters_sha256(changed) != same


def test_a_record_of_an_unknown_assessment_is_refused() -> None:
    with pytest.raises(InvalidRecord, match=r"assessment_id: no assessment .A9."):
        record_decision(example("first-award"), "A9")


def _document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        dump_record(record_status(load_history(example_text("first-award")), AS_OF))
    )
    return data


def _set(data: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            ("format",),
            "iqm-rules/record@3",
            'format: must be "iqm-rules/record@2" or "iqm-rules/record@1"',
        ),
        (("question",), KeyError, "question: required key missing"),
        (("surplus",), 1, "surplus: unknown key"),
        (("question", "kind"), "timeline", "question.kind: must be one of status, decision"),
        (("question", "as_of"), "2025-02-29", "question.as_of: 2025-02-29 is not a calendar"),
        (("question", "as_of"), "1 Sept", "question.as_of: must be a date written YYYY-MM-DD"),
        (("question", "assessment_id"), "A1", "question.assessment_id: unknown key"),
        (("inputs", "policy"), KeyError, "inputs.policy: required key missing"),
        (("inputs", "history"), [], "inputs.history: must be an iqm-rules document"),
        (("inputs", "history", "format"), "x", 'inputs.history.format: must be "iqm-rules/hi'),
        (("output", "format"), "iqm-rules/decision@1", 'output.format: must be "iqm-rules/sta'),
        (("provenance", "output_sha256"), "ABC", "provenance.output_sha256: must be a SHA-256"),
        (("provenance", "policy_ids"), "x", "provenance.policy_ids: must be an array"),
        (("provenance", "library_version"), "", "provenance.library_version: must be non-empty"),
        (("provenance", "extra"), "", "provenance.extra: unknown key"),
    ],
)
def test_a_bad_record_is_refused_with_its_path(
    path: tuple[str, ...], value: object, error: str
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        load_record(json.dumps(_set(_document(), path, value)))
    assert str(caught.value).startswith(error)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[]", "a record document must be a JSON object"),
        ('{"format": 1, "format": 2}', "format: repeated key"),
        ('{"format": NaN}', "NaN is not a JSON number"),
        ("{", "malformed JSON at column 2"),
        (b"\xff", "not UTF-8 text"),
        ("[" * 100_000, "nested more than 256 levels deep"),
    ],
)
def test_unreadable_text_is_refused(text: str | bytes, error: str) -> None:
    with pytest.raises(InvalidRecord, match=error):
        load_record(text)


def test_a_record_is_read_from_a_file(tmp_path: Any) -> None:
    record = record_status(example("coe-lapsed"), AS_OF)
    path = tmp_path / "record.json"
    path.write_text("\ufeff" + dump_record(record), encoding="utf-8")
    assert load_record(path) == record
    with pytest.raises(InvalidRecord, match="expected JSON text"):
        load_record(12)  # type: ignore[arg-type]
