"""The text of ``iqm-rules readiness``: each level's state and what to collect or commit to."""

from __future__ import annotations

from iqm_rules._shown import shown
from iqm_rules.assessment import AssessmentKind
from iqm_rules.decisions.readiness import Readiness, ReadinessState
from iqm_rules.decisions.rules import rule
from iqm_rules.office.plans import Plan

__all__ = ["readiness_text"]

_VISIT = {AssessmentKind.FULL: "full assessment", AssessmentKind.REVIEW: "annual review"}
_MARK = {ReadinessState.MET: "✓", ReadinessState.NEEDS_JUDGEMENT: "?", ReadinessState.NOT_MET: "✗"}


def readiness_text(plan: Plan, result: Readiness) -> str:
    """Per level, from the lowest: met, not met or needs judgement, and what to do about it.

    Each level covers its whole ladder, so a level lists what the levels below it still lack.
    Ids and names are shown safe on a terminal (:func:`~iqm_rules._shown.shown`).
    """
    named = plan.school
    lines = [
        f"Readiness of {named.id}{f' ({named.name})' if named.name else ''}",
        f"for the {_VISIT[plan.kind]} on {result.held_on.isoformat()}, "
        f"seeking {plan.level_sought.title} (policy {result.policy_id})",
    ]
    for level in result.levels:
        sought = "  (the level sought)" if level.level is plan.level_sought else ""
        lines += ["", f"{_MARK[level.state]} {level.level.title}: {level.state.title}{sought}"]
        for shortfall in level.shortfalls:
            lines.append(f"    to do ({shortfall.rule}): {shortfall.action}")
        for rule_id in level.awaiting_judgement:
            lines.append(f"    for the assessors ({rule_id}): {rule(rule_id).title}")
    if result.ignored_evidence:
        lines += [
            "",
            "Not counted (collected too long before the visit): "
            + ", ".join(result.ignored_evidence),
        ]
    return "\n".join(map(shown, lines))
