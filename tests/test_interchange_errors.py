"""Every way a history document can be wrong comes out as one InvalidRecord with a JSON path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from builders import mutate
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_decision, load_history, load_status
from strategies import json_values, minimal_history, paths_in

Mutation = Callable[[dict[str, Any]], object]


def _problem(source: str | bytes | dict[str, Any]) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        load_history(source)
    return caught.value


def _mutated(mutate: Mutation) -> str:
    document = minimal_history()
    mutate(document)
    return json.dumps(document)


def _assessment(document: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = document["events"][0]
    return event


def _item(document: dict[str, Any], index: int = 0) -> dict[str, Any]:
    item: dict[str, Any] = _assessment(document)["evidence"][index]
    return item


def test_section_6_the_minimal_document_is_valid() -> None:
    assert len(load_history(_mutated(lambda d: None)).events) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "iqm-rules/history@1",\n "school": }', "line 2, column 12"),
        ("", "at column 1:"),
        ('{"a": 1,}', "at column 9:"),
        ("[1, 2", "at column 6:"),
        ('{"a": }\n', "at column 7:"),
    ],
)
def test_section_6_malformed_json_names_line_and_column_or_the_column_of_one_line(
    text: str, message: str
) -> None:
    error = _problem(text)
    assert error.path == ""
    assert error.problem.startswith("malformed JSON at ")
    assert message in error.problem


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_section_6_non_json_numbers_are_refused(constant: str) -> None:
    text = _mutated(lambda d: None).replace('"cluster_meetings_attended": 1', f'"x": {constant}')
    assert f"{constant} is not a JSON number" in str(_problem(text))


def test_section_6_bytes_must_be_utf8() -> None:
    assert "not UTF-8 text (byte 0)" in str(_problem(b"\xff{}"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "a history document must be a JSON object, got an array"),
        ('"history"', 'a history document must be a JSON object, got "history"'),
        ("{}", 'format: required key missing; allowed: "iqm-rules/history@1"'),
        ('{"format": "iqm-rules/history@2"}', 'format: must be "iqm-rules/history@1", got '),
        ('{"format": "iqm-rules/decision@1"}', 'got "iqm-rules/decision@1"'),
        ('{"format": 1}', 'format: must be "iqm-rules/history@1", got 1'),
    ],
)
def test_section_6_top_level_and_format(text: str, message: str) -> None:
    assert message in str(_problem(text))


CASES: list[tuple[str, Mutation, str]] = [
    # wrong types
    (
        "text_for_number",
        lambda d: _item(d).update(summary=5),
        "events[0].evidence[0].summary: must be text, got 5",
    ),
    (
        "bool_for_count",
        lambda d: _assessment(d).update(cluster_meetings_attended=True),
        "events[0].cluster_meetings_attended: must be a whole number, got true",
    ),
    (
        "fraction_for_count",
        lambda d: _assessment(d).update(cluster_meetings_attended=2.5),
        "events[0].cluster_meetings_attended: must be a whole number, got 2.5",
    ),
    (
        "text_for_count",
        lambda d: _assessment(d).update(cluster_meetings_attended="2"),
        'events[0].cluster_meetings_attended: must be a whole number, got "2"',
    ),
    (
        "null_school_name",
        lambda d: d["school"].update(name=None),
        "school.name: must be text, got null",
    ),
    (
        "object_for_array",
        lambda d: d.update(events={}),
        "events: must be an array, got an object",
    ),
    (
        "text_for_set",
        lambda d: _item(d).update(principles="raising_achievement"),
        'events[0].evidence[0].principles: must be an array, got "raising_achievement"',
    ),
    (
        "array_for_object",
        lambda d: d.update(school=["URN-1"]),
        "school: must be an object, got an array",
    ),
    (
        "array_for_judgements",
        lambda d: _assessment(d).update(judgements=[]),
        "events[0].judgements: must be an object, got an array",
    ),
    (
        "number_for_event",
        lambda d: d["events"].append(3),
        "events[2]: must be an object, got 3",
    ),
    # unknown vocabulary: the allowed values are listed
    (
        "unknown_evidence_kind",
        lambda d: _item(d).update(kind="interview"),
        "events[0].evidence[0].kind: must be one of document, observation, data, "
        "external_report, pupil_voice, parent_voice, staff_voice, governor_voice, "
        'got "interview"',
    ),
    (
        "unknown_judgement",
        lambda d: _assessment(d)["judgements"].update(curriculum="outstanding"),
        "events[0].judgements.curriculum: must be one of not_evidenced, developing, "
        'established, embedded, got "outstanding"',
    ),
    (
        "unknown_element_key",
        lambda d: _assessment(d)["judgements"].update(maths="embedded"),
        "events[0].judgements.maths: must be one of inclusion_values, ",
    ),
    (
        "unknown_principle",
        lambda d: _item(d, 1).update(principles=["raising_achievement", "kindness"]),
        "events[0].evidence[1].principles[1]: must be one of raising_achievement, "
        'environment_for_success, inclusive_ethos, access_and_diversity, got "kindness"',
    ),
    (
        "unknown_commitment",
        lambda d: _assessment(d).update(commitments=["development_plan", "newsletter"]),
        'events[0].commitments[1]: must be one of cluster_membership, development_plan, dissemination, classroom_research, annual_visit, annual_update, research_project_outline, supports_other_schools, got "newsletter"',  # noqa: E501
    ),
    (
        "unknown_kind",
        lambda d: _assessment(d).update(kind="interim"),
        'events[0].kind: must be one of full, review, got "interim"',
    ),
    (
        "unknown_award",
        lambda d: _assessment(d).update(level_sought="gold"),
        "events[0].level_sought: must be one of inclusive_school, centre_of_excellence, "
        'flagship, got "gold"',
    ),
    (
        "unknown_recorded_level",
        lambda d: _assessment(d).update(recorded_outcome={"awarded_level": "gold"}),
        "events[0].recorded_outcome.awarded_level: must be null or one of inclusive_school, "
        'centre_of_excellence, flagship, got "gold"',
    ),
    (
        "unknown_event_type",
        lambda d: d["events"][1].update(type="closure"),
        'events[1].type: must be one of assessment, withdrawal, got "closure"',
    ),
    # dates
    (
        "impossible_date",
        lambda d: _item(d).update(collected_on="2023-02-29"),
        "events[0].evidence[0].collected_on: 2023-02-29 is not a calendar date",
    ),
    (
        "impossible_month",
        lambda d: _assessment(d).update(held_on="2024-13-01"),
        "events[0].held_on: 2024-13-01 is not a calendar date",
    ),
    (
        "basic_date_form",
        lambda d: _item(d).update(collected_on="20240101"),
        'events[0].evidence[0].collected_on: must be a date written YYYY-MM-DD, got "20240101"',
    ),
    (
        "unpadded_date",
        lambda d: d["events"][1].update(on="2024-9-01"),
        'events[1].on: must be a date written YYYY-MM-DD, got "2024-9-01"',
    ),
    (
        "date_with_time",
        lambda d: _assessment(d).update(held_on="2024-03-10T09:00:00"),
        'events[0].held_on: must be a date written YYYY-MM-DD, got "2024-03-10T09:00:00"',
    ),
    (
        "week_date",
        lambda d: _assessment(d).update(held_on="2024-W10-7"),
        'events[0].held_on: must be a date written YYYY-MM-DD, got "2024-W10-7"',
    ),
    (
        "number_date",
        lambda d: _assessment(d).update(held_on=20240310),
        "events[0].held_on: must be a date written YYYY-MM-DD, got 20240310",
    ),
    # missing keys
    ("missing_school", lambda d: d.pop("school"), "school: required key missing"),
    ("missing_events", lambda d: d.pop("events"), "events: required key missing"),
    ("missing_school_id", lambda d: d["school"].pop("id"), "school.id: required key missing"),
    (
        "missing_held_on",
        lambda d: _assessment(d).pop("held_on"),
        "events[0].held_on: required key missing",
    ),
    (
        "missing_principles",
        lambda d: _item(d, 1).pop("principles"),
        "events[0].evidence[1].principles: required key missing",
    ),
    (
        "missing_evidence",
        lambda d: _assessment(d).pop("evidence"),
        "events[0].evidence: required key missing",
    ),
    (
        "missing_commitments",
        lambda d: _assessment(d).pop("commitments"),
        "events[0].commitments: required key missing",
    ),
    (
        "missing_awarded_level",
        lambda d: _assessment(d).update(recorded_outcome={}),
        "events[0].recorded_outcome.awarded_level: required key missing",
    ),
    (
        "missing_type",
        lambda d: d["events"][1].pop("type"),
        "events[1].type: required key missing; allowed: assessment, withdrawal",
    ),
    ("missing_on", lambda d: d["events"][1].pop("on"), "events[1].on: required key missing"),
    # unknown keys (§7.10)
    (
        "clarification_7_10_misspelt_key",
        lambda d: _assessment(d).update(evidnce=[]),
        "events[0].evidnce: unknown key (§7.10); allowed keys: type, id, held_on, kind, "
        "level_sought, judgements, evidence, commitments, cluster_meetings_attended, "
        "recorded_outcome, school_id",
    ),
    (
        "clarification_7_10_unknown_top_level_key",
        lambda d: d.update(generated_by="tool"),
        "generated_by: unknown key (§7.10); allowed keys: school, events",
    ),
    (
        "clarification_7_10_unknown_evidence_key",
        lambda d: _item(d).update(notes="x"),
        "events[0].evidence[0].notes: unknown key (§7.10); allowed keys: id, element, "
        "principles, kind, collected_on, summary",
    ),
    (
        "clarification_7_10_unknown_school_key",
        lambda d: d["school"].update(urn=100001),
        "school.urn: unknown key (§7.10); allowed keys: id, name",
    ),
    (
        "clarification_7_10_unknown_withdrawal_key",
        lambda d: d["events"][1].update(held_on="2024-09-01"),
        "events[1].held_on: unknown key (§7.10); allowed keys: type, on, reason, school_id",
    ),
    # RULEBOOK §3 validation seen through JSON
    (
        "section_3_judgement_missing",
        lambda d: _assessment(d)["judgements"].pop("community_links"),
        "events[0].judgements: exactly one judgement per element is needed; "
        "missing: community_links",
    ),
    (
        "section_3_duplicate_evidence_id",
        lambda d: _item(d, 1).update(id="E1"),
        "events[0].evidence[1].id: duplicate evidence id 'E1'",
    ),
    (
        "section_3_duplicate_assessment_id",
        lambda d: d["events"].append(copy_of_assessment(d)),
        "events[2].id: duplicate assessment id 'A1' (first used at events[0])",
    ),
    (
        "section_3_evidence_without_principle",
        lambda d: _item(d, 1).update(principles=[]),
        "events[0].evidence[1].principles: must name at least one Principle",
    ),
    (
        "section_3_evidence_after_held_on",
        lambda d: _item(d, 1).update(collected_on="2024-03-11"),
        "events[0].evidence[1].collected_on: 2024-03-11 is after held_on 2024-03-10",
    ),
    (
        "section_3_negative_meetings",
        lambda d: _assessment(d).update(cluster_meetings_attended=-1),
        "events[0].cluster_meetings_attended: must be a whole number ≥ 0, got -1",
    ),
    (
        "section_3_review_seeking_inclusive_school",
        lambda d: _assessment(d).update(kind="review"),
        "events[0].level_sought: a review seeks centre_of_excellence or flagship, "
        "got inclusive_school",
    ),
    (
        "clarification_7_10_event_of_another_school",
        lambda d: d["events"][1].update(school_id="URN-999999"),
        "events[1].school_id: event of another school: 'URN-999999', "
        "this history is of 'URN-100001'",
    ),
    (
        "clarification_7_10_empty_evidence_id",
        lambda d: _item(d, 1).update(id=""),
        "events[0].evidence[1].id: must be non-empty text",
    ),
    (
        "clarification_7_10_blank_assessment_id",
        lambda d: _assessment(d).update(id="  "),
        "events[0].id: must be non-empty text",
    ),
    (
        "empty_school_id",
        lambda d: d["school"].update(id=""),
        "school.id: must be non-empty text",
    ),
    (
        "empty_event_school_id",
        lambda d: _assessment(d).update(school_id=""),
        "events[0].school_id: must be non-empty text",
    ),
]


def copy_of_assessment(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(_assessment(document)))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=name) for name, mutate, message in CASES],
)
def test_every_bad_input_names_its_path_and_what_is_allowed(mutate: Mutation, message: str) -> None:
    error = _problem(_mutated(mutate))
    assert str(error).startswith(message)
    assert error.__cause__ is None
    assert error.__suppress_context__


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=name) for name, mutate, message in CASES],
)
def test_parsed_data_gives_the_same_errors_as_text(mutate: Mutation, message: str) -> None:
    assert str(_problem(json.loads(_mutated(mutate)))).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "iqm-rules/history@1", "format": "x"}', "format: repeated key"),
        (
            _mutated(lambda d: None).replace(
                '"curriculum": "established"',
                '"curriculum": "established", "curriculum": "embedded"',
            ),
            "events[0].judgements.curriculum: repeated key",
        ),
        (
            _mutated(lambda d: None).replace('"id": "E2"', '"id": "E2", "id": "E3"'),
            "events[0].evidence[1].id: repeated key",
        ),
    ],
    ids=["top_level", "section_3_judgement_repeated", "evidence_id"],
)
def test_section_6_repeated_json_keys_are_errors_not_last_wins(text: str, message: str) -> None:
    assert str(_problem(text)).startswith(message)


def test_the_first_problem_in_document_order_is_raised_with_the_others_as_notes() -> None:
    document = minimal_history()
    item = _item(document, 1)
    rest = {k: v for k, v in item.items() if k not in ("id", "collected_on")}
    reordered = {"collected_on": "2024-02-30", **rest}
    reordered["id"] = ""
    _assessment(document)["evidence"][1] = reordered
    document["events"][1]["on"] = "soon"
    error = _problem(json.dumps(document))
    assert str(error) == "events[0].evidence[1].collected_on: 2024-02-30 is not a calendar date"
    assert error.__notes__ == ['also: events[1].on: must be a date written YYYY-MM-DD, got "soon"']


def test_a_missing_key_sorts_after_the_keys_present_in_its_object() -> None:
    document = minimal_history()
    del _assessment(document)["held_on"]
    _assessment(document)["recorded_outcome"] = {"awarded_level": 1}
    error = _problem(json.dumps(document))
    assert error.path == "events[0].recorded_outcome.awarded_level"
    assert error.__notes__ == ["also: events[0].held_on: required key missing"]


def test_section_6_numbers_too_long_for_python_are_refused_cleanly() -> None:
    assert str(_problem('{"format": ' + "9" * 5000 + "}")) == (
        "format: a number written with more than 400 digits is too large"
    )
    document = minimal_history()
    document["school"]["name"] = 10**5000
    assert str(_problem(document)) == "school.name: must be text, got a number too long to show"


def test_parsed_data_must_hold_json_values_only() -> None:
    document: dict[Any, Any] = minimal_history()
    document["events"][1]["on"] = date(2024, 9, 1)
    document[None] = 1
    error = _problem(document)
    assert str(error) == "events[1].on: must be a date written YYYY-MM-DD, got a Python date"
    assert len(error.__notes__) == 1
    assert error.__notes__[0].startswith('also: ["None"]: unknown key (§7.10)')


def test_keys_that_are_not_identifiers_are_quoted_in_paths() -> None:
    error = _problem(_mutated(lambda d: d["school"].update({"the urn": 1})))
    assert error.path == 'school["the urn"]'


@pytest.mark.parametrize(
    ("load", "text", "message"),
    [
        (
            load_decision,
            '{"format": "iqm-rules/history@1"}',
            'format: must be "iqm-rules/decision@1", got "iqm-rules/history@1"',
        ),
        (load_status, "{}", 'format: required key missing; allowed: "iqm-rules/status@1"'),
        (
            load_status,
            '{"format": "iqm-rules/status@1", "school_id": "U", "as_of": "2024-01-01", '
            '"policy_id": "p", "level": null, "flagship_eligible_from": null, "decisions": [], '
            '"awards": {"gold": {}}}',
            "awards.gold: unknown award; allowed: inclusive_school, centre_of_excellence, flagship",
        ),
        (
            load_status,
            '{"format": "iqm-rules/status@1", "school_id": "U", "as_of": "2024-01-01", '
            '"policy_id": "p", "level": null, "flagship_eligible_from": null, "decisions": [], '
            '"awards": {"inclusive_school": {"award": "flagship"}}}',
            "awards.inclusive_school.award: unknown key (§7.10); allowed keys: state, since",
        ),
    ],
)
def test_decision_and_status_documents_are_read_as_strictly(
    load: Callable[[str], object], text: str, message: str
) -> None:
    with pytest.raises(InvalidRecord) as caught:
        load(text)
    assert str(caught.value).startswith(message)


def _is_clean(error: InvalidRecord) -> bool:
    return type(error) is InvalidRecord and error.__cause__ is None


def _raised(load: Callable[[Any], object], source: Any) -> InvalidRecord | None:
    """The error ``load`` raised, or ``None``; anything but an InvalidRecord escapes."""
    try:
        load(source)
    except InvalidRecord as error:
        return error
    return None


REACHED = ("read", "", "format", "school", "events")
"""Where a garbage document may stop: read, the document itself, or one of its keys."""


@given(json_values(), st.sampled_from(["as drawn", "with the format", "in a minimal history"]))
def test_section_6_garbage_raises_only_invalid_record(value: Any, where: str) -> None:
    """Garbage as a whole document, past the ``format`` check, and in place of a record."""
    document: Any = value
    if where == "with the format":
        document = {**value, "format": "iqm-rules/history@1"} if isinstance(value, dict) else value
    elif where == "in a minimal history":
        document = minimal_history()
        document["events"][0] = value
    for source in (json.dumps(document), document if isinstance(document, dict) else None):
        if source is None:
            continue
        error = _raised(load_history, source)
        assert error is None or _is_clean(error)
        reached = "read" if error is None else re.split(r"[.\[]", error.path)[0]
        event(f"{where}: {(reached or 'the document') if reached in REACHED else 'an unknown key'}")


@given(st.text(max_size=40) | st.binary(max_size=40))
def test_section_6_garbage_text_raises_only_invalid_record(text: str | bytes) -> None:
    with pytest.raises(InvalidRecord) as caught:
        load_history(text)
    assert _is_clean(caught.value)


@given(st.data(), json_values(max_leaves=4), st.booleans())
def test_section_6_mutated_documents_raise_only_invalid_record(
    data: st.DataObject, value: Any, delete: bool
) -> None:
    document = minimal_history()
    path = data.draw(st.sampled_from(paths_in(document)[1:]))
    if delete:
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]
    else:
        mutate(document, path, value)
    error = _raised(load_history, json.dumps(document))
    assert error is None or _is_clean(error)
    assert error is None or not error.path.startswith((".", "["))


@given(json_values())
def test_decision_and_status_garbage_raises_only_invalid_record(value: Any) -> None:
    for load, form in ((load_decision, "decision"), (load_status, "status")):
        if isinstance(value, dict):
            value = {**value, "format": f"iqm-rules/{form}@1"}
        with pytest.raises(InvalidRecord) as caught:
            load(json.dumps(value))
        assert _is_clean(caught.value)


def test_section_6_missing_keys_are_reported_with_the_other_problems_of_their_object() -> None:
    document = minimal_history()
    del _assessment(document)["evidence"]
    _assessment(document)["kind"] = "interim"
    error = _problem(document)
    assert str(error).startswith('events[0].kind: must be one of full, review, got "interim"')
    assert error.__notes__ == ["also: events[0].evidence: required key missing"]


def test_section_6_a_source_must_be_text_bytes_a_path_or_a_mapping() -> None:
    with pytest.raises(InvalidRecord, match="expected JSON text, a path or a mapping, got 5"):
        load_history(5)  # type: ignore[arg-type]


def test_section_6_nesting_deeper_than_python_can_read_is_refused() -> None:
    assert (
        str(_problem("[" * 100_000))
        == "[0][0][0][0][0][0]…[0][0][0]: nested more than 256 levels deep"
    )


_DECISION = (
    '{"format": "iqm-rules/decision@1", "assessment_id": "A1", "held_on": "2024-03-10", '
    '"level_sought": "inclusive_school", "awarded_level": null, "outcome": "refused", '
    '"policy_id": "iqm-2025.1", "ignored_evidence": [], "findings": '
    '[{"rule": "EV-1", "level": "inclusive_school", "passed": PASSED, "message": "m"}]}'
)


@pytest.mark.parametrize(
    ("passed", "message"),
    [
        ('"yes"', 'findings[0].passed: must be true or false, got "yes"'),
        ("1", "findings[0].passed: must be true or false, got 1"),
        (
            'false, "shortfall": null',
            "findings[0].shortfall: unknown key (§7.10); "
            "allowed keys: rule, level, passed, message, missing, action",
        ),
    ],
)
def test_section_6_decision_findings_have_only_their_keys(passed: str, message: str) -> None:
    with pytest.raises(InvalidRecord) as caught:
        load_decision(_DECISION.replace("PASSED", passed))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ('"2023-02-29"', "awards.flagship.since: 2023-02-29 is not a calendar date"),
        ("3", "awards.flagship.since: must be null or a date written YYYY-MM-DD, got 3"),
    ],
)
def test_section_6_status_dates_may_be_null_but_not_wrong(since: str, message: str) -> None:
    held = '{"state": "not_held", "since": null, "due": null, "lapses_on": null, "ended_on": null}'
    flagship = held.replace('"since": null', f'"since": {since}')
    text = (
        '{"format": "iqm-rules/status@1", "school_id": "U", "as_of": "2024-01-01", '
        '"policy_id": "p", "level": null, "flagship_eligible_from": null, "decisions": [], '
        f'"awards": {{"inclusive_school": {held}, "centre_of_excellence": {held}, '
        f'"flagship": {flagship}}}}}'
    )
    with pytest.raises(InvalidRecord) as caught:
        load_status(text)
    assert str(caught.value) == message
