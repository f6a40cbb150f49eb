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

import sys
from importlib import import_module
from types import ModuleType

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
    from iqm_rules.audit import AuditResult, Disagreement, audit
    from iqm_rules.audit_report import AuditReport
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
    "iqm_rules.audit": ("AuditResult", "Disagreement", "audit"),
    "iqm_rules.audit_report": ("AuditReport",),
    "iqm_rules.awards": ("Award",),
    "iqm_rules.decision": ("Decision", "Finding", "Outcome", "decide"),
    "iqm_rules.errors": ("IQMRulesError", "InvalidPolicy", "InvalidRecord"),
    "iqm_rules.evidence": ("EvidenceItem", "EvidenceKind"),
    "iqm_rules.examples": ("example_text", "examples"),
    "iqm_rules.facts": ("Prior",),
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
    "iqm_rules.lifecycle": (
        "AwardState",
        "AwardStatus",
        "Change",
        "ChangeKind",
        "Replay",
        "StatusReport",
        "Upcoming",
        "replay",
        "status",
        "timeline",
        "upcoming",
    ),
    "iqm_rules.lifecycle_rules": ("LifecycleRule", "lifecycle_rule", "lifecycle_rules"),
    "iqm_rules.policy": ("DEFAULT_POLICY", "FlagshipBoundary", "Policy", "PolicyBook"),
    "iqm_rules.principles": ("Element", "Principle"),
    "iqm_rules.readiness": (
        "LevelReadiness",
        "Readiness",
        "ReadinessFinding",
        "ReadinessState",
        "readiness",
    ),
    "iqm_rules.record": (
        "Record",
        "dump_record",
        "load_record",
        "record_decision",
        "record_status",
    ),
    "iqm_rules.rules": ("Rule", "flagship_eligible_from", "rule", "rules"),
    "iqm_rules.shortfalls": ("Missing", "Shortfall"),
    "iqm_rules.verify": ("Verification", "verify"),
}
"""The module that defines each public name."""

_HOME = {name: module for module, names in _HOMES.items() for name in names}


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
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The package's module type: five of its modules share a name with a public function
    (``audit``, ``examples``, ``readiness``, ``rules``, ``verify``), and importing such a module
    must not put the module where the function is (``iqm_rules.rules()`` stays the function)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, ModuleType):
            return  # the submodule stays reachable in sys.modules and by import
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
