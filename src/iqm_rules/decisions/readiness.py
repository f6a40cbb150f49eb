"""How ready a school is for an assessment it is preparing, before anyone has judged it.

:func:`readiness` runs every rule of :mod:`iqm_rules.decisions.rules` that needs no judgement (EV-1,
EV-2, EV-3, CE-2, FS-2, FS-3, FS-4) on the evidence and commitments a school has so far; the rules
that need the assessors' judgement (IS-1, CE-1, FS-1) are reported as ``needs_judgement``. Each
level is as ready as the worst rule of the ladder up to it: ``not_met`` (with the shortfalls to fix)
before ``needs_judgement`` before ``met``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attrs import frozen

from iqm_rules._terms import RankedTerm
from iqm_rules.assessment import Assessment, AssessmentKind, Commitment, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.facts import Prior, RuleInput, recent_evidence
from iqm_rules.decisions.registry import Rule
from iqm_rules.decisions.rules import rules
from iqm_rules.decisions.shortfalls import Missing, Shortfall
from iqm_rules.evidence import EvidenceItem
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook, policy_in_force
from iqm_rules.principles import Element

__all__ = [
    "LevelReadiness",
    "Readiness",
    "ReadinessFinding",
    "ReadinessState",
    "readiness",
]


class ReadinessState(RankedTerm):
    """Where a rule or a level stands before the assessment, worst first."""

    NOT_MET = ("not_met", "Not met: something is missing")
    NEEDS_JUDGEMENT = ("needs_judgement", "Met as far as can be known without judgement")
    MET = ("met", "Met")


@frozen
class ReadinessFinding:
    """One rule's state before the assessment; ``missing`` says what to add when ``not_met``."""

    rule: str
    level: Award
    state: ReadinessState
    message: str
    missing: Missing | None = None


@frozen
class LevelReadiness:
    """One award level: its state, the shortfalls to fix and the rules awaiting judgement.

    Both cover the ladder: every rule of this level and of the levels below it.
    """

    level: Award
    state: ReadinessState
    shortfalls: tuple[Shortfall, ...]
    awaiting_judgement: tuple[str, ...]


@frozen
class Readiness:
    """Every rule's state and every level's readiness on ``held_on``, and the evidence ignored."""

    held_on: date
    policy_id: str
    levels: tuple[LevelReadiness, ...]
    findings: tuple[ReadinessFinding, ...]
    ignored_evidence: tuple[str, ...]

    def level(self, award: Award) -> LevelReadiness:
        """The readiness for ``award``."""
        return self.levels[award.rank]

    def finding(self, rule_id: str) -> ReadinessFinding:
        """The finding of rule ``rule_id``."""
        for finding in self.findings:
            if finding.rule == rule_id:
                return finding
        raise KeyError(rule_id)


_NOTHING_HELD = Prior()


def readiness(
    evidence: Iterable[EvidenceItem],
    commitments: Iterable[Commitment],
    held_on: date,
    prior: Prior = _NOTHING_HELD,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    cluster_meetings_attended: int = 0,
) -> Readiness:
    """How ready a school would be for an assessment on ``held_on``, rule by rule and per level.

    The input is validated as an :class:`~iqm_rules.assessment.Assessment`'s would be (evidence
    collected after ``held_on``, repeated evidence ids and negative meeting counts raise
    :class:`~iqm_rules.errors.InvalidRecord` at the same paths).

    >>> r = readiness((), (), date(2024, 3, 10))
    >>> [(lv.level.value, lv.state.value) for lv in r.levels]
    [('inclusive_school', 'not_met'), ('centre_of_excellence', 'not_met'), ('flagship', 'not_met')]
    >>> r.finding("IS-1").state.value
    'needs_judgement'
    """
    planned = Assessment(
        id="readiness",
        held_on=held_on,
        kind=AssessmentKind.FULL,
        level_sought=Award.FLAGSHIP,
        judgements=dict.fromkeys(Element, Judgement.NOT_EVIDENCED),
        evidence=evidence,
        commitments=commitments,
        cluster_meetings_attended=cluster_meetings_attended,
    )
    in_force = policy_in_force(policy, held_on)
    recent, ignored = recent_evidence(planned.evidence, held_on, in_force)
    facts = RuleInput(
        held_on=held_on,
        recent_evidence=recent,
        commitments=planned.commitments,
        cluster_meetings_attended=planned.cluster_meetings_attended,
        prior=prior,
        policy=in_force,
    )
    findings = tuple(_finding(entry, facts) for entry in rules())
    return Readiness(
        held_on=held_on,
        policy_id=in_force.id,
        levels=tuple(_level(level, findings) for level in Award),
        findings=findings,
        ignored_evidence=ignored,
    )


def _finding(entry: Rule, facts: RuleInput) -> ReadinessFinding:
    if entry.needs_judgement:
        return ReadinessFinding(
            entry.id,
            entry.level,
            ReadinessState.NEEDS_JUDGEMENT,
            f"needs the assessors' judgement: {entry.text}",
        )
    verdict = entry.check(facts)
    state = ReadinessState.MET if verdict.passed else ReadinessState.NOT_MET
    return ReadinessFinding(entry.id, entry.level, state, verdict.message, verdict.missing)


def _level(level: Award, findings: tuple[ReadinessFinding, ...]) -> LevelReadiness:
    ladder = [f for f in findings if f.level <= level]
    return LevelReadiness(
        level=level,
        state=min(f.state for f in ladder),
        shortfalls=tuple(Shortfall.of(f) for f in ladder if f.missing is not None),
        awaiting_judgement=tuple(
            f.rule for f in ladder if f.state is ReadinessState.NEEDS_JUDGEMENT
        ),
    )
