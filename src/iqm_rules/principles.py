"""The four principles and the eight elements of the IQM evaluative framework (RULEBOOK §1)."""

from __future__ import annotations

from iqm_rules._terms import Term

__all__ = ["Element", "Principle"]


class Principle(Term):
    """One of the four principles every piece of evidence supports."""

    RAISING_ACHIEVEMENT = ("raising_achievement", "Raising achievement for everyone")
    ENVIRONMENT_FOR_SUCCESS = (
        "environment_for_success",
        "An environment where everyone can succeed",
    )
    INCLUSIVE_ETHOS = ("inclusive_ethos", "Advancing the inclusive nature of the school")
    ACCESS_AND_DIVERSITY = ("access_and_diversity", "Promoting full access and diversity")


class Element(Term):
    """One of the eight elements of the framework, in framework order."""

    INCLUSION_VALUES = ("inclusion_values", "Inclusion values")
    LEADERSHIP_MANAGEMENT_ACCOUNTABILITY = (
        "leadership_management_accountability",
        "Leadership, management and accountability",
    )
    CURRICULUM = ("curriculum", "Curriculum (structure, pupil engagement, adaptation)")
    TEACHING_AND_LEARNING = (
        "teaching_and_learning",
        "Teaching and learning (environment, planning, resources, pedagogy)",
    )
    ASSESSMENT = ("assessment", "Assessment")
    BEHAVIOUR_ATTITUDES_PERSONAL_DEVELOPMENT = (
        "behaviour_attitudes_personal_development",
        "Behaviour, attitudes and personal development",
    )
    PARENTS_CARERS_GUARDIANS = ("parents_carers_guardians", "Parents, carers and guardians")
    COMMUNITY_LINKS = ("community_links", "Community links (local, wider and global)")
