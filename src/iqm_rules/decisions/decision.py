"""The decision on one assessment: outcome, awarded level and every rule's finding (RULEBOOK §3).

:func:`decide` validates, keeps the recent evidence, runs every rule of
:mod:`iqm_rules.decisions.rules` up to the level sought and climbs the ladder.
:meth:`Decision.shortfalls` turns the failing findings into what the school would have to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

from attrs import field, frozen

from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, AssessmentKind
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior, RuleInput, recent_evidence
from iqm_rules.decisions.registry import Check
from iqm_rules.decisions.rules import rules
from iqm_rules.decisions.shortfalls import Missing, Shortfall
from iqm_rules.errors import InvalidRecord
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook, policy_in_force

__all__ = ["Decision", "Finding", "Outcome", "decide", "review_allowed"]


class Outcome(Term):
    """How a decision compares with the level sought."""

    GRANTED = ("granted", "Granted: the level sought was awarded")
    GRANTED_LOWER = ("granted_lower", "Granted lower: a lower level was awarded")
    REFUSED = ("refused", "Refused: nothing was awarded")


@frozen
class Finding:
    """One rule's verdict on one assessment, with a message naming what was counted.

    ``missing`` says, for a failing finding, what would make the rule pass (``None`` otherwise).
    It is derived help for :meth:`Decision.shortfalls`, not part of the published finding, so
    equality ignores it: a decision read back from JSON equals the one :func:`decide` made.
    """

    rule: str
    level: Award
    passed: bool
    message: str
    missing: Missing | None = field(default=None, eq=False)


def _findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(findings)


def _ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ids)


@frozen
class Decision:
    """The outcome of one assessment and everything behind it.

    ``findings`` holds one finding per rule of every level up to ``level_sought``, in rulebook
    order; ``ignored_evidence`` the ids of evidence that was not recent.
    """

    assessment_id: str
    held_on: date
    level_sought: Award
    awarded_level: Award | None
    outcome: Outcome
    policy_id: str
    findings: tuple[Finding, ...] = field(converter=_findings)
    ignored_evidence: tuple[str, ...] = field(converter=_ids)

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings that did not pass."""
        return tuple(f for f in self.findings if not f.passed)

    def finding(self, rule_id: str) -> Finding:
        """The finding of rule ``rule_id``; ``KeyError`` if that rule was not reached."""
        for f in self.findings:
            if f.rule == rule_id:
                return f
        raise KeyError(rule_id)

    def shortfalls(self) -> tuple[Shortfall, ...]:
        """What is missing for the level sought: one shortfall per failing finding, in order."""
        return tuple(Shortfall.of(f) for f in self.failing if f.level <= self.level_sought)


_NOTHING_HELD = Prior()


def decide(
    assessment: Assessment,
    prior: Prior = _NOTHING_HELD,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
) -> Decision:
    """Decide ``assessment`` given what the school held just before it (``prior``, §7.1).

    Runs every rule of every level up to ``level_sought`` (also above a level that failed),
    in rulebook order, under the policy in force on ``held_on`` (LC-8). The awarded level is the
    highest level L ≤ ``level_sought`` whose rules, and those of every level below, all pass.
    Raises :class:`InvalidRecord` at ``kind`` for a review of a school that held neither
    centre_of_excellence nor flagship.
    """
    if not review_allowed(assessment, prior):
        held = ", ".join(a.value for a in sorted(prior.held)) or "nothing"
        raise InvalidRecord(
            "kind",
            "a review needs centre_of_excellence or flagship held just before held_on "
            f"{assessment.held_on.isoformat()} (§7.1); held: {held}",
        )
    in_force = policy_in_force(policy, assessment.held_on)
    recent, ignored = recent_evidence(assessment.evidence, assessment.held_on, in_force)
    facts = RuleInput(
        held_on=assessment.held_on,
        recent_evidence=recent,
        commitments=assessment.commitments,
        cluster_meetings_attended=assessment.cluster_meetings_attended,
        prior=prior,
        policy=in_force,
        judgements=assessment.judgements,
    )
    findings: list[Finding] = []
    for rule_id, level, check in _rules_up_to(assessment.level_sought):
        verdict = check(facts)
        findings.append(Finding(rule_id, level, verdict.passed, verdict.message, verdict.missing))
    awarded = _climb(findings, assessment.level_sought)
    if awarded is None:
        outcome = Outcome.REFUSED
    elif awarded is assessment.level_sought:
        outcome = Outcome.GRANTED
    else:
        outcome = Outcome.GRANTED_LOWER
    return Decision(
        assessment_id=assessment.id,
        held_on=assessment.held_on,
        level_sought=assessment.level_sought,
        awarded_level=awarded,
        outcome=outcome,
        policy_id=in_force.id,
        findings=findings,
        ignored_evidence=ignored,
    )


@cache
def _rules_up_to(level_sought: Award) -> tuple[tuple[str, Award, Check], ...]:
    """The id, level and check of every rule up to ``level_sought``, in rulebook order: a
    decision looks them up once per level, not once per rule and call."""
    return tuple(
        (entry.id, entry.level, entry.check) for entry in rules() if entry.level <= level_sought
    )


def review_allowed(assessment: Assessment, prior: Prior) -> bool:
    """Whether ``assessment`` may be held given ``prior``: a review needs centre_of_excellence
    (or flagship, which includes it) held just before it (§7.1); a full assessment always may.

    The one check of a review's validity: :func:`decide` and the replay of
    :mod:`iqm_rules.lifecycle.replay` both ask it, each saying why in its own terms.
    """
    return assessment.kind is not AssessmentKind.REVIEW or (
        Award.CENTRE_OF_EXCELLENCE in prior.held
    )


def _climb(findings: list[Finding], level_sought: Award) -> Award | None:
    """The ladder: the highest level up to which every finding passed."""
    failed = {f.level for f in findings if not f.passed}
    awarded = None
    for level in level_sought.up_to():
        if level in failed:
            break
        awarded = level
    return awarded
