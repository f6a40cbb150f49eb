"""The cases of the suite, from three sources, and what they cover.

- **rule cases**: every case of the rule case files given (the project's ``cases/``: the worked
  examples of RULEBOOK §5 and the clarifications of §7), one conformance case per question its
  expectations ask (a status date, a decision, a timeline; a refused history asks a status);
- **examples**: every bundled example, its status on each event's date and on 2025-09-01,
  each assessment's decision and its timeline, under the defaults and two other policies;
- **generated**: the seeded histories of :mod:`.generated`.

Each :class:`Case` holds its request and its expected response, computed by
:func:`~iqm_rules.conformance.protocol.answer`. :func:`coverage` says which rules the expected
responses show passing and failing, and which outcomes, award states and change kinds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from iqm_rules.auditing.case_files import (
    case_document,
    case_files,
    case_policy,
    items,
    read,
    table,
)
from iqm_rules.auditing.cases import Coverage, Seen, coverage_of
from iqm_rules.conformance.generated import COUNT, POLICIES, SEED, generated
from iqm_rules.conformance.protocol import REQUEST_FORMAT, answer
from iqm_rules.decisions.decision import Outcome
from iqm_rules.interchange import dump_policy, parse_json, structure
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.interchange.formats import DECISION_FORMAT, STATUS_FORMAT, TIMELINE_FORMAT
from iqm_rules.lifecycle.replay import AwardState, ChangeKind

__all__ = [
    "CASE_FORMAT",
    "EXAMPLE_DATE",
    "Case",
    "coverage",
    "example_cases",
    "generated_cases",
    "rule_cases",
]

CASE_FORMAT: Final = "iqm-rules/conformance-case@1"
EXAMPLE_DATE: Final = "2025-09-01"
"""The date every example's status and timeline is asked on, beside its events' dates."""

_EXAMPLE_POLICIES: Final = ("more-than", "book-2019")
_SAFE: Final = re.compile(r"[^A-Za-z0-9_-]+")


@frozen
class Case:
    """One conformance case: its id (also its file, ``cases/ID.json``), where it comes from,
    what it is, its request and the expected response (canonical JSON text)."""

    id: str
    source: str
    description: str
    request: Mapping[str, Any]
    expected: str

    @property
    def ask(self) -> str:
        """What the request asks: ``status``, ``decision`` or ``timeline``."""
        ask: str = self.request["question"]["ask"]
        return ask

    def document(self) -> str:
        """The case file: canonical JSON of the request and the expected response."""
        return canonical_json(
            {
                "format": CASE_FORMAT,
                "id": self.id,
                "source": self.source,
                "description": self.description,
                "request": self.request,
                "expected": json.loads(self.expected),
            }
        )


def _request(
    history: object, policy: Mapping[str, Any] | None, question: Mapping[str, str]
) -> dict[str, Any]:
    return {"format": REQUEST_FORMAT, "history": history, "policy": policy, "question": question}


def _leaf(question: Mapping[str, str]) -> str:
    value = question.get("as_of") or question["assessment"]
    return f"{question['ask']}-{_SAFE.sub('_', value)}"


def _case(
    id: str,
    source: str,
    description: str,
    history: object,
    policy: Mapping[str, Any] | None,
    question: Mapping[str, str],
) -> Case:
    request = _request(history, policy, question)
    return Case(id, source, description, request, answer(request))


def _unique(questions: Iterable[Mapping[str, str]]) -> list[Mapping[str, str]]:
    found: list[Mapping[str, str]] = []
    for question in questions:
        if question not in found:
            found.append(question)
    return found


def _event_dates(history: object) -> list[str]:
    events = history.get("events") if isinstance(history, Mapping) else None
    found = []
    for event in events if isinstance(events, list) else []:
        if isinstance(event, Mapping):
            day = event.get("held_on", event.get("on"))
            if isinstance(day, str):
                found.append(day)
    return found


def _rule_case_questions(expect: Mapping[str, Any], history: object) -> list[Mapping[str, str]]:
    questions: list[Mapping[str, str]] = [
        {"ask": "status", "as_of": str(entry["on"])}
        for entry in items(expect.get("status", []), "expect.status")
        if isinstance(entry, Mapping) and "on" in entry
    ]
    questions += [
        {"ask": "decision", "assessment": str(entry["assessment"])}
        for entry in items(expect.get("decisions", []), "expect.decisions")
        if isinstance(entry, Mapping) and "assessment" in entry
    ]
    changes = [
        str(entry["on"])
        for entry in items(expect.get("timeline", []), "expect.timeline")
        if isinstance(entry, Mapping) and "on" in entry
    ]
    if changes:
        questions.append({"ask": "timeline", "as_of": max(changes)})
    if not questions:
        days = _event_dates(history)
        questions.append({"ask": "status", "as_of": max(days) if days else EXAMPLE_DATE})
    return _unique(questions)


def rule_cases(paths: Iterable[str | Path]) -> Iterator[Case]:
    """One case per question of every rule case in the files and directories named."""
    for file in case_files(paths):
        document = table(read(file), "", frozenset({"cases", "histories"}))
        named = document.get("histories", {})
        for index, case in enumerate(items(document.get("cases"), "cases")):
            where = f"cases[{index}]"
            history: object = case_document(
                case.get("history"), f"{where}.history", file.parent, named
            )
            if isinstance(history, str):
                history = parse_json(history)
            book = case_policy(case.get("policy"), f"{where}.policy", file.parent)
            policy = None if book is None else json.loads(dump_policy(book))
            expect = table(
                case.get("expect", {}), f"{where}.expect", frozenset(case.get("expect", {}))
            )
            name = str(case.get("name", where))
            for question in _rule_case_questions(expect, history):
                id = f"rule-cases/{_SAFE.sub('_', file.stem)}/{index + 1:02d}-{_leaf(question)}"
                yield _case(id, "rule case", f"{file.name}: {name}", history, policy, question)


def example_cases() -> Iterator[Case]:
    """Every bundled example's statuses, decisions and timeline, under three policies."""
    documents = dict(POLICIES)
    for name in examples():
        history = parse_json(example_text(name))
        assert isinstance(history, Mapping)
        questions: list[Mapping[str, str]] = [
            {"ask": "status", "as_of": day} for day in [*_event_dates(history), EXAMPLE_DATE]
        ]
        questions += [
            {"ask": "decision", "assessment": event["id"]}
            for event in history["events"]
            if event["type"] == "assessment"
        ]
        questions.append({"ask": "timeline", "as_of": EXAMPLE_DATE})
        for question in _unique(questions):
            id = f"examples/{name}/{_leaf(question)}"
            yield _case(id, "example", f"example {name}", history, None, question)
        for policy in _EXAMPLE_POLICIES:
            for ask in ("status", "timeline"):
                question = {"ask": ask, "as_of": EXAMPLE_DATE}
                id = f"examples/{name}/{policy}/{_leaf(question)}"
                description = f"example {name} under policy {policy}"
                yield _case(id, "example", description, history, documents[policy], question)


def generated_cases(seed: int = SEED, count: int = COUNT) -> Iterator[Case]:
    """The cases of the generated histories (:mod:`.generated`)."""
    for drawn in generated(seed, count):
        for question in drawn.questions:
            id = f"generated/{drawn.number:04d}/{_leaf(question)}"
            description = (
                f"generated history {drawn.number} (seed {seed}), policy {drawn.policy_name}"
            )
            yield _case(id, "generated", description, drawn.history, drawn.policy, question)


def _seen(expected: str) -> Seen:
    """What one expected response shows."""
    document = json.loads(expected)
    form = document["format"]
    decisions: Sequence[Mapping[str, Any]] = ()
    if form == STATUS_FORMAT:
        decisions = document["decisions"]
    elif form == DECISION_FORMAT:
        decisions = [document]
    findings = [f for d in decisions for f in d["findings"]]
    awards = document["awards"].values() if form == STATUS_FORMAT else ()
    changes = document["changes"] if form == TIMELINE_FORMAT else ()
    return Seen(
        passing=frozenset(f["rule"] for f in findings if f["passed"]),
        failing=frozenset(f["rule"] for f in findings if not f["passed"]),
        outcomes=frozenset(structure(d["outcome"], Outcome) for d in decisions),
        states=frozenset(structure(a["state"], AwardState) for a in awards),
        changes=frozenset(structure(c["kind"], ChangeKind) for c in changes),
    )


def coverage(cases: Iterable[Case]) -> Coverage:
    """Which rules the expected responses show passing and failing, which outcomes, award
    states and change kinds (and which they never show)."""
    return coverage_of(_seen(case.expected) for case in cases)
