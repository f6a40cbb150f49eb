"""What the rules found, said for people in their language: rules by their titles, levels,
outcomes, decisions, and what to do so that a failing rule passes.

The sentences that :mod:`iqm_rules.office.said` (status, the report page), the audit and the
what-if reports share. Each function takes a :class:`~iqm_rules.words.Words` and returns whole
sentences from the catalogs, every term by its title.
"""

from __future__ import annotations

from iqm_rules.assessment import AssessmentKind, Judgement
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import Decision, Finding
from iqm_rules.decisions.rules import rule
from iqm_rules.decisions.shortfalls import Missing, Shortfall
from iqm_rules.words import Words

__all__ = [
    "action_lines",
    "awarded_said",
    "decision_said",
    "finding_said",
    "kind_said",
    "level_said",
    "outcome_said",
    "rule_title",
    "shortfall_said",
]


def rule_title(words: Words, rule_id: str) -> str:
    """A rule of §3 or §4 by its title, in ``words``' language."""
    from iqm_rules.lifecycle.rules import lifecycle_rule  # the §4 registry, by id

    try:
        title = rule(rule_id).title
    except KeyError:
        title = lifecycle_rule(rule_id).title
    return words.pgettext("rule", title)


def level_said(words: Words, level: Award | None, nothing: bool = False) -> str:
    """An award by its title, or that none is held (``nothing``: that none is given)."""
    if level is not None:
        return words.title(level)
    return words.gettext("nothing") if nothing else words.gettext("no award")


def kind_said(words: Words, kind: AssessmentKind) -> str:
    """``full assessment`` or ``annual review``, as a sentence names the kind."""
    if kind is AssessmentKind.FULL:
        return words.gettext("full assessment")
    return words.gettext("annual review")


def outcome_said(words: Words, decision: Decision) -> str:
    """Granted, granted the lower level (which), or refused."""
    return awarded_said(words, decision.level_sought, decision.awarded_level)


def awarded_said(words: Words, sought: Award | None, awarded: Award | None) -> str:
    """The outcome of an assessment that sought ``sought`` and awarded ``awarded``."""
    if awarded is None:
        return words.gettext("refused: nothing was awarded")
    if awarded is sought:
        return words.gettext("granted")
    return words.gettext("granted the lower level %(level)s", level=words.title(awarded))


def decision_said(words: Words, decision: Decision, kind: AssessmentKind) -> str:
    """``12 March 2024, HB-1: full assessment seeking Inclusive School Award; granted``."""
    return words.gettext(
        "%(day)s, %(assessment)s: %(kind)s seeking %(level)s; %(outcome)s",
        day=words.date(decision.held_on),
        assessment=decision.assessment_id,
        kind=kind_said(words, kind),
        level=words.title(decision.level_sought),
        outcome=outcome_said(words, decision),
    )


def action_lines(words: Words, missing: Missing) -> list[str]:
    """What to do so that a failing rule passes: one sentence per thing to do."""
    lines = [
        words.ngettext(
            "collect %(n)s more recent evidence item for %(element)s",
            "collect %(n)s more recent evidence items for %(element)s",
            more,
            element=words.short_title(element),
        )
        for element, more in missing.items_for_element
    ]
    lines += [
        words.ngettext(
            "collect %(n)s more recent evidence item supporting %(principle)s",
            "collect %(n)s more recent evidence items supporting %(principle)s",
            more,
            principle=words.title(principle),
        )
        for principle, more in missing.items_for_principle
    ]
    if missing.voice_kinds:
        lines.append(
            words.ngettext(
                "collect recent evidence of %(n)s more voice, from: %(voices)s",
                "collect recent evidence of %(n)s more voices, from: %(voices)s",
                missing.voice_kinds,
                voices=words.titles(missing.voice_kinds_from),
            )
        )
    for target in Judgement:
        raised = [element for element, wanted in missing.raise_to if wanted is target]
        if raised:
            lines.append(
                words.gettext(
                    "raise to %(judgement)s: %(elements)s",
                    judgement=words.title(target),
                    elements=words.titles(raised),
                )
            )
    if missing.embedded_more:
        lines.append(
            words.ngettext(
                "raise %(n)s more element to Embedded, from: %(elements)s",
                "raise %(n)s more elements to Embedded, from: %(elements)s",
                missing.embedded_more,
                elements=words.titles(missing.embedded_from),
            )
        )
    if missing.commitments:
        lines.append(
            words.gettext(
                "make the commitments: %(commitments)s",
                commitments=words.titles(missing.commitments),
            )
        )
    if missing.cluster_meetings:
        lines.append(
            words.ngettext(
                "attend %(n)s more cluster meeting",
                "attend %(n)s more cluster meetings",
                missing.cluster_meetings,
            )
        )
    if missing.passes_from is not None:
        lines.append(
            words.gettext(
                "wait: Centre of Excellence will have been held long enough on %(day)s",
                day=words.date(missing.passes_from),
            )
        )
    if missing.needs_centre_of_excellence:
        lines.append(words.gettext("first hold Centre of Excellence without a break"))
    return lines


def shortfall_said(words: Words, shortfall: Shortfall) -> list[str]:
    """A shortfall's things to do; its rule's title when it carries no data."""
    if shortfall.missing is None:
        return [words.gettext("meet: %(rule)s", rule=rule_title(words, shortfall.rule))]
    return action_lines(words, shortfall.missing)


def finding_said(words: Words, finding: Finding) -> str:
    """``✓ EV-1 Inclusive School Award: Recent evidence for every element``; a failing one
    goes on with what to do."""
    head = words.gettext(
        "%(mark)s %(rule)s %(level)s: %(title)s",
        mark="✓" if finding.passed else "✗",
        rule=finding.rule,
        level=words.title(finding.level),
        title=rule_title(words, finding.rule),
    )
    if finding.passed or finding.missing is None:
        return head
    return words.gettext(
        "%(finding)s — to do: %(actions)s",
        finding=head,
        actions=words.listing(action_lines(words, finding.missing)),
    )
