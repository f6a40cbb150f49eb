"""Auditing: where the awarding body's recorded outcomes disagree with the rules.

An assessment may carry a ``recorded_outcome`` (RULEBOOK §1): the level the awarding body
actually awarded. :func:`audit` replays the whole history once (LC-1 … LC-8) and compares each
recorded ``awarded_level`` with the level the rules award, in application order (§7.8).

>>> from iqm_rules.history import School, SchoolHistory
>>> audit(SchoolHistory(School("URN-1", "Example Primary")))
()
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attrs import field, frozen

from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.decision import Decision, Finding
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.lifecycle import status
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

__all__ = ["Disagreement", "audit", "disagreements"]


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


def disagreements(
    history: SchoolHistory, decisions: Iterable[Decision]
) -> tuple[Disagreement, ...]:
    """The ``decisions`` (of assessments of ``history``) that contradict a recorded outcome.

    Assessments without a ``recorded_outcome`` are not compared. Keeps the order of
    ``decisions``.
    """
    recorded: dict[str, tuple[int, Assessment]] = {
        event.id: (index, event)
        for index, event in enumerate(history.events)
        if isinstance(event, Assessment) and event.recorded_outcome is not None
    }
    found: list[Disagreement] = []
    for decision in decisions:
        if decision.assessment_id not in recorded:
            continue
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
    return tuple(found)


def audit(
    history: SchoolHistory, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> tuple[Disagreement, ...]:
    """Every assessment whose recorded outcome disagrees with the rules, in application order.

    Replays the whole history once, as of its last event's date, so that every assessment is
    decided with the school's state just before it (LC-1, §7.1) under the policy in force on its
    date (LC-8). Raises :class:`~iqm_rules.errors.InvalidRecord` for an invalid history.
    """
    if not history.events:
        return ()
    last = max(event_date(event) for event in history.events)
    return disagreements(history, status(history, last, policy).decisions)
