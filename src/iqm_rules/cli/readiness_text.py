"""The text of ``iqm-rules readiness``: each level's state and what to collect or commit to."""

from __future__ import annotations

from iqm_rules._shown import shown
from iqm_rules.cli.text import named, wrapped
from iqm_rules.decisions.readiness import Readiness, ReadinessState
from iqm_rules.office.plans import Plan
from iqm_rules.office.said import kind_said, rule_title, shortfall_said
from iqm_rules.words import ENGLISH, Words

__all__ = ["readiness_text"]

_MARK = {ReadinessState.MET: "✓", ReadinessState.NEEDS_JUDGEMENT: "?", ReadinessState.NOT_MET: "✗"}


def readiness_text(plan: Plan, result: Readiness, words: Words = ENGLISH) -> str:
    """Per level, from the lowest: met, not met or needs judgement, and what to do about it.

    Each level covers its whole ladder, so a level lists what the levels below it still lack.
    Ids and names are shown safe on a terminal (:func:`~iqm_rules._shown.shown`); the lines
    wrap to the terminal's width and dates are written in full.
    """
    lines = [
        words.gettext("Readiness of %(school)s", school=named(plan.school.id, plan.school.name)),
        wrapped(
            words.gettext(
                "for the %(kind)s on %(day)s, seeking %(level)s (policy %(policy)s)",
                kind=kind_said(words, plan.kind),
                day=words.date(result.held_on),
                level=words.title(plan.level_sought),
                policy=shown(result.policy_id),
            )
        ),
    ]
    for level in result.levels:
        if level.level is plan.level_sought:
            head = words.gettext(
                "%(mark)s %(level)s: %(state)s (the level sought)",
                mark=_MARK[level.state],
                level=words.title(level.level),
                state=words.title(level.state),
            )
        else:
            head = words.gettext(
                "%(mark)s %(level)s: %(state)s",
                mark=_MARK[level.state],
                level=words.title(level.level),
                state=words.title(level.state),
            )
        lines += ["", wrapped(head, "", "    ")]
        for shortfall in level.shortfalls:
            for action in shortfall_said(words, shortfall):
                lines.append(
                    wrapped(
                        words.gettext(
                            "to do (%(rule)s): %(action)s", rule=shortfall.rule, action=action
                        ),
                        "    ",
                        "        ",
                    )
                )
        for rule_id in level.awaiting_judgement:
            lines.append(
                wrapped(
                    words.gettext(
                        "for the assessors (%(rule)s): %(title)s",
                        rule=rule_id,
                        title=rule_title(words, rule_id),
                    ),
                    "    ",
                    "        ",
                )
            )
    if result.ignored_evidence:
        lines += [
            "",
            wrapped(
                words.gettext(
                    "Not counted (collected too long before the visit): %(ids)s",
                    ids=", ".join(result.ignored_evidence),
                ),
                "",
                "    ",
            ),
        ]
    return "\n".join(lines)
