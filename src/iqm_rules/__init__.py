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

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # not typing's: the package imports nothing a program may not need
if TYPE_CHECKING:  # for type checkers and readers; at run time each is imported when first used
    from typing import Any

    from iqm_rules.assessment import (
        Assessment,
        AssessmentKind,
        Commitment,
        Judgement,
        RecordedOutcome,
    )
    from iqm_rules.auditing.audit import AuditResult, Disagreement, audit
    from iqm_rules.auditing.audit_report import AuditReport
    from iqm_rules.auditing.record import (
        Record,
        dump_record,
        load_record,
        record_decision,
        record_status,
    )
    from iqm_rules.auditing.verify import Verification, verify
    from iqm_rules.awards import Award
    from iqm_rules.decisions.decision import Decision, Finding, Outcome, decide
    from iqm_rules.decisions.facts import Prior
    from iqm_rules.decisions.readiness import (
        LevelReadiness,
        Readiness,
        ReadinessFinding,
        ReadinessState,
        readiness,
    )
    from iqm_rules.decisions.registry import Rule
    from iqm_rules.decisions.rules import flagship_eligible_from, rule, rules
    from iqm_rules.decisions.shortfalls import Missing, Shortfall
    from iqm_rules.errors import InvalidPolicy, InvalidRecord, IQMRulesError
    from iqm_rules.evidence import EvidenceItem, EvidenceKind
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
    from iqm_rules.interchange.examples import example_text, examples
    from iqm_rules.lifecycle.records import (
        AwardState,
        AwardStatus,
        Change,
        ChangeKind,
        StatusReport,
        Upcoming,
    )
    from iqm_rules.lifecycle.replay import Replay, replay, status, timeline, upcoming
    from iqm_rules.lifecycle.rules import LifecycleRule, lifecycle_rule, lifecycle_rules
    from iqm_rules.policy import DEFAULT_POLICY, FlagshipBoundary, Policy, PolicyBook
    from iqm_rules.principles import Element, Principle

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

_HOMES: dict[str, tuple[str, ...]] = {
    "iqm_rules.assessment": (
        "Assessment",
        "AssessmentKind",
        "Commitment",
        "Judgement",
        "RecordedOutcome",
    ),
    "iqm_rules.auditing.audit": ("AuditResult", "Disagreement", "audit"),
    "iqm_rules.auditing.audit_report": ("AuditReport",),
    "iqm_rules.awards": ("Award",),
    "iqm_rules.decisions.decision": ("Decision", "Finding", "Outcome", "decide"),
    "iqm_rules.errors": ("IQMRulesError", "InvalidPolicy", "InvalidRecord"),
    "iqm_rules.evidence": ("EvidenceItem", "EvidenceKind"),
    "iqm_rules.interchange.examples": ("example_text", "examples"),
    "iqm_rules.decisions.facts": ("Prior",),
    "iqm_rules.history": ("School", "SchoolHistory", "Withdrawal"),
    "iqm_rules.interchange": (
        "dump_decision",
        "dump_history",
        "dump_policy",
        "dump_status",
        "load_decision",
        "load_history",
        "load_policy",
        "load_status",
        "schema",
    ),
    "iqm_rules.lifecycle.records": (
        "AwardState",
        "AwardStatus",
        "Change",
        "ChangeKind",
        "StatusReport",
        "Upcoming",
    ),
    "iqm_rules.lifecycle.replay": (
        "Replay",
        "replay",
        "status",
        "timeline",
        "upcoming",
    ),
    "iqm_rules.lifecycle.rules": ("LifecycleRule", "lifecycle_rule", "lifecycle_rules"),
    "iqm_rules.policy": ("DEFAULT_POLICY", "FlagshipBoundary", "Policy", "PolicyBook"),
    "iqm_rules.principles": ("Element", "Principle"),
    "iqm_rules.decisions.readiness": (
        "LevelReadiness",
        "Readiness",
        "ReadinessFinding",
        "ReadinessState",
        "readiness",
    ),
    "iqm_rules.auditing.record": (
        "Record",
        "dump_record",
        "load_record",
        "record_decision",
        "record_status",
    ),
    "iqm_rules.decisions.registry": ("Rule",),
    "iqm_rules.decisions.rules": ("flagship_eligible_from", "rule", "rules"),
    "iqm_rules.decisions.shortfalls": ("Missing", "Shortfall"),
    "iqm_rules.auditing.verify": ("Verification", "verify"),
}
"""The module that defines each public name."""

_HOME = {name: module for module, names in _HOMES.items() for name in names}

_MOVED = {
    "facts": "iqm_rules.decisions.facts",
    "shortfalls": "iqm_rules.decisions.shortfalls",
    "decision": "iqm_rules.decisions.decision",
    "lifecycle_rules": "iqm_rules.lifecycle.rules",
    "next_steps": "iqm_rules.lifecycle.next_steps",
    "audit_report": "iqm_rules.auditing.audit_report",
    "record": "iqm_rules.auditing.record",
    "whatif": "iqm_rules.auditing.whatif",
    "cases": "iqm_rules.auditing.cases",
    "plans": "iqm_rules.office.plans",
    "report": "iqm_rules.office.report",
    "policy_files": "iqm_rules.office.policy_files",
    "policy_lint": "iqm_rules.office.policy_lint",
}
"""Modules of release 0.1 that moved into a package: ``iqm_rules.whatif`` still gives the
module, with a :class:`DeprecationWarning` naming its new home (``import iqm_rules.whatif``,
a statement, no longer finds it)."""


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for (and kept).

    ``import iqm_rules`` imports none of the package's modules: a program, or the command line
    before it has set itself up, pays for what it uses. ``__version__`` is read from the
    package metadata, which imports :mod:`importlib.metadata`, only when asked for.
    """
    if name == "__version__":
        from importlib.metadata import version

        found: Any = version("iqm-rules")
    elif name in _HOME:
        found = getattr(import_module(_HOME[name]), name)
    elif name in _MOVED:
        from warnings import warn

        warn(
            f"iqm_rules.{name} has moved to {_MOVED[name]}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return import_module(_MOVED[name])  # not kept: each use warns
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
