"""Award eligibility and renewals of the Inclusion Quality Mark, rule by rule.

The public API: the vocabulary and records of RULEBOOK §1, the policy of §2, :func:`decide` for
one assessment (§3), :func:`status`, :func:`timeline` and :func:`upcoming` over time (§4),
:func:`audit` of recorded outcomes, and the JSON interchange of §6.

>>> from iqm_rules import Award, Judgement, rules
>>> Award.FLAGSHIP > Award.CENTRE_OF_EXCELLENCE and Judgement.EMBEDDED > Judgement.ESTABLISHED
True
>>> len(rules())
10
"""

from typing import TYPE_CHECKING, Any

from iqm_rules.assessment import (
    Assessment,
    AssessmentKind,
    Commitment,
    Judgement,
    RecordedOutcome,
)
from iqm_rules.audit import AuditResult, Disagreement, audit
from iqm_rules.awards import Award
from iqm_rules.decision import Decision, Finding, Outcome, decide
from iqm_rules.errors import InvalidPolicy, InvalidRecord, IQMRulesError
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.examples import example_text, examples
from iqm_rules.facts import Prior
from iqm_rules.history import School, SchoolHistory, Withdrawal
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_policy,
    dump_status,
    load_decision,
    load_history,
    load_policy,
    load_status,
    schema,
)
from iqm_rules.lifecycle import (
    AwardState,
    AwardStatus,
    Change,
    ChangeKind,
    Replay,
    StatusReport,
    Upcoming,
    replay,
    status,
    timeline,
    upcoming,
)
from iqm_rules.lifecycle_rules import LifecycleRule, lifecycle_rule, lifecycle_rules
from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy, PolicyBook
from iqm_rules.principles import Element, Principle
from iqm_rules.readiness import (
    LevelReadiness,
    Readiness,
    ReadinessFinding,
    ReadinessState,
    readiness,
)
from iqm_rules.record import Record, dump_record, load_record, record_decision, record_status
from iqm_rules.rules import Rule, flagship_eligible_from, rule, rules
from iqm_rules.shortfalls import Missing, Shortfall
from iqm_rules.verify import Verification, verify

if TYPE_CHECKING:  # imported when first asked for: see __getattr__
    from iqm_rules.audit_report import AuditReport

__all__ = [
    "DEFAULT_POLICY",
    "Assessment",
    "AssessmentKind",
    "AuditReport",
    "AuditResult",
    "Award",
    "AwardState",
    "AwardStatus",
    "Change",
    "ChangeKind",
    "Commitment",
    "Decision",
    "Disagreement",
    "Element",
    "EvidenceItem",
    "EvidenceKind",
    "Finding",
    "FlagshipBoundary",
    "IQMRulesError",
    "InvalidPolicy",
    "InvalidRecord",
    "Judgement",
    "LevelReadiness",
    "LifecycleRule",
    "Missing",
    "Outcome",
    "Policy",
    "PolicyBook",
    "Principle",
    "Prior",
    "Readiness",
    "ReadinessFinding",
    "ReadinessState",
    "Record",
    "RecordedOutcome",
    "Replay",
    "Rule",
    "School",
    "SchoolHistory",
    "Shortfall",
    "StatusReport",
    "Upcoming",
    "Verification",
    "Withdrawal",
    "audit",
    "decide",
    "dump_decision",
    "dump_history",
    "dump_policy",
    "dump_record",
    "dump_status",
    "example_text",
    "examples",
    "flagship_eligible_from",
    "lifecycle_rule",
    "lifecycle_rules",
    "load_decision",
    "load_history",
    "load_policy",
    "load_record",
    "load_status",
    "readiness",
    "record_decision",
    "record_status",
    "replay",
    "rule",
    "rules",
    "schema",
    "status",
    "timeline",
    "upcoming",
    "verify",
]

__version__: str
"""The installed distribution's version: pyproject.toml is its one source."""


def __getattr__(name: str) -> Any:
    """``__version__`` and :class:`AuditReport`, loaded when first asked for: the version is read
    from the package metadata, which imports :mod:`importlib.metadata` (and through it
    ``zipfile``, ``tempfile``, ``threading``); neither is needed by a one-file command."""
    if name == "__version__":
        from importlib.metadata import version

        found: Any = version("iqm-rules")
    elif name == "AuditReport":  # the report of many schools: a one-file command needs none
        from iqm_rules import audit_report

        found = audit_report.AuditReport
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found
