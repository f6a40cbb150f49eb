"""The decision on one assessment: outcome, awarded level and every rule's finding (RULEBOOK §3).

:func:`decide` validates, keeps the recent evidence, runs every rule of :mod:`iqm_rules.rules` up
to the level sought and climbs the ladder. :meth:`Decision.shortfalls` turns the failing findings
into what the school would have to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._terms import Term
from iqm_rules.assessment import Assessment, AssessmentKind
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook, policy_in_force
from iqm_rules.rules import Missing, RuleInput, recent_evidence, rules

__all__ = ["Decision", "Finding", "Outcome", "Prior", "Shortfall", "decide"]


class Outcome(Term):
    """How a decision compares with the level sought."""

    GRANTED = ("granted", "Granted: the level sought was awarded")
    GRANTED_LOWER = ("granted_lower", "Granted lower: a lower level was awarded")
    REFUSED = ("refused", "Refused: nothing was awarded")


@frozen
class Prior:
    """What the rules need to know of the school just before an assessment (§7.1).

    ``held`` is the set of award levels held then; ``coe_since`` is the ``since`` of the
    Centre of Excellence continuity, given exactly when centre_of_excellence is held.
    """

    held: frozenset[Award] = field(
        default=frozenset(), converter=v.frozen_set, validator=v.set_of_terms(Award)
    )
    coe_since: date | None = field(default=None, validator=v.an_optional_date)

    @held.validator
    def _check_ladder(self, attribute: attrs.Attribute[Any], value: frozenset[Award]) -> None:
        for award in value:
            below = award.below
            if below is not None and below not in value:
                raise InvalidRecord(
                    attribute.name, f"holding {award} needs {below} held too (LC-4)"
                )

    @coe_since.validator
    def _check_coe_since(self, attribute: attrs.Attribute[Any], value: date | None) -> None:
        holds_coe = Award.CENTRE_OF_EXCELLENCE in self.held
        if holds_coe and value is None:
            raise InvalidRecord(attribute.name, "is needed while centre_of_excellence is held")
        if not holds_coe and value is not None:
            raise InvalidRecord(
                attribute.name, "must be None while centre_of_excellence is not held (§7.6)"
            )

    @property
    def level(self) -> Award | None:
        """The highest level held, or ``None``."""
        return max(self.held, default=None)


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


@frozen
class Shortfall:
    """What a school must do to meet one failing rule: one ``action`` line, and its data."""

    rule: str
    level: Award
    action: str
    missing: Missing | None = None

    @classmethod
    def of(cls, finding: Finding) -> Shortfall:
        """The shortfall behind a failing ``finding``; the message stands in when no data."""
        if finding.missing is None:
            return cls(finding.rule, finding.level, f"meet {finding.rule}: {finding.message}")
        return cls(finding.rule, finding.level, finding.missing.action(), finding.missing)


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
    if assessment.kind is AssessmentKind.REVIEW and Award.CENTRE_OF_EXCELLENCE not in prior.held:
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
    sought = assessment.level_sought.rank
    for entry in rules():
        if entry.level.rank <= sought:
            verdict = entry.check(facts)
            findings.append(
                Finding(entry.id, entry.level, verdict.passed, verdict.message, verdict.missing)
            )
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


def _climb(findings: list[Finding], level_sought: Award) -> Award | None:
    """The ladder: the highest level up to which every finding passed."""
    awarded = None
    for level in level_sought.up_to():
        if not all(f.passed for f in findings if f.level is level):
            break
        awarded = level
    return awarded
