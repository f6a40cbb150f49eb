"""Award eligibility and renewals of the Inclusion Quality Mark, rule by rule.

>>> from iqm_rules import Award, Judgement
>>> Award.FLAGSHIP > Award.CENTRE_OF_EXCELLENCE and Judgement.EMBEDDED > Judgement.ESTABLISHED
True
"""

from iqm_rules.assessment import (
    Assessment,
    AssessmentKind,
    Commitment,
    Judgement,
    RecordedOutcome,
)
from iqm_rules.awards import Award
from iqm_rules.decision import Decision, Finding, Outcome, Prior
from iqm_rules.errors import InvalidPolicy, InvalidRecord, IQMRulesError
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import School, SchoolHistory, Withdrawal
from iqm_rules.lifecycle import AwardState, AwardStatus, StatusReport
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "DEFAULT_POLICY",
    "Assessment",
    "AssessmentKind",
    "Award",
    "AwardState",
    "AwardStatus",
    "Commitment",
    "Decision",
    "Element",
    "EvidenceItem",
    "EvidenceKind",
    "Finding",
    "FlagshipBoundary",
    "IQMRulesError",
    "InvalidPolicy",
    "InvalidRecord",
    "Judgement",
    "Outcome",
    "Policy",
    "PolicyBook",
    "Principle",
    "Prior",
    "RecordedOutcome",
    "School",
    "SchoolHistory",
    "StatusReport",
    "Withdrawal",
]
