"""Reading and writing the interchange format: leniency, canonical form, round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from iqm_rules import (
    Assessment,
    Award,
    AwardState,
    AwardStatus,
    Commitment,
    Decision,
    Element,
    Finding,
    Judgement,
    Outcome,
    Principle,
    RecordedOutcome,
    SchoolHistory,
    StatusReport,
    Withdrawal,
)
from iqm_rules.decisions.decision import decide
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import (
    DECISION_FORMAT,
    HISTORY_FORMAT,
    STATUS_FORMAT,
    dump_decision,
    dump_history,
    dump_status,
    load_decision,
    load_history,
    load_status,
    structure,
    unstructure,
)
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.replay import status
from iqm_rules.testing import decisions, school_histories, status_reports
from strategies import decisions as field_decisions
from strategies import minimal_history
from strategies import status_reports as field_status_reports


def _load(document: dict[str, Any]) -> SchoolHistory:
    return load_history(json.dumps(document))


def _first(history: SchoolHistory) -> Assessment:
    event = history.events[0]
    assert isinstance(event, Assessment)
    return event


def test_section_6_a_document_becomes_the_records_of_section_1() -> None:
    history = _load(minimal_history())
    assessment = _first(history)
    assert history.school.id == "URN-100001"
    assert assessment.held_on == date(2024, 3, 10)
    assert assessment.judgements[Element.CURRICULUM] is Judgement.ESTABLISHED
    assert assessment.evidence[1].principles == frozenset({Principle.RAISING_ACHIEVEMENT})
    assert assessment.commitments == frozenset({Commitment.DEVELOPMENT_PLAN})
    assert assessment.recorded_outcome == RecordedOutcome(None)
    assert history.events[1] == Withdrawal(date(2024, 9, 1), "School closed")


def test_clarification_7_10_repeated_principles_and_commitments_collapse() -> None:
    document = minimal_history()
    assessment = document["events"][0]
    assessment["evidence"][0]["principles"] = ["inclusive_ethos", "raising_achievement"] * 2
    assessment["commitments"] = ["annual_visit", "annual_visit", "development_plan"]
    loaded = _first(_load(document))
    assert loaded.evidence[0].principles == {
        Principle.INCLUSIVE_ETHOS,
        Principle.RAISING_ACHIEVEMENT,
    }
    assert loaded.commitments == {Commitment.ANNUAL_VISIT, Commitment.DEVELOPMENT_PLAN}


@pytest.mark.parametrize("meetings", [None, "absent"])
def test_clarification_7_10_null_or_absent_meetings_count_as_zero(meetings: object) -> None:
    document = minimal_history()
    if meetings == "absent":
        del document["events"][0]["cluster_meetings_attended"]
    else:
        document["events"][0]["cluster_meetings_attended"] = meetings
    assert _first(_load(document)).cluster_meetings_attended == 0


def test_section_6_optional_keys_take_their_defaults() -> None:
    document = minimal_history()
    del document["events"][0]["recorded_outcome"]
    del document["events"][0]["evidence"][0]["summary"]
    del document["events"][1]["reason"]
    history = _load(document)
    assert _first(history).recorded_outcome is None
    assert _first(history).evidence[0].summary == ""
    assert history.events[1] == Withdrawal(date(2024, 9, 1))


def test_section_6_null_recorded_outcome_is_none_and_null_level_is_nothing_awarded() -> None:
    document = minimal_history()
    document["events"][0]["recorded_outcome"] = None
    assert _first(_load(document)).recorded_outcome is None
    document["events"][0]["recorded_outcome"] = {"awarded_level": "inclusive_school"}
    recorded = _first(_load(document)).recorded_outcome
    assert recorded == RecordedOutcome(Award.INCLUSIVE_SCHOOL)


def test_clarification_7_10_an_event_may_carry_its_own_school_id() -> None:
    document = minimal_history()
    for event in document["events"]:
        event["school_id"] = "URN-100001"
    history = _load(document)
    assert [event.school_id for event in history.events] == ["URN-100001"] * 2
    assert json.loads(dump_history(history))["events"][1]["school_id"] == "URN-100001"


def test_section_6_every_kind_of_source_reads_the_same(tmp_path: Path) -> None:
    text = json.dumps(minimal_history())
    path = tmp_path / "history.json"
    path.write_text(text, encoding="utf-8")
    expected = load_history(text)
    assert load_history(text.encode("utf-8")) == expected
    assert load_history(path) == expected
    assert load_history(minimal_history()) == expected


def test_section_6_dumps_are_canonical_json() -> None:
    text = example_text("flagship-journey")
    dumped = dump_history(load_history(text))
    data = json.loads(dumped)
    assert dumped == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert data["format"] == HISTORY_FORMAT


def test_section_6_sets_are_sorted_lists_and_judgements_an_object_by_element() -> None:
    document = minimal_history()
    document["events"][0]["evidence"][0]["principles"] = ["raising_achievement", "inclusive_ethos"]
    document["events"][0]["commitments"] = ["development_plan", "annual_visit"]
    dumped = json.loads(dump_history(_load(document)))["events"][0]
    assert dumped["evidence"][0]["principles"] == ["inclusive_ethos", "raising_achievement"]
    assert dumped["commitments"] == ["annual_visit", "development_plan"]
    assert dumped["judgements"] == {element.value: "established" for element in Element}
    assert dumped["type"] == "assessment"


def test_section_6_non_ascii_text_is_kept_as_is() -> None:
    document = minimal_history()
    document["school"]["name"] = "Ysgol Gymraeg Pen-y-Garth — Côr"
    assert "Ysgol Gymraeg Pen-y-Garth — Côr" in dump_history(_load(document))


@given(school_histories(max_events=3))
def test_section_6_history_round_trip(history: SchoolHistory) -> None:
    assert load_history(dump_history(history)) == history
    data = unstructure(history)
    assert "format" not in data
    assert structure(data, SchoolHistory) == history
    for event in history.events:
        assert structure(unstructure(event), type(event)) == event


@given(decisions() | field_decisions())
def test_section_6_decision_round_trip(decision: Decision) -> None:
    loaded = load_decision(dump_decision(decision))
    assert loaded == decision
    assert [f.missing for f in loaded.findings] == [f.missing for f in decision.findings]
    assert loaded.shortfalls() == decision.shortfalls()


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(status_reports() | field_status_reports())
def test_section_6_status_round_trip(report: StatusReport) -> None:
    assert load_status(dump_status(report)) == report


def test_section_6_decision_document_has_exactly_the_keys_of_decision_1() -> None:
    assessment = _first(load_history(example_text("first-award")))
    data = json.loads(dump_decision(decide(assessment)))
    assert set(data) == {
        "format",
        "assessment_id",
        "held_on",
        "level_sought",
        "awarded_level",
        "outcome",
        "policy_id",
        "findings",
        "ignored_evidence",
    }
    assert data["format"] == DECISION_FORMAT
    assert data["outcome"] == "granted"
    assert all(set(f) == {"rule", "level", "passed", "message"} for f in data["findings"])


def test_section_6_a_failing_finding_carries_what_to_fix() -> None:
    report = status(load_history(example_text("flagship-revoked")), date(2030, 1, 1))
    failing = [f for d in report.decisions for f in d.failing if f.missing is not None]
    assert failing
    data = json.loads(dump_status(report))
    written = [f for d in data["decisions"] for f in d["findings"] if not f["passed"]]
    assert [f["action"] for f in written] == [f.missing.action() for f in failing if f.missing]
    assert written[0]["missing"] == {
        "raise_to": [{"element": "parents_carers_guardians", "judgement": "embedded"}]
    }
    assert all(
        "missing" not in f and "action" not in f
        for d in data["decisions"]
        for f in d["findings"]
        if f["passed"]
    )


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        ({"action": 3}, "findings[0].action: must be text, got 3"),
        ({"missing": {"voice_kind": 1}}, "findings[0].missing.voice_kind: unknown key"),
        (
            {"missing": {"raise_to": [{"element": "curriculum"}]}},
            "findings[0].missing.raise_to[0].judgement: required key missing",
        ),
        (
            {"missing": {"raise_to": [{"element": "maths", "judgement": "embedded"}]}},
            "findings[0].missing.raise_to[0].element: must be one of inclusion_values",
        ),
        (
            {"missing": {"items_for_element": [{"element": "curriculum", "cnt": 1}]}},
            "findings[0].missing.items_for_element[0].cnt: unknown key; "
            "allowed keys: element, count",
        ),
    ],
)
def test_section_6_what_to_fix_is_read_strictly(finding: dict[str, object], expected: str) -> None:
    assessment = _first(load_history(example_text("first-award")))
    data = json.loads(dump_decision(decide(assessment)))
    data["findings"][0].update(finding)
    with pytest.raises(InvalidRecord) as raised:
        load_decision(data)
    assert str(raised.value).startswith(expected)


def test_section_6_the_action_line_is_recomputed_on_reading() -> None:
    assessment = _first(load_history(example_text("first-award")))
    data = json.loads(dump_decision(decide(assessment)))
    data["findings"][0].update(passed=False, action="anything", missing={"cluster_meetings": 2})
    loaded = load_decision(data)
    assert loaded.shortfalls()[0].action == "attend 2 more cluster meetings"


def test_section_6_fields_a_finding_gains_beyond_decision_1_stay_out_of_the_json() -> None:
    assessment = _first(_load(minimal_history()))
    decision = decide(assessment)
    assert any(
        getattr(f, name) is not None
        for f in decision.findings
        for name in attrs.fields_dict(Finding)
        if name not in ("rule", "level", "passed", "message")
    )
    loaded = load_decision(dump_decision(decision))
    assert [(f.rule, f.level, f.passed, f.message) for f in loaded.findings] == [
        (f.rule, f.level, f.passed, f.message) for f in decision.findings
    ]


def _report() -> StatusReport:
    decision = Decision(
        "A1", date(2024, 3, 10), Award.INCLUSIVE_SCHOOL, None, Outcome.REFUSED, "iqm-2025.1", [], []
    )
    return StatusReport(
        school_id="URN-100001",
        as_of=date(2024, 6, 1),
        policy_id="iqm-2025.1",
        level=Award.INCLUSIVE_SCHOOL,
        awards=[
            AwardStatus(
                Award.INCLUSIVE_SCHOOL,
                AwardState.ACTIVE,
                date(2023, 1, 5),
                date(2026, 1, 5),
                date(2026, 4, 5),
            ),
            AwardStatus(Award.CENTRE_OF_EXCELLENCE, AwardState.NOT_HELD),
            AwardStatus(Award.FLAGSHIP, AwardState.NOT_HELD),
        ],
        flagship_eligible_from=None,
        decisions=[decision],
    )


def test_section_6_status_document_keys_awards_by_award_and_decisions_have_no_format() -> None:
    data = json.loads(dump_status(_report()))
    assert data["format"] == STATUS_FORMAT
    assert data["awards"]["inclusive_school"] == {
        "state": "active",
        "since": "2023-01-05",
        "due": "2026-01-05",
        "lapses_on": "2026-04-05",
        "ended_on": None,
    }
    assert data["awards"]["flagship"]["state"] == "not_held"
    assert data["level"] == "inclusive_school"
    assert data["flagship_eligible_from"] is None
    assert "format" not in data["decisions"][0]
    assert data["decisions"][0]["awarded_level"] is None


def test_section_6_a_status_needs_one_entry_per_award_to_be_written() -> None:
    with pytest.raises(ValueError, match="awards: must hold one status per award"):
        dump_status(attrs.evolve(_report(), awards=_report().awards[:2]))
