"""Construction validates every single-record case of RULEBOOK §3, naming the bad field."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import HELD_ON, assessment, item
from iqm_rules import (
    Assessment,
    AssessmentKind,
    Award,
    Commitment,
    Element,
    EvidenceItem,
    InvalidRecord,
    Judgement,
    Principle,
    Prior,
    RecordedOutcome,
    School,
    SchoolHistory,
    Withdrawal,
)
from iqm_rules.testing import assessments, evidence_items, priors, school_histories

ALL_ESTABLISHED = dict.fromkeys(Element, Judgement.ESTABLISHED)


def raises_at(path: str, match: str = "") -> pytest.RaisesExc[InvalidRecord]:
    """Expect an InvalidRecord at exactly ``path`` whose message matches ``match``."""
    return pytest.raises(InvalidRecord, match=f"^{re.escape(path)}: .*{match}")


# Evidence items ---------------------------------------------------------------------------


def test_evidence_item_with_no_principle_is_invalid() -> None:
    with raises_at("principles", "at least one Principle"):
        item(principles=set())


@pytest.mark.parametrize("bad_id", ["", "   ", 7, None])
def test_evidence_id_must_be_non_empty_text(bad_id: object) -> None:
    with raises_at("id", "non-empty text"):
        item(id=bad_id)


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("element", "curriculum", "must be a Element"),
        ("kind", "pupil_voice", "must be a EvidenceKind"),
        ("collected_on", "2024-01-05", "must be a date"),
        ("collected_on", datetime(2024, 1, 5, 9, 0), "must be a date"),
        ("principles", {"inclusive_ethos"}, "members must be Principle"),
        ("summary", None, "must be text"),
    ],
)
def test_evidence_fields_name_what_is_allowed(field: str, value: object, allowed: str) -> None:
    with raises_at(field, allowed):
        item(**{field: value})


def test_repeated_principles_collapse() -> None:
    """§7.10: principles are a set."""
    repeated = item(principles=[Principle.INCLUSIVE_ETHOS, Principle.INCLUSIVE_ETHOS])
    assert repeated.principles == frozenset({Principle.INCLUSIVE_ETHOS})


# Assessments ------------------------------------------------------------------------------


def test_a_judgement_missing_for_an_element_is_invalid() -> None:
    partial = {e: j for e, j in ALL_ESTABLISHED.items() if e is not Element.CURRICULUM}
    with raises_at("judgements", "missing: curriculum"):
        assessment(judgements=partial)


def test_a_judgement_repeated_for_an_element_is_invalid() -> None:
    pairs = [*ALL_ESTABLISHED.items(), (Element.CURRICULUM, Judgement.EMBEDDED)]
    with raises_at("judgements[8]", "curriculum is judged more than once"):
        assessment(judgements=pairs)


def test_judgements_given_as_pairs_are_accepted() -> None:
    assert assessment(judgements=list(ALL_ESTABLISHED.items())).judgements == ALL_ESTABLISHED


def test_a_judgement_must_be_a_judgement() -> None:
    with raises_at("judgements.curriculum", "must be a Judgement"):
        assessment(judgements=ALL_ESTABLISHED | {Element.CURRICULUM: "embedded"})


def test_duplicate_evidence_ids_are_invalid() -> None:
    with raises_at("evidence[1].id", "duplicate evidence id 'E1'"):
        assessment(evidence=(item(), item(element=Element.CURRICULUM)))


def test_evidence_collected_after_held_on_is_invalid() -> None:
    late = item(id="E2", collected_on=date(2024, 3, 11))
    with raises_at("evidence[1].collected_on", "2024-03-11 is after held_on 2024-03-10"):
        assessment(evidence=(item(), late))


def test_evidence_collected_on_held_on_is_valid() -> None:
    assert assessment(evidence=(item(collected_on=HELD_ON),)).evidence[0].collected_on == HELD_ON


@pytest.mark.parametrize("meetings", [-1, 1.5, True, "2"])
def test_meeting_count_must_be_a_whole_number_not_below_zero(meetings: object) -> None:
    with raises_at("cluster_meetings_attended", "whole number ≥ 0"):
        assessment(cluster_meetings_attended=meetings)


def test_a_review_seeking_inclusive_school_is_invalid() -> None:
    with raises_at("level_sought", "a review seeks centre_of_excellence or flagship"):
        assessment(kind=AssessmentKind.REVIEW, level_sought=Award.INCLUSIVE_SCHOOL)


def test_an_assessment_id_must_be_non_empty() -> None:
    """§7.10: assessment ids must be non-empty too."""
    with raises_at("id", "non-empty text"):
        assessment(id="")


def test_commitments_collapse_and_must_be_commitments() -> None:
    twice = assessment(commitments=[Commitment.ANNUAL_VISIT, Commitment.ANNUAL_VISIT])
    assert twice.commitments == frozenset({Commitment.ANNUAL_VISIT})
    with raises_at("commitments", "members must be Commitment"):
        assessment(commitments={"annual_visit"})


def test_recorded_outcome_is_checked() -> None:
    assert assessment(recorded_outcome=RecordedOutcome(None)).recorded_outcome is not None
    with raises_at("awarded_level", "must be a Award"):
        RecordedOutcome("flagship")  # type: ignore[arg-type]
    with raises_at("recorded_outcome", "RecordedOutcome or None"):
        assessment(recorded_outcome={"awarded_level": "flagship"})


def test_an_empty_school_id_on_an_event_is_invalid() -> None:
    with raises_at("school_id", "non-empty text"):
        assessment(school_id="")
    with raises_at("school_id", "non-empty text"):
        Withdrawal(on=HELD_ON, school_id="")


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"judgements": 3}, "judgements"),
        ({"judgements": {"curriculum": Judgement.EMBEDDED}}, "judgements"),
        ({"judgements": [("curriculum",)]}, "judgements[0]"),
        ({"evidence": 3}, "evidence"),
        ({"evidence": ["E1"]}, "evidence[0]"),
        ({"held_on": "2024-03-10"}, "held_on"),
        ({"kind": "full"}, "kind"),
        ({"level_sought": 1}, "level_sought"),
    ],
)
def test_wrong_types_name_the_field(changes: dict[str, Any], path: str) -> None:
    with raises_at(path):
        assessment(**changes)


# Histories --------------------------------------------------------------------------------


def test_duplicate_assessment_ids_in_a_history_are_invalid() -> None:
    events = (assessment(), Withdrawal(on=date(2024, 5, 1)), assessment(held_on=date(2024, 6, 1)))
    with raises_at("events[2].id", r"duplicate assessment id 'A1' \(first used at events\[0\]\)"):
        SchoolHistory(School("URN-1", "Example Primary"), events)


def test_an_event_of_another_school_is_invalid() -> None:
    """§7.10: an event's school_id that differs from school.id."""
    events = (assessment(school_id="URN-1"), Withdrawal(on=HELD_ON, school_id="URN-2"))
    with raises_at("events[1].school_id", "event of another school: 'URN-2'"):
        SchoolHistory(School("URN-1", "Example Primary"), events)


def test_a_history_holds_only_events() -> None:
    with raises_at("events[0]", "Assessment or a Withdrawal"):
        SchoolHistory(School("URN-1", "Example Primary"), ("A1",))
    with raises_at("school", "must be a School"):
        SchoolHistory("URN-1", ())  # type: ignore[arg-type]
    with raises_at("events", "sequence"):
        SchoolHistory(School("URN-1", ""), 3)


def test_a_history_finds_an_assessment_by_id() -> None:
    history = SchoolHistory(School("URN-1", "Example Primary"), (assessment(),))
    assert history.assessment("A1").id == "A1"
    with pytest.raises(KeyError):
        history.assessment("A2")


# Priors -----------------------------------------------------------------------------------


def test_a_prior_follows_the_ladder_and_carries_coe_since_exactly_when_coe_is_held() -> None:
    with raises_at("held", "holding flagship needs centre_of_excellence"):
        Prior(held={Award.FLAGSHIP, Award.INCLUSIVE_SCHOOL}, coe_since=HELD_ON)
    with raises_at("coe_since", "needed"):
        Prior(held={Award.INCLUSIVE_SCHOOL, Award.CENTRE_OF_EXCELLENCE})
    with raises_at("coe_since", "must be None"):
        Prior(held={Award.INCLUSIVE_SCHOOL}, coe_since=HELD_ON)
    assert Prior().level is None
    assert Prior(held=Award.CENTRE_OF_EXCELLENCE.up_to(), coe_since=HELD_ON).level is (
        Award.CENTRE_OF_EXCELLENCE
    )


# attrs.evolve keeps validation -------------------------------------------------------------


@given(assessments())
def test_evolve_round_trips_an_assessment(valid: Assessment) -> None:
    assert attrs.evolve(valid) == valid
    with raises_at("cluster_meetings_attended"):
        attrs.evolve(valid, cluster_meetings_attended=-1)
    if valid.evidence:
        first = valid.evidence[0]
        late = attrs.evolve(first, collected_on=date(2100, 1, 1))
        with raises_at("evidence[0].collected_on", "is after held_on"):
            attrs.evolve(valid, evidence=(late, *valid.evidence[1:]))


@given(evidence_items())
def test_evolve_round_trips_an_evidence_item(valid: EvidenceItem) -> None:
    assert attrs.evolve(valid) == valid
    with raises_at("principles"):
        attrs.evolve(valid, principles=frozenset())


@given(school_histories())
def test_evolve_round_trips_a_history(valid: SchoolHistory) -> None:
    assert attrs.evolve(valid) == valid
    assessments_in = [e for e in valid.events if isinstance(e, Assessment)]
    if assessments_in:
        with raises_at(f"events[{len(valid.events)}].id", "duplicate assessment id"):
            attrs.evolve(valid, events=(*valid.events, assessments_in[0]))


@given(priors(), st.sampled_from([School("URN-9", "A"), Withdrawal(on=HELD_ON)]))
def test_evolve_round_trips_other_records(prior: Prior, other: School | Withdrawal) -> None:
    assert attrs.evolve(prior) == prior
    assert attrs.evolve(other) == other


def test_records_are_frozen_and_slotted() -> None:
    valid = assessment()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        valid.id = "A2"  # type: ignore[misc]
    assert not hasattr(valid, "__dict__")
