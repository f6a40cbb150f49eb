"""Auditing many schools: per-school audits combined into one report, and its renderings."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from iqm_rules import Assessment, Award, Judgement, RecordedOutcome, SchoolHistory
from iqm_rules.auditing.audit import audit
from iqm_rules.auditing.audit_report import (
    CSV_COLUMNS,
    AuditReport,
    BadInput,
    SchoolDisagreement,
    audit_school,
    report_csv,
    report_json,
    report_jsonl,
    report_text,
    summarise,
)
from iqm_rules.decisions.decision import Finding
from iqm_rules.interchange import SCHEMAS, schema
from iqm_rules.interchange.formats import AUDIT_FORMAT
from iqm_rules.principles import Element
from iqm_rules.testing import school_histories
from strategies import FEW, agreeing, disagreeing, example


def _changed(history: SchoolHistory, index: int, **changes: Any) -> SchoolHistory:
    events = list(history.events)
    event = events[index]
    assert isinstance(event, Assessment)
    events[index] = evolve(event, **changes)
    return evolve(history, events=events)


def _weaker_last_assessment() -> SchoolHistory:
    """flagship-journey with one judgement of its last (flagship) assessment lowered."""
    history = example("flagship-journey")
    last = history.events[-1]
    assert isinstance(last, Assessment)
    judgements = {**last.judgements, Element.CURRICULUM: Judgement.ESTABLISHED}
    return _changed(history, len(history.events) - 1, judgements=judgements)


def test_agreeing_examples_audit_clean() -> None:
    from iqm_rules import examples

    report = summarise(audit_school(example(name), location=name) for name in examples())
    assert report.clean
    assert (report.schools, report.disagreed, report.bad) == (len(examples()), 0, ())
    assert report.agreed == report.compared == 18


def test_one_changed_judgement_is_one_disagreement_naming_the_rule() -> None:
    histories = [example("first-award"), _weaker_last_assessment(), example("coe-lapsed")]
    report = summarise(audit_school(h, location=f"line {i}") for i, h in enumerate(histories, 1))
    assert (report.schools, report.compared, report.disagreed) == (3, 8, 1)
    (found,) = report.disagreements
    assert (found.school_id, found.assessment_id, found.location) == (
        "URN-140876",
        "AG-2025-01",
        "line 2",
    )
    assert (found.recorded, found.computed) == (Award.FLAGSHIP, Award.CENTRE_OF_EXCELLENCE)
    assert [f.rule for f in found.failing] == ["FS-1"]
    assert found.recorded_more
    assert found.explanation().startswith(
        "recorded flagship, the rules give centre_of_excellence: FS-1 fails ("
    )


def test_recording_less_says_every_rule_up_to_the_computed_level_passed() -> None:
    history = _changed(
        example("flagship-journey"),
        0,
        recorded_outcome=RecordedOutcome(Award.INCLUSIVE_SCHOOL),
    )
    (found,) = audit_school(history).disagreements
    assert not found.recorded_more
    assert found.passed == ("EV-1", "EV-2", "EV-3", "IS-1", "CE-1", "CE-2")
    assert found.explanation() == (
        "recorded inclusive_school, the rules give centre_of_excellence: every rule up to "
        "centre_of_excellence passes (EV-1, EV-2, EV-3, IS-1, CE-1, CE-2)"
    )


def test_recording_less_names_the_failing_rules_above() -> None:
    history = _changed(
        _weaker_last_assessment(),
        4,
        recorded_outcome=RecordedOutcome(Award.INCLUSIVE_SCHOOL),
    )
    (found,) = audit_school(history).disagreements
    assert found.computed is Award.CENTRE_OF_EXCELLENCE
    assert [f.rule for f in found.failing] == ["FS-1"]
    assert "; above it FS-1 fails (" in found.explanation()


def test_recording_above_the_level_sought_says_so() -> None:
    history = _changed(example("first-award"), 0, recorded_outcome=RecordedOutcome(Award.FLAGSHIP))
    (found,) = audit_school(history).disagreements
    assert found.failing == ()
    assert found.explanation() == (
        "recorded flagship, the rules give inclusive_school: inclusive_school was sought"
    )


@FEW
@given(school_histories(max_events=4))
def test_generated_agreeing_histories_audit_clean(history: SchoolHistory) -> None:
    result = audit_school(agreeing(history))
    assert result.disagreements == ()
    assert result.compared == sum(isinstance(e, Assessment) for e in history.events)


@FEW
@given(disagreeing())
def test_the_report_holds_exactly_the_disagreements_of_audit(
    case: tuple[SchoolHistory, frozenset[str]],
) -> None:
    history, wrong = case
    report = summarise([audit_school(history)])
    assert {d.assessment_id for d in report.disagreements} == wrong
    audited = audit(history)
    assert [d.assessment_id for d in report.disagreements] == [
        d.assessment_id for d in audited.disagreements
    ]
    assert (report.compared, report.disagreed) == (audited.compared, audited.disagreeing)
    for found in report.disagreements:
        ranks = [f.level.rank for f in found.failing]
        low = found.computed.rank if found.computed is not None else -1
        assert all(rank > low for rank in ranks)
        assert found.explanation()


def _report() -> AuditReport:
    return summarise(
        [
            audit_school(example("first-award"), location="schools.jsonl:1"),
            BadInput("schools.jsonl:2", "malformed JSON at line 1, column 2"),
            audit_school(_weaker_last_assessment(), location="schools.jsonl:3"),
        ]
    )


def test_bad_inputs_are_reported_and_the_others_audited() -> None:
    report = _report()
    assert report.bad == (BadInput("schools.jsonl:2", "malformed JSON at line 1, column 2"),)
    assert (report.schools, report.compared, report.agreed, report.disagreed) == (2, 6, 5, 1)
    assert not report.clean


def test_text_report() -> None:
    lines = report_text(_report(), width=400).splitlines()
    assert lines[0] == (
        "2 schools audited, 6 recorded outcomes compared: 5 agree, 1 disagree; "
        "1 input could not be read"
    )
    assert lines[1].startswith(
        "URN-140876 (Ashgrove Academy): assessment AG-2025-01 of 24 June 2025: recorded Flagship "
        "School, the rules give Centre of Excellence: FS-1 (Every element embedded) is not met"
    )
    assert lines[2] == "schools.jsonl:2: malformed JSON at line 1, column 2"
    assert report_text(summarise([])).splitlines() == [
        "0 schools audited, 0 recorded outcomes compared: 0 agree, 0 disagree"
    ]


@FEW
@given(disagreeing(), st.integers(40, 120))
def test_the_text_report_wraps_to_its_width_and_says_the_same(
    case: tuple[SchoolHistory, frozenset[str]], width: int
) -> None:
    """Each line fits ``width`` (or is one unbreakable word), continuation lines are indented,
    and joining them gives back the unwrapped text."""
    history, _ = case
    report = summarise([audit_school(history), BadInput("schools.jsonl:2", "malformed JSON")])
    wrapped = report_text(report, width).splitlines()
    assert all(len(line) <= width or " " not in line.strip() for line in wrapped)
    entries = [wrapped[0]]
    for line in wrapped[1:]:
        if line.startswith("  "):
            entries[-1] += " " + line.strip()
        else:
            entries.append(line)
    assert entries == report_text(report, width=10_000).splitlines()
    assert len(entries) == 1 + report.disagreed + 1


def test_json_and_jsonl_reports() -> None:
    report = _report()
    data = json.loads(report_json(report))
    assert data["format"] == "iqm-rules/audit-report@1"
    assert (data["schools"], data["disagreed"], len(data["disagreements"])) == (2, 1, 1)
    assert data["bad"] == [
        {"location": "schools.jsonl:2", "error": "malformed JSON at line 1, column 2"}
    ]
    (line,) = report_jsonl(report).splitlines()
    assert json.loads(line) == data["disagreements"][0]
    assert json.loads(line)["failing"][0]["rule"] == "FS-1"
    assert report_jsonl(summarise([])) == ""


def test_csv_report_opens_with_the_csv_module_one_row_per_disagreement() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(_report()))))
    assert len(rows) == 1
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["failing_rules"] == "FS-1"
    assert rows[0]["recorded"] == "flagship"
    assert rows[0]["computed"] == "centre_of_excellence"


def test_nothing_recorded_reads_as_nothing() -> None:
    found = SchoolDisagreement(
        "URN-1",
        'A, "quoted" school',
        "a.json",
        "A1",
        date(2024, 1, 1),
        Award.CENTRE_OF_EXCELLENCE,
        None,
        Award.INCLUSIVE_SCHOOL,
        [Finding("CE-1", Award.CENTRE_OF_EXCELLENCE, False, "3 of 4 embedded")],
        ["IS-1"],
    )
    assert not found.recorded_more
    report = AuditReport(1, 1, 0, 1, (), (found,))
    (row,) = csv.DictReader(io.StringIO(report_csv(report)))
    assert row["school_name"] == 'A, "quoted" school'
    assert row["explanation"] == (
        "recorded nothing, the rules give Inclusive School Award: every rule up to Inclusive "
        "School Award passes (IS-1); above it, CE-1 (Enough elements embedded, the required "
        "ones among them) is not met"
    )
    assert row["recorded"] == "nothing"
    assert json.loads(report_json(report))["disagreements"][0]["explanation"] == (
        "recorded nothing, the rules give inclusive_school: every rule up to inclusive_school "
        "passes (IS-1); above it CE-1 fails (3 of 4 embedded)"
    )


# --- the iqm-rules/audit-report@1 schema ------------------------------------------------------


def _validator(ref: str = "") -> Draft202012Validator:
    shipped = schema("audit-report")
    wanted = {"$ref": f"urn:iqm-rules:schema:audit-report@1{ref}"} if ref else shipped
    registry = Registry().with_resource(shipped["$id"], Resource.from_contents(shipped))
    return Draft202012Validator(
        wanted, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def test_the_audit_schema_is_draft_2020_12_and_shipped() -> None:
    Draft202012Validator.check_schema(schema("audit-report"))
    assert "audit-report" in SCHEMAS
    assert schema("audit-report")["properties"]["format"]["const"] == AUDIT_FORMAT


def test_reports_and_their_lines_match_the_audit_schema() -> None:
    for report in (_report(), summarise([])):
        _validator().validate(json.loads(report_json(report)))
        for line in report_jsonl(report).splitlines():
            _validator("#/$defs/disagreement").validate(json.loads(line))


@FEW
@given(disagreeing())
def test_generated_reports_match_the_audit_schema(
    case: tuple[SchoolHistory, frozenset[str]],
) -> None:
    history, _ = case
    data = json.loads(report_json(summarise([audit_school(history, location="x.json")])))
    _validator().validate(data)
    assert data["disagreed"] == len(data["disagreements"]) >= 1


def test_the_audit_schema_refuses_a_report_it_does_not_describe() -> None:
    data = json.loads(report_json(_report()))
    data["disagreements"][0]["recorded"] = "platinum"
    with pytest.raises(ValidationError):
        _validator().validate(data)
    del data["bad"]
    with pytest.raises(ValidationError):
        _validator().validate(data)
