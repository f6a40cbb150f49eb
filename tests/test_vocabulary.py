"""The vocabulary of RULEBOOK §1: members, JSON values, titles and order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqm_rules import (
    AssessmentKind,
    Award,
    Commitment,
    Element,
    EvidenceKind,
    Judgement,
    Principle,
)
from iqm_rules._terms import Term

VOCABULARY: dict[type[Term], list[str]] = {
    Principle: [
        "raising_achievement",
        "environment_for_success",
        "inclusive_ethos",
        "access_and_diversity",
    ],
    Element: [
        "inclusion_values",
        "leadership_management_accountability",
        "curriculum",
        "teaching_and_learning",
        "assessment",
        "behaviour_attitudes_personal_development",
        "parents_carers_guardians",
        "community_links",
    ],
    Judgement: ["not_evidenced", "developing", "established", "embedded"],
    EvidenceKind: [
        "document",
        "observation",
        "data",
        "external_report",
        "pupil_voice",
        "parent_voice",
        "staff_voice",
        "governor_voice",
    ],
    Commitment: [
        "cluster_membership",
        "development_plan",
        "dissemination",
        "classroom_research",
        "annual_visit",
        "annual_update",
        "research_project_outline",
        "supports_other_schools",
    ],
    Award: ["inclusive_school", "centre_of_excellence", "flagship"],
    AssessmentKind: ["full", "review"],
}


@pytest.mark.parametrize(("kind", "values"), VOCABULARY.items())
def test_members_and_json_values_follow_the_rulebook(kind: type[Term], values: list[str]) -> None:
    assert [member.value for member in kind] == values
    assert all(member.title and member.title[0].isupper() for member in kind)


@pytest.mark.parametrize("kind", VOCABULARY)
def test_parse_round_trips_and_lists_allowed_values(kind: type[Term]) -> None:
    for member in kind:
        assert kind.parse(member.value) is member
        assert kind.parse(member) is member
        assert str(member) == member.value
    with pytest.raises(ValueError, match=kind.allowed().split(",")[0]):
        kind.parse("nonsense")


def test_judgements_are_ordered_weakest_first() -> None:
    assert (
        Judgement.NOT_EVIDENCED < Judgement.DEVELOPING < Judgement.ESTABLISHED < Judgement.EMBEDDED
    )
    assert max(Judgement) is Judgement.EMBEDDED


def test_award_levels_are_ordered_and_numbered() -> None:
    assert [a.level for a in Award] == [1, 2, 3]
    assert Award.INCLUSIVE_SCHOOL < Award.CENTRE_OF_EXCELLENCE < Award.FLAGSHIP
    assert Award.FLAGSHIP.up_to() == tuple(Award)
    assert Award.INCLUSIVE_SCHOOL.below is None
    assert Award.FLAGSHIP.below is Award.CENTRE_OF_EXCELLENCE


def test_exactly_four_evidence_kinds_are_voices() -> None:
    assert {k.value for k in EvidenceKind.voices()} == {
        "pupil_voice",
        "parent_voice",
        "staff_voice",
        "governor_voice",
    }


@given(st.sampled_from(Judgement), st.sampled_from(Judgement))
def test_judgement_order_is_total_and_matches_rank(a: Judgement, b: Judgement) -> None:
    assert (a < b) == (a.rank < b.rank)
    assert (a <= b) == (a.rank <= b.rank)
    assert (a > b) == (a.rank > b.rank)
    assert (a >= b) == (a.rank >= b.rank)


def test_different_vocabularies_do_not_compare() -> None:
    with pytest.raises(TypeError):
        assert Award.FLAGSHIP < Judgement.EMBEDDED
    assert Award.FLAGSHIP.value == "flagship"
