"""One document per answer: the JSON every surface gives to the same question.

``iqm-rules status --json``, each line of ``batch``, a status record's output and the web
service's ``POST /status`` are all :func:`status_answer`; ``decide --json``, a decision record's
output and ``POST /decide`` are :func:`decision_answer`; ``timeline --json`` and
``POST /timeline`` are :func:`timeline_answer`. So the same question gives byte-identical JSON
wherever it is asked (``tests/test_answers.py`` compares every surface).

>>> from datetime import date
>>> from iqm_rules.interchange import load_history
>>> from iqm_rules.interchange.examples import example_text
>>> school = load_history(example_text("first-award"))
>>> status_answer(school, date(2025, 9, 1))[:60]
'{"as_of":"2025-09-01","awards":{"centre_of_excellence":{"due'
"""

from __future__ import annotations

from datetime import date

from iqm_rules.assessment import Assessment
from iqm_rules.decisions.decision import Decision
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import dump_decision, dump_status
from iqm_rules.interchange.formats import timeline_document
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import replay, status, timeline
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

__all__ = ["decision_answer", "decision_of", "status_answer", "timeline_answer"]


def status_answer(
    history: SchoolHistory,
    as_of: date,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    *,
    with_steps: bool = True,
) -> str:
    """The ``iqm-rules/status@1`` document of the school on ``as_of``, with its next steps.

    ``with_steps=False`` leaves the next steps out, as records written before the answer
    carried them were (:func:`iqm_rules.auditing.verify.verify` recomputes those so).
    """
    replayed = replay(history, policy)
    steps = next_steps(replayed, as_of) if with_steps else None
    return dump_status(replayed.status(as_of), steps)


def decision_of(
    history: SchoolHistory, assessment_id: str, policy: Policy | PolicyBook
) -> Decision:
    """The decision of one assessment of ``history``, as its status on its date holds it (LC-1).

    Raises :class:`InvalidRecord` (at ``assessment_id``) when the history has no such assessment.
    """
    held = [e for e in history.events if isinstance(e, Assessment) and e.id == assessment_id]
    if not held:
        ids = [e.id for e in history.events if isinstance(e, Assessment)]
        raise InvalidRecord(
            "assessment_id",
            f"no assessment {assessment_id!r} in the history; the assessments are "
            f"{', '.join(ids) or 'none'}",
        )
    report = status(history, held[0].held_on, policy)
    return next(d for d in report.decisions if d.assessment_id == assessment_id)


def decision_answer(
    history: SchoolHistory, assessment_id: str, policy: Policy | PolicyBook = DEFAULT_POLICY
) -> str:
    """The ``iqm-rules/decision@1`` document of assessment ``assessment_id``, replayed in its
    place in the history (§7.8)."""
    return dump_decision(decision_of(history, assessment_id, policy))


def timeline_answer(
    history: SchoolHistory,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    as_of: date | None = None,
) -> str:
    """The ``iqm-rules/timeline@1`` document: every change, and with ``as_of`` whether each had
    happened by then (a change still ahead happens only if nothing is done)."""
    return timeline_document(history.school.id, timeline(history, policy), as_of)
