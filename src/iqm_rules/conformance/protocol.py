"""The conformance protocol: one request in, one response out, and the one function that answers.

A **request** (``iqm-rules/conformance-request@1``) holds a ``history`` (an
``iqm-rules/history@1`` document, possibly one the rules refuse), a ``policy`` (an
``iqm-rules/policy@1`` document, one policy or a book; ``null`` for the defaults of policy
``iqm-2025.1``) and a ``question``:

- ``{"ask": "status", "as_of": DATE}``: the document ``iqm-rules status --json`` prints
  (``iqm-rules/status@1`` with ``next_steps``);
- ``{"ask": "decision", "assessment": ID}``: the document ``iqm-rules decide --json`` prints
  (``iqm-rules/decision@1``), the assessment decided in its place (§7.8);
- ``{"ask": "timeline", "as_of": DATE}``: the document ``iqm-rules timeline --json`` prints
  (``iqm-rules/timeline@1``, each change flagged ``happened``).

The **response** is that document, or, when the history or the policy is refused, an
``iqm-rules/conformance-refusal@1`` document naming the ``document`` (``history`` or
``policy``), the JSON ``path`` of the first problem and its ``message``.

:func:`answer` computes the response of a request; the suite's expected responses and the
adapter (``iqm-rules conformance adapter``) both come from it. A request that breaks the
protocol itself (not a refused history, but a request without a question) is a
:class:`BadRequest`.

>>> from iqm_rules.interchange.examples import example_text
>>> import json
>>> request = {"format": REQUEST_FORMAT, "history": json.loads(example_text("first-award")),
...            "policy": None, "question": {"ask": "status", "as_of": "2025-01-01"}}
>>> json.loads(answer(request))["level"]
'inclusive_school'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from iqm_rules._dates import parse_date
from iqm_rules.assessment import Assessment
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import dump_decision, dump_status, load_history, load_policy
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.formats import timeline_document
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import replay, status, timeline
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

__all__ = [
    "ASKS",
    "REFUSAL_FORMAT",
    "REQUEST_FORMAT",
    "BadRequest",
    "answer",
    "protocol_schema",
    "refusal",
]

REQUEST_FORMAT: Final = "iqm-rules/conformance-request@1"
REFUSAL_FORMAT: Final = "iqm-rules/conformance-refusal@1"
ASKS: Final = ("status", "decision", "timeline")
"""The questions a request may ask."""

_REQUEST_KEYS: Final = ("format", "history", "policy", "question")
_QUESTION_KEYS: Final = {"status": "as_of", "decision": "assessment", "timeline": "as_of"}


class BadRequest(ValueError):
    """A request that breaks the protocol (not a history the rules refuse): ``path`` and why."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


def refusal(document: str, error: InvalidRecord) -> str:
    """The ``iqm-rules/conformance-refusal@1`` document of a refused history or policy."""
    return canonical_json(
        {"format": REFUSAL_FORMAT, "document": document, "path": error.path, "message": str(error)}
    )


def _question(request: Mapping[str, Any]) -> tuple[str, str]:
    """The question's kind and its one value (a date or an assessment id), checked."""
    question = request["question"]
    if not isinstance(question, Mapping) or question.get("ask") not in ASKS:
        raise BadRequest("question.ask", f"must be one of {', '.join(ASKS)}")
    ask: str = question["ask"]
    key = _QUESTION_KEYS[ask]
    if set(question) != {"ask", key}:
        raise BadRequest("question", f"a {ask} question holds ask and {key}, nothing else")
    value = question[key]
    if not isinstance(value, str) or not value:
        raise BadRequest(f"question.{key}", "must be non-empty text")
    if key == "as_of":
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise BadRequest("question.as_of", f"{value} is not a calendar date, YYYY-MM-DD")
    return ask, value


def _checked(request: object) -> Mapping[str, Any]:
    if not isinstance(request, Mapping):
        raise BadRequest("", "a request must be a JSON object")
    if request.get("format") != REQUEST_FORMAT:
        raise BadRequest("format", f'must be "{REQUEST_FORMAT}"')
    if set(request) != set(_REQUEST_KEYS):
        raise BadRequest("", f"a request holds exactly {', '.join(_REQUEST_KEYS)}")
    return request


def _assessment(history: SchoolHistory, wanted: str) -> Assessment:
    for event in history.events:
        if isinstance(event, Assessment) and event.id == wanted:
            return event
    raise BadRequest("question.assessment", f"no assessment {wanted!r} in the history")


def answer(request: object) -> str:
    """The response to ``request`` (parsed JSON), as canonical JSON text (module docstring)."""
    checked = _checked(request)
    ask, value = _question(checked)
    policy: Policy | PolicyBook = DEFAULT_POLICY
    if checked["policy"] is not None:
        try:
            policy = load_policy(checked["policy"])
        except InvalidRecord as error:
            return refusal("policy", error)
    try:
        history = load_history(checked["history"])
        if ask == "decision":
            wanted = _assessment(history, value)
            report = status(history, wanted.held_on, policy)
            return dump_decision(next(d for d in report.decisions if d.assessment_id == value))
        as_of = date.fromisoformat(value)
        if ask == "status":
            replayed = replay(history, policy)
            return dump_status(replayed.status(as_of), next_steps(replayed, as_of))
        return timeline_document(history.school.id, timeline(history, policy), as_of)
    except InvalidRecord as error:
        return refusal("history", error)


def protocol_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a protocol message: ``request``, ``response`` or ``case``."""
    from importlib import resources  # here: answering a request reads no schema

    text = (
        resources.files("iqm_rules.conformance")
        .joinpath("schemas", f"{name}.schema.json")
        .read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded
