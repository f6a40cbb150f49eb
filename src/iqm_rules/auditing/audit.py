"""Auditing: where the awarding body's recorded outcomes disagree with the rules.

An assessment may carry a ``recorded_outcome`` (RULEBOOK §1): the level the awarding body
actually awarded. :func:`audit` replays the whole history once (LC-1 … LC-8) and compares each
recorded ``awarded_level`` with the level the rules award, in application order (§7.8). The
:class:`AuditResult` holds what a report needs: how many were compared, and the disagreements.

>>> from iqm_rules.history import School, SchoolHistory
>>> audit(SchoolHistory(School("URN-1", "Example Primary")))
AuditResult(compared=0, disagreements=())
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attrs import field, frozen, validators

from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.lifecycle.replay import status
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

__all__ = ["AuditResult", "Disagreement", "audit", "compare", "decisions"]


def _findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(findings)


@frozen
class Disagreement:
    """An assessment whose recorded outcome is not what the rules decide.

    ``event_index`` is the assessment's position in the history's input order; ``recorded`` and
    ``decided`` are awarded levels (``None``: nothing awarded); ``failing`` holds the findings
    that did not pass in the decision, which usually say why the two differ.
    """

    event_index: int
    assessment_id: str
    held_on: date
    recorded: Award | None
    decided: Award | None
    failing: tuple[Finding, ...] = field(converter=_findings)

    def describe(self) -> str:
        """One line for people: where, what was recorded, what the rules decide, and why.

        >>> Disagreement(2, "A3", date(2024, 7, 1), Award.FLAGSHIP,
        ...              Award.CENTRE_OF_EXCELLENCE, ()).describe()
        'events[2] A3 2024-07-01: recorded flagship, the rules award centre_of_excellence'
        """
        recorded = self.recorded.value if self.recorded is not None else "nothing"
        decided = self.decided.value if self.decided is not None else "nothing"
        line = (
            f"events[{self.event_index}] {self.assessment_id} {self.held_on.isoformat()}: "
            f"recorded {recorded}, the rules award {decided}"
        )
        if self.failing:
            line += f" (failing: {', '.join(f.rule for f in self.failing)})"
        return line


def _disagreements(items: Iterable[Disagreement]) -> tuple[Disagreement, ...]:
    return tuple(items)


@frozen
class AuditResult:
    """Recorded outcomes compared with the rules: how many, and those that disagree.

    ``compared`` counts the decisions whose assessment has a ``recorded_outcome``;
    ``disagreements`` are those among them whose recorded level is not the decided one, in
    the order of the decisions.
    """

    compared: int = field(validator=validators.ge(0))
    disagreements: tuple[Disagreement, ...] = field(converter=_disagreements)

    @disagreements.validator
    def _among_compared(self, _: object, value: tuple[Disagreement, ...]) -> None:
        if len(value) > self.compared:
            raise ValueError(f"{len(value)} disagreements among {self.compared} compared")

    @property
    def disagreeing(self) -> int:
        """How many compared outcomes disagree with the rules."""
        return len(self.disagreements)

    @property
    def agreeing(self) -> int:
        """How many compared outcomes agree with the rules."""
        return self.compared - len(self.disagreements)


def compare(history: SchoolHistory, decisions: Iterable[Decision]) -> AuditResult:
    """Compare the ``decisions`` (of assessments of ``history``) with the recorded outcomes.

    Assessments without a ``recorded_outcome`` are not compared. Keeps the order of
    ``decisions``.
    """
    recorded: dict[str, tuple[int, Assessment]] = {
        event.id: (index, event)
        for index, event in enumerate(history.events)
        if isinstance(event, Assessment) and event.recorded_outcome is not None
    }
    found: list[Disagreement] = []
    compared = 0
    for decision in decisions:
        if decision.assessment_id not in recorded:
            continue
        compared += 1
        index, assessment = recorded[decision.assessment_id]
        outcome = assessment.recorded_outcome
        if outcome is None or outcome.awarded_level == decision.awarded_level:
            continue
        found.append(
            Disagreement(
                event_index=index,
                assessment_id=decision.assessment_id,
                held_on=decision.held_on,
                recorded=outcome.awarded_level,
                decided=decision.awarded_level,
                failing=decision.failing,
            )
        )
    return AuditResult(compared, found)


def decisions(
    history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> tuple[Decision, ...]:
    """Every assessment's decision, in application order, from one replay of the whole history.

    Replays as of the last event's date, so that every assessment is decided with the school's
    state just before it (LC-1, §7.1) under the policy in force on its date (LC-8). Raises
    :class:`~iqm_rules.errors.InvalidRecord` for an invalid history.
    """
    if not history.events:
        return ()
    last = max(event_date(event) for event in history.events)
    return status(history, last, policy).decisions


def audit(history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY) -> AuditResult:
    """Every recorded outcome compared with the rules; the disagreements in application order.

    The decisions are those of :func:`decisions` (one replay of the whole history). Raises
    :class:`~iqm_rules.errors.InvalidRecord` for an invalid history.
    """
    return compare(history, decisions(history, policy))
