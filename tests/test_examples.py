"""The bundled example histories: realistic, valid, and decided as they record (RULEBOOK §3, §4)."""

from __future__ import annotations

from datetime import date

import pytest

from iqm_rules import Assessment, Award, AwardState, SchoolHistory
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.replay import status

NAMES = (
    "coe-lapsed",
    "first-award",
    "flagship-journey",
    "flagship-revoked",
    "inclusive-to-coe",
    "withdrawn-and-reawarded",
)


def _history(name: str) -> SchoolHistory:
    return load_history(example_text(name))


def _assessments(history: SchoolHistory) -> list[Assessment]:
    return [event for event in history.events if isinstance(event, Assessment)]


def test_the_six_journeys_are_bundled() -> None:
    assert examples() == NAMES


def test_an_unknown_example_lists_the_names() -> None:
    with pytest.raises(InvalidRecord, match="example: must be one of coe-lapsed, first-award"):
        example_text("flagship")


@pytest.mark.parametrize("name", NAMES)
def test_section_1_examples_carry_realistic_evidence(name: str) -> None:
    history = _history(name)
    assert history.school.id.startswith("URN-")
    for assessment in _assessments(history):
        assert 15 <= len(assessment.evidence) <= 40
        assert {item.element for item in assessment.evidence} == set(assessment.judgements)
        assert all(item.summary for item in assessment.evidence)
        assert assessment.recorded_outcome is not None


@pytest.mark.parametrize("name", NAMES)
def test_LC_1_recorded_outcomes_are_what_the_rules_decide(name: str) -> None:
    history = _history(name)
    report = status(history, date(2030, 1, 1))
    recorded = {
        a.id: a.recorded_outcome.awarded_level if a.recorded_outcome else None
        for a in _assessments(history)
    }
    decided = {d.assessment_id: d.awarded_level for d in report.decisions}
    assert decided == recorded


def _state(name: str, as_of: date, award: Award) -> tuple[AwardState, date | None, date | None]:
    found = status(_history(name), as_of).award(award)
    return found.state, found.since, found.ended_on


def test_first_award_holds_inclusive_school() -> None:
    report = status(_history("first-award"), date(2024, 6, 1))
    assert report.level is Award.INCLUSIVE_SCHOOL
    assert report.award(Award.INCLUSIVE_SCHOOL).due == date(2027, 3, 12)


def test_inclusive_to_coe_moves_up_a_level_keeping_inclusive_school_continuity() -> None:
    assert status(_history("inclusive-to-coe"), date(2022, 6, 1)).level is Award.INCLUSIVE_SCHOOL
    report = status(_history("inclusive-to-coe"), date(2024, 9, 1))
    assert report.level is Award.CENTRE_OF_EXCELLENCE
    assert report.award(Award.INCLUSIVE_SCHOOL).since == date(2021, 11, 18)
    assert report.award(Award.CENTRE_OF_EXCELLENCE).since == date(2023, 6, 14)
    assert report.decisions[1].ignored_evidence == ("RS-2023-01-E27", "RS-2023-01-E28")


def test_FS_4_flagship_journey_holds_flagship_on_2025_09_01() -> None:
    report = status(_history("flagship-journey"), date(2025, 9, 1))
    assert report.level is Award.FLAGSHIP
    assert _state("flagship-journey", date(2025, 9, 1), Award.FLAGSHIP) == (
        AwardState.ACTIVE,
        date(2024, 7, 1),
        None,
    )
    assert report.flagship_eligible_from == date(2024, 7, 1)
    assert status(_history("flagship-journey"), date(2024, 6, 30)).level is (
        Award.CENTRE_OF_EXCELLENCE
    )


def test_LC_4_coe_lapsed_after_a_missed_review() -> None:
    assert _state("coe-lapsed", date(2024, 9, 1), Award.CENTRE_OF_EXCELLENCE) == (
        AwardState.LAPSED,
        date(2022, 5, 10),
        date(2024, 8, 10),
    )
    assert status(_history("coe-lapsed"), date(2024, 9, 1)).level is Award.INCLUSIVE_SCHOOL


def test_LC_3_flagship_revoked_back_to_centre_of_excellence() -> None:
    assert _state("flagship-revoked", date(2023, 8, 1), Award.FLAGSHIP)[0].is_held
    assert _state("flagship-revoked", date(2023, 10, 1), Award.FLAGSHIP) == (
        AwardState.REVOKED,
        date(2022, 9, 13),
        date(2023, 9, 5),
    )
    report = status(_history("flagship-revoked"), date(2023, 10, 1))
    assert report.level is Award.CENTRE_OF_EXCELLENCE
    assert report.decisions[-1].finding("FS-1").passed is False


def test_LC_6_withdrawn_and_reawarded_starts_a_new_continuity() -> None:
    assert _state("withdrawn-and-reawarded", date(2020, 1, 1), Award.INCLUSIVE_SCHOOL) == (
        AwardState.WITHDRAWN,
        date(2018, 3, 15),
        date(2019, 7, 19),
    )
    assert _state("withdrawn-and-reawarded", date(2021, 6, 1), Award.INCLUSIVE_SCHOOL) == (
        AwardState.ACTIVE,
        date(2021, 2, 24),
        None,
    )
