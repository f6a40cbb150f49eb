"""JSON forms of the answers that have no interchange format in the library yet.

A timeline, a readiness check and an audit come out of the service as documents in the style
of RULEBOOK §6: canonical JSON (sorted keys, compact, UTF-8 kept as is) with a ``format`` key,
``iqm-rules/timeline@1``, ``iqm-rules/readiness@1`` and ``iqm-rules/audit@1``. Each has a JSON
Schema in :data:`SCHEMAS`, published in the service's OpenAPI document.

>>> canonical({"b": 1, "a": "é"})
'{"a":"é","b":1}'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from iqm_rules.audit import AuditResult
from iqm_rules.decision import Finding
from iqm_rules.lifecycle import Change
from iqm_rules.readiness import Readiness

__all__ = [
    "AUDIT_FORMAT",
    "READINESS_FORMAT",
    "SCHEMAS",
    "TIMELINE_FORMAT",
    "audit_document",
    "canonical",
    "readiness_document",
    "timeline_document",
]

TIMELINE_FORMAT: Final = "iqm-rules/timeline@1"
READINESS_FORMAT: Final = "iqm-rules/readiness@1"
AUDIT_FORMAT: Final = "iqm-rules/audit@1"


def canonical(data: object) -> str:
    """``data`` as canonical JSON text, the one form of every response body."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "level": finding.level.value,
        "passed": finding.passed,
        "message": finding.message,
    }


def timeline_document(school_id: str, changes: Iterable[Change]) -> str:
    """The ``iqm-rules/timeline@1`` document: every change, in the order of ``timeline``."""
    return canonical(
        {
            "format": TIMELINE_FORMAT,
            "school_id": school_id,
            "changes": [
                {
                    "on": change.on.isoformat(),
                    "award": change.award.value,
                    "kind": change.kind.value,
                    "rule": change.rule,
                    "event_index": change.event_index,
                    "assessment_id": change.assessment_id,
                    "detail": change.detail,
                }
                for change in changes
            ],
        }
    )


def audit_document(school_id: str, result: AuditResult) -> str:
    """The ``iqm-rules/audit@1`` document: how many outcomes were compared, which disagree."""
    return canonical(
        {
            "format": AUDIT_FORMAT,
            "school_id": school_id,
            "compared": result.compared,
            "disagreements": [
                {
                    "event_index": item.event_index,
                    "assessment_id": item.assessment_id,
                    "held_on": item.held_on.isoformat(),
                    "recorded": None if item.recorded is None else item.recorded.value,
                    "decided": None if item.decided is None else item.decided.value,
                    "failing": [_finding(f) for f in item.failing],
                    "description": item.describe(),
                }
                for item in result.disagreements
            ],
        }
    )


def readiness_document(assessment_id: str, ready: Readiness) -> str:
    """The ``iqm-rules/readiness@1`` document of one assessment's :class:`Readiness`."""
    return canonical(
        {
            "format": READINESS_FORMAT,
            "assessment_id": assessment_id,
            "held_on": ready.held_on.isoformat(),
            "policy_id": ready.policy_id,
            "levels": [
                {
                    "level": level.level.value,
                    "state": level.state.value,
                    "shortfalls": [
                        {"rule": s.rule, "level": s.level.value, "action": s.action}
                        for s in level.shortfalls
                    ],
                    "awaiting_judgement": list(level.awaiting_judgement),
                }
                for level in ready.levels
            ],
            "findings": [
                {
                    "rule": f.rule,
                    "level": f.level.value,
                    "state": f.state.value,
                    "message": f.message,
                }
                for f in ready.findings
            ],
            "ignored_evidence": list(ready.ignored_evidence),
        }
    )


_DATE: Final = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_AWARD: Final = {"enum": ["inclusive_school", "centre_of_excellence", "flagship"]}
_NULLABLE_AWARD: Final = {"oneOf": [{"type": "null"}, _AWARD]}
_TEXT: Final = {"type": "string"}
_TEXTS: Final = {"type": "array", "items": _TEXT}
_STATE: Final = {"enum": ["not_met", "needs_judgement", "met"]}


def _object(title: str, description: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "object",
        "properties": dict(properties),
        "required": list(properties),
        "additionalProperties": False,
    }


def _document(form: str, description: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **_object(form, description, {"format": {"const": form}, **properties}),
    }


SCHEMAS: Final[Mapping[str, dict[str, Any]]] = {
    "timeline": _document(
        TIMELINE_FORMAT,
        "Every dated state change of a school's awards, with the rule that caused it (LC-1…LC-8).",
        {
            "school_id": _TEXT,
            "changes": {
                "type": "array",
                "items": _object(
                    "change",
                    "One change of one award on one date.",
                    {
                        "on": _DATE,
                        "award": _AWARD,
                        "kind": {
                            "enum": [
                                "awarded",
                                "renewed",
                                "revoked",
                                "lapsed",
                                "withdrawn",
                                "window_opened",
                                "overdue",
                            ]
                        },
                        "rule": _TEXT,
                        "event_index": {"type": ["integer", "null"], "minimum": 0},
                        "assessment_id": {"type": ["string", "null"]},
                        "detail": _TEXT,
                    },
                ),
            },
        },
    ),
    "readiness": _document(
        READINESS_FORMAT,
        "How ready an assessment is before it is judged: every rule and every level.",
        {
            "assessment_id": _TEXT,
            "held_on": _DATE,
            "policy_id": _TEXT,
            "levels": {
                "type": "array",
                "items": _object(
                    "level readiness",
                    "One level: its state, the shortfalls to fix, the rules awaiting judgement.",
                    {
                        "level": _AWARD,
                        "state": _STATE,
                        "shortfalls": {
                            "type": "array",
                            "items": _object(
                                "shortfall",
                                "What to do so that one rule passes.",
                                {"rule": _TEXT, "level": _AWARD, "action": _TEXT},
                            ),
                        },
                        "awaiting_judgement": _TEXTS,
                    },
                ),
            },
            "findings": {
                "type": "array",
                "items": _object(
                    "readiness finding",
                    "One rule's state before the assessment.",
                    {"rule": _TEXT, "level": _AWARD, "state": _STATE, "message": _TEXT},
                ),
            },
            "ignored_evidence": _TEXTS,
        },
    ),
    "audit": _document(
        AUDIT_FORMAT,
        "Recorded outcomes that disagree with the rules, in application order.",
        {
            "school_id": _TEXT,
            "compared": {"type": "integer", "minimum": 0},
            "disagreements": {
                "type": "array",
                "items": _object(
                    "disagreement",
                    "One assessment whose recorded outcome is not what the rules decide.",
                    {
                        "event_index": {"type": "integer", "minimum": 0},
                        "assessment_id": _TEXT,
                        "held_on": _DATE,
                        "recorded": _NULLABLE_AWARD,
                        "decided": _NULLABLE_AWARD,
                        "failing": {
                            "type": "array",
                            "items": _object(
                                "finding",
                                "A rule that did not pass.",
                                {
                                    "rule": _TEXT,
                                    "level": _AWARD,
                                    "passed": {"type": "boolean"},
                                    "message": _TEXT,
                                },
                            ),
                        },
                        "description": _TEXT,
                    },
                ),
            },
        },
    ),
}
"""The JSON Schema (draft 2020-12) of each of the service's own formats."""
