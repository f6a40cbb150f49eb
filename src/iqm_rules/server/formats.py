"""JSON forms of the answers that have no interchange format in the library yet.

A timeline comes out of the service as a document in the style of RULEBOOK §6: canonical JSON
(sorted keys, compact, UTF-8 kept as is) with a ``format`` key, ``iqm-rules/timeline@1``. Its
JSON Schema is in :data:`SCHEMAS`, published in the service's OpenAPI document. (Readiness,
audits, verification and what-if use the library's own documents and shipped schemas.)

>>> canonical({"b": 1, "a": "é"})
'{"a":"é","b":1}'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from iqm_rules.lifecycle import Change

__all__ = ["SCHEMAS", "TIMELINE_FORMAT", "canonical", "timeline_document"]

TIMELINE_FORMAT: Final = "iqm-rules/timeline@1"


def canonical(data: object) -> str:
    """``data`` as canonical JSON text, the one form of every response body."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def timeline_document(school_id: str, changes: Iterable[Change], as_of: date | None = None) -> str:
    """The ``iqm-rules/timeline@1`` document: every change, in the order of ``timeline``.

    With ``as_of``, each change carries the optional ``happened``: true on or before ``as_of``,
    false for a change still ahead, which happens only if nothing is done (no renewal).
    """
    listed = []
    for change in changes:
        item: dict[str, Any] = {
            "on": change.on.isoformat(),
            "award": change.award.value,
            "kind": change.kind.value,
            "rule": change.rule,
            "event_index": change.event_index,
            "assessment_id": change.assessment_id,
            "detail": change.detail,
        }
        if as_of is not None:
            item["happened"] = change.on <= as_of
        listed.append(item)
    return canonical({"format": TIMELINE_FORMAT, "school_id": school_id, "changes": listed})


_DATE: Final = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_AWARD: Final = {"enum": ["inclusive_school", "centre_of_excellence", "flagship"]}
_TEXT: Final = {"type": "string"}


def _object(
    title: str,
    description: str,
    properties: Mapping[str, Any],
    optional: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "object",
        "properties": {**properties, **(optional or {})},
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
                    {
                        "happened": {
                            "type": "boolean",
                            "description": (
                                "Given with an as-of date: true on or before it; false for a "
                                "change still ahead, which happens only if nothing is done."
                            ),
                        }
                    },
                ),
            },
        },
    ),
}
"""The JSON Schema (draft 2020-12) of each of the service's own formats."""
