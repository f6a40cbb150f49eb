"""The published JSON Schemas (RULEBOOK §6) agree with what the library reads and writes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from iqm_rules import (
    Assessment,
    AssessmentKind,
    Award,
    AwardState,
    Commitment,
    Decision,
    Element,
    EvidenceKind,
    Judgement,
    Outcome,
    Principle,
    SchoolHistory,
    StatusReport,
)
from iqm_rules._terms import Term
from iqm_rules.decisions.decision import decide
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_status,
    load_history,
    schema,
)
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.replay import status
from iqm_rules.testing import decisions, school_histories, status_reports
from strategies import decisions as field_decisions
from strategies import json_values, minimal_history, paths_in
from strategies import status_reports as field_status_reports

Name = Literal["history", "decision", "status", "policy"]
NAMES: tuple[Name, ...] = get_args(Name)


def _validator(name: Name) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(name: Name, document: Any) -> list[str]:
    return [error.message for error in _validator(name).iter_errors(document)]


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_section_6_each_schema_is_draft_2020_12(name: Name) -> None:
    loaded = schema(name)
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(loaded)
    assert loaded["properties"]["format"] == {"const": f"iqm-rules/{name}@1"}


@pytest.mark.parametrize("name", NAMES)
def test_clarification_7_10_every_object_of_every_schema_forbids_unknown_keys(name: Name) -> None:
    objects = _objects(schema(name))
    assert objects
    assert all(o.get("additionalProperties") is False for o in objects)


def test_schema_refuses_an_unknown_name() -> None:
    with pytest.raises(
        InvalidRecord, match="schema: must be one of history, decision, status, policy"
    ):
        schema("rules")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("definition", "vocabulary"),
    [
        ("element", Element),
        ("principle", Principle),
        ("evidence_kind", EvidenceKind),
        ("judgement", Judgement),
        ("commitment", Commitment),
        ("award", Award),
    ],
)
def test_section_1_history_schema_lists_every_json_value(
    definition: str, vocabulary: type[Term]
) -> None:
    assert schema("history")["$defs"][definition]["enum"] == [m.value for m in vocabulary]


def test_section_6_history_schema_is_exact() -> None:
    defs = schema("history")["$defs"]
    assert schema("history")["required"] == ["format", "school", "events"]
    assert defs["date"]["pattern"] == "^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}(?![\\s\\S])"
    assert defs["assessment"]["properties"]["kind"]["enum"] == [k.value for k in AssessmentKind]
    assert defs["assessment"]["required"] == [
        "type",
        "id",
        "held_on",
        "kind",
        "level_sought",
        "judgements",
        "evidence",
        "commitments",
    ]
    assert defs["evidence_item"]["required"] == [
        "id",
        "element",
        "principles",
        "kind",
        "collected_on",
    ]
    assert defs["withdrawal"]["required"] == ["type", "on"]
    assert defs["judgements"]["required"] == [e.value for e in Element]


def test_section_6_status_and_decision_schemas_list_states_and_outcomes() -> None:
    status_defs = schema("status")["$defs"]
    assert status_defs["award_status"]["properties"]["state"]["enum"] == [
        s.value for s in AwardState
    ]
    assert schema("decision")["properties"]["outcome"]["enum"] == [o.value for o in Outcome]
    assert schema("status")["properties"]["awards"]["required"] == [a.value for a in Award]


@pytest.mark.parametrize("name", examples())
def test_section_6_every_bundled_example_validates(name: str) -> None:
    text = example_text(name)
    assert _errors("history", json.loads(text)) == []
    assert _errors("history", json.loads(dump_history(load_history(text)))) == []


@pytest.mark.parametrize("name", examples())
def test_section_6_real_decisions_and_status_validate(name: str) -> None:
    history = load_history(example_text(name))
    report = status(history, date(2025, 9, 1))
    assert _errors("status", json.loads(dump_status(report))) == []
    for decision in report.decisions:
        assert _errors("decision", json.loads(dump_decision(decision))) == []


def test_section_6_a_first_decision_validates() -> None:
    event = load_history(example_text("first-award")).events[0]
    assert isinstance(event, Assessment)
    assert _errors("decision", json.loads(dump_decision(decide(event)))) == []


@given(school_histories(max_events=2))
def test_section_6_dumped_histories_validate(history: SchoolHistory) -> None:
    assert _errors("history", json.loads(dump_history(history))) == []


@given(decisions() | field_decisions())
def test_section_6_dumped_decisions_validate(decision: Decision) -> None:
    assert _errors("decision", json.loads(dump_decision(decision))) == []


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(status_reports() | field_status_reports())
def test_section_6_dumped_status_reports_validate(report: StatusReport) -> None:
    assert _errors("status", json.loads(dump_status(report))) == []


@pytest.mark.parametrize(
    ("where", "key", "value"),
    [
        ((), "generated_by", "tool"),
        (("events", 0), "evidnce", []),
        (("events", 0), "kind", "interim"),
        (("events", 0), "held_on", "20240310"),
        (("events", 0, "evidence", 0), "principles", []),
        (("events", 0, "judgements"), "maths", "embedded"),
        (("events", 0), "cluster_meetings_attended", -1),
        (("events", 0), "level_sought", "gold"),
        (("events", 1), "type", "closure"),
        (("school",), "id", ""),
    ],
)
def test_section_6_history_schema_refuses_what_the_reader_refuses(
    where: tuple[str | int, ...], key: str, value: object
) -> None:
    document = minimal_history()
    node: Any = document
    for part in where:
        node = node[part]
    node[key] = value
    with pytest.raises(InvalidRecord):
        load_history(document)
    assert _errors("history", document) != []


@given(st.data(), json_values(max_leaves=3))
def test_section_6_whatever_the_reader_accepts_the_schema_accepts(
    data: st.DataObject, value: Any
) -> None:
    document = minimal_history()
    path = data.draw(st.sampled_from(paths_in(document)[1:]))
    parent: Any = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    try:
        load_history(document)
    except InvalidRecord:
        return
    assert _errors("history", document) == []


def test_each_format_name_is_the_one_its_schema_requires() -> None:
    from iqm_rules.interchange import SCHEMAS, schema
    from iqm_rules.interchange.formats import FORMATS

    with_format = {name for name in SCHEMAS if "format" in schema(name).get("properties", {})}
    assert set(FORMATS) == with_format
    for name, form in FORMATS.items():
        required = schema(name)["properties"]["format"]  # type: ignore[arg-type]
        if name == "record":  # a record@1 is still read and verified
            assert required == {"enum": [form, "iqm-rules/record@1"]}
        else:
            assert required == {"const": form}
