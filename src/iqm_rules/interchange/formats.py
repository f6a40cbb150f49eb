"""The name of every document format, defined here once; and the JSON forms of the answers that
have no interchange format in the library yet.

Each document carries its format's name in its ``format`` key; :data:`FORMATS` names them by
the name of their JSON Schema (``iqm_rules.schema("history")``).

A timeline comes out of the service as a document in the style of RULEBOOK §6: canonical JSON
(sorted keys, compact, UTF-8 kept as is) with a ``format`` key, ``iqm-rules/timeline@1``. Its
JSON Schema ships with the others in the package (``iqm_rules.schema("timeline")``) and is
published in the service's OpenAPI document.

>>> canonical_json({"b": 1, "a": "é"})
'{"a":"é","b":1}'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.lifecycle.replay import Change

__all__ = [
    "AUDIT_FORMAT",
    "DECISION_FORMAT",
    "FORMATS",
    "HISTORY_FORMAT",
    "LOG_STATUS_FORMAT",
    "LOG_VERIFICATION_FORMAT",
    "PLANNED_FORMAT",
    "POLICY_FORMAT",
    "POLICY_SETTINGS_FORMAT",
    "READINESS_FORMAT",
    "RECORD_FORMAT",
    "RECORD_FORMAT_1",
    "STATUS_FORMAT",
    "TIMELINE_FORMAT",
    "VERIFICATION_FORMAT",
    "timeline_document",
]

HISTORY_FORMAT: Final = "iqm-rules/history@1"
DECISION_FORMAT: Final = "iqm-rules/decision@1"
STATUS_FORMAT: Final = "iqm-rules/status@1"
POLICY_FORMAT: Final = "iqm-rules/policy@1"
TIMELINE_FORMAT: Final = "iqm-rules/timeline@1"
RECORD_FORMAT: Final = "iqm-rules/record@2"
RECORD_FORMAT_1: Final = "iqm-rules/record@1"
"""The record format before signatures, still read and verified."""
VERIFICATION_FORMAT: Final = "iqm-rules/verification@2"
AUDIT_FORMAT: Final = "iqm-rules/audit-report@1"
PLANNED_FORMAT: Final = "iqm-rules/planned@1"
READINESS_FORMAT: Final = "iqm-rules/readiness@1"
POLICY_SETTINGS_FORMAT: Final = "iqm-rules/policy-settings@1"
LOG_VERIFICATION_FORMAT: Final = "iqm-rules/log-verification@1"
LOG_STATUS_FORMAT: Final = "iqm-rules/log-status@1"

FORMATS: Final[Mapping[str, str]] = {
    "history": HISTORY_FORMAT,
    "decision": DECISION_FORMAT,
    "status": STATUS_FORMAT,
    "policy": POLICY_FORMAT,
    "timeline": TIMELINE_FORMAT,
    "record": RECORD_FORMAT,
    "verification": VERIFICATION_FORMAT,
    "audit-report": AUDIT_FORMAT,
    "planned": PLANNED_FORMAT,
    "readiness": READINESS_FORMAT,
    "policy-settings": POLICY_SETTINGS_FORMAT,
    "log-verification": LOG_VERIFICATION_FORMAT,
    "log-status": LOG_STATUS_FORMAT,
}
"""Each format's name, by the name of its JSON Schema."""


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
    return canonical_json({"format": TIMELINE_FORMAT, "school_id": school_id, "changes": listed})
