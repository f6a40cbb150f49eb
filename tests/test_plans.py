"""Readiness before a visit: plans, evidence logs in CSV, and the two commands, end to end."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.cli import main
from iqm_rules.decisions.readiness import ReadinessState
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import dump_history, load_history, schema, unstructure
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.office.plans import (
    PLANNED_FORMAT,
    load_evidence_csv,
    load_plan,
    plan_of,
    plan_readiness,
    prior_to,
)

HEADER = "id,element,principles,kind,collected on,summary\n"


def _plan_document(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "format": PLANNED_FORMAT,
        "school": {"id": "URN-1", "name": "<b>Hill</b> School"},
        "held_on": "2026-03-01",
        "level_sought": "centre_of_excellence",
        "evidence": [],
        "commitments": ["cluster_membership"],
    }
    return {**document, **changes}


def test_a_plan_with_no_evidence_is_not_ready_and_says_what_to_collect() -> None:
    plan = load_plan(_plan_document())
    result = plan_readiness(plan)
    level = result.level(Award.CENTRE_OF_EXCELLENCE)
    assert level.state is ReadinessState.NOT_MET
    actions = {s.rule: s.action for s in level.shortfalls}
    assert actions["CE-2"].startswith("make the commitments: ")
    assert "cluster_membership" not in actions["CE-2"]
    assert "IS-1" in level.awaiting_judgement


def test_a_history_read_as_a_plan_takes_its_last_assessment_without_judgements() -> None:
    data = json.loads(example_text("flagship-journey"))
    events = data["events"]
    last = max(
        (i for i, e in enumerate(events) if e["type"] == "assessment"),
        key=lambda i: events[i]["held_on"],
    )
    del events[last]["judgements"]
    plan = load_plan(data)
    assert plan.held_on == date.fromisoformat(events[last]["held_on"])
    assert len(plan.events) == len(events) - 1
    assert Award.CENTRE_OF_EXCELLENCE in prior_to(plan).held


def test_a_plan_of_another_format_is_refused() -> None:
    with pytest.raises(InvalidRecord, match='format: must be "iqm-rules/planned@1" or'):
        load_plan({"format": "iqm-rules/status@1"})
    with pytest.raises(InvalidRecord, match="evidence: must be an array"):
        load_plan(_plan_document(evidence=3))


def test_evidence_csv_reads_values_and_titles_in_any_case() -> None:
    text = (
        "\ufeffID,Element,Principles,Kind,Collected_On\n"
        "E1,CURRICULUM,Raising achievement for EVERYONE; inclusive_ethos,Parent Voice,2025-10-01\n"
        ",,,,\n"
        "E2,assessment,access_and_diversity,data,2025-11-02\n"
    )
    first, second = load_evidence_csv(text)
    assert (first.element.value, first.kind.value) == ("curriculum", "parent_voice")
    assert {p.value for p in first.principles} == {"raising_achievement", "inclusive_ethos"}
    assert second.collected_on == date(2025, 11, 2)
    assert second.summary == ""


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("E1,curriculum,inclusive_ethos,pupils,2025-01-01,x\n", "log.csv:2: kind: "),
        ("E1,maths,inclusive_ethos,data,2025-01-01,x\n", "log.csv:2: element: "),
        ("E1,curriculum,,data,2025-01-01,x\n", "log.csv:2: principles: is empty"),
        ("E1,curriculum,joy,data,2025-01-01,x\n", "log.csv:2: principles: "),
        ("E1,curriculum,inclusive_ethos,data,1/1/2025,x\n", "log.csv:2: collected_on"),
        (
            "E1,curriculum,inclusive_ethos,data,2025-02-30,x\n",
            "log.csv:2: collected_on",
        ),
        (
            "E1,curriculum,inclusive_ethos,data,2025-01-01,x\n\nE1,curriculum,inclusive_ethos,data,"
            "2025-01-01,x\n",
            'log.csv:4: id: repeated evidence id "E1" (first on line 2)',
        ),
        ("E1,curriculum,inclusive_ethos,data,2025-01-01,x,y\n", "log.csv:2: 7 cells"),
    ],
)
def test_evidence_csv_errors_name_the_file_line_and_column(rows: str, expected: str) -> None:
    with pytest.raises(InvalidRecord) as raised:
        load_evidence_csv(HEADER + rows, "log.csv")
    assert str(raised.value).startswith(expected)


def test_evidence_csv_kind_errors_say_what_is_allowed() -> None:
    with pytest.raises(InvalidRecord) as raised:
        load_evidence_csv(HEADER + "E1,curriculum,inclusive_ethos,pupils,2025-01-01,x\n", "e.csv")
    assert "pupil_voice" in str(raised.value)
    assert "Pupil voice" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "e.csv: is empty"),
        ("id,element,colour\n", "e.csv:1: column 3: unknown column"),
        ("id,element\n", "e.csv:1: missing columns: principles, kind, collected_on"),
    ],
)
def test_evidence_csv_header_errors(text: str, expected: str) -> None:
    with pytest.raises(InvalidRecord) as raised:
        load_evidence_csv(text, "e.csv")
    assert str(raised.value).startswith(expected)


def test_evidence_csv_that_is_not_utf8() -> None:
    with pytest.raises(InvalidRecord, match=r"e.csv: not UTF-8 text \(byte 0\)"):
        load_evidence_csv(b"\xff", "e.csv")


def _log(path: Path) -> Path:
    history = load_history(example_text("first-award"))
    items = history.events[0].evidence  # type: ignore[union-attr]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "element", "principles", "kind", "collected on", "summary"])
        for i in items:
            principles = ";".join(p.value for p in i.principles)
            row = [i.id, i.element.title, principles, i.kind.title, i.collected_on, i.summary]
            writer.writerow(row)
    return path


def test_readiness_command_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan_document()), encoding="utf-8")
    assert main(["readiness", str(plan)]) == 1  # the level sought is not met
    out = capsys.readouterr().out
    assert out.startswith("Readiness of URN-1 (<b>Hill</b> School)\n")
    assert "✗ Centre of Excellence: Not met: something is missing (the level sought)" in out
    assert "    to do (EV-1): collect " in out
    assert "    for the assessors (IS-1): Every element established" in out

    log = _log(tmp_path / "evidence.csv")
    plan.write_text(json.dumps(_plan_document(held_on="2024-03-10")), encoding="utf-8")
    assert main(["readiness", str(plan), "--evidence", str(log), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "iqm-rules/readiness@1"
    assert data["levels"][0]["level"] == "inclusive_school"
    assert data["levels"][0]["state"] == "needs_judgement"


def test_readiness_command_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan_document()), encoding="utf-8")
    log = tmp_path / "e.csv"
    log.write_text(HEADER + "E1,curriculum,inclusive_ethos,pupils,2025-01-01,x\n")
    assert main(["readiness", str(plan), "--evidence", str(log)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"iqm-rules: error: {log}:2: kind: ")
    plan.write_text("[1]", encoding="utf-8")
    assert main(["readiness", str(plan)]) == 2
    assert "a plan must be a JSON object" in capsys.readouterr().err
    plan.write_text("{", encoding="utf-8")
    assert main(["readiness", str(plan)]) == 2
    assert "malformed JSON" in capsys.readouterr().err
    plan.write_text('{"format": "iqm-rules/planned@1", "format": "x"}', encoding="utf-8")
    assert main(["readiness", str(plan)]) == 2
    assert "format: repeated key" in capsys.readouterr().err


def test_evidence_to_json_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _log(tmp_path / "evidence.csv")
    out = tmp_path / "evidence.json"
    assert main(["evidence-to-json", str(log), "-o", str(out)]) == 0
    items = json.loads(out.read_text(encoding="utf-8"))
    history = load_history(example_text("first-award"))
    assert items == unstructure(history.events[0].evidence)  # type: ignore[union-attr]
    assert main(["evidence-to-json", str(log)]) == 0
    assert json.loads(capsys.readouterr().out) == items
    assert main(["evidence-to-json", str(log), "-o", str(log)]) == 2
    assert "would write over" in capsys.readouterr().err
    assert log.read_text(encoding="utf-8").startswith(HEADER)
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER)
    assert main(["evidence-to-json", str(empty)]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_a_history_plan_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text(dump_history(load_history(example_text("coe-lapsed"))), encoding="utf-8")
    assert main(["readiness", str(path)]) == 0


@pytest.mark.parametrize("name", examples())
def test_readiness_json_fits_its_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readiness", "--example", name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, schema("readiness"))
    data["levels"][0]["state"] = "ready"
    assert not jsonschema.Draft202012Validator(schema("readiness")).is_valid(data)


def test_a_planned_document_fits_its_schema_and_a_wrong_one_does_not() -> None:
    validator = jsonschema.Draft202012Validator(schema("planned"))
    validator.check_schema(schema("planned"))
    document = _plan_document(events=json.loads(example_text("first-award"))["events"])
    validator.validate(document)
    load_plan(document)
    for wrong in ({"level_sought": "platinum"}, {"colour": "red"}, {"held_on": "1/3/2026"}):
        assert not validator.is_valid({**document, **wrong}), wrong


def test_plan_of_keeps_the_events_before_the_assessment() -> None:
    history = load_history(example_text("flagship-journey"))
    for index, event in enumerate(history.events):
        if isinstance(event, Assessment):
            plan = plan_of(history, event.id)
            assert plan.events == history.events[:index]
            assert (plan.held_on, plan.evidence) == (event.held_on, event.evidence)
    with pytest.raises(InvalidRecord, match="assessment_id: no assessment"):
        plan_of(history, "nowhere")
