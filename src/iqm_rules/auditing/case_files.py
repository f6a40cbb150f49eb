"""Reading rule case files: their data, the histories and policies they name, and the files
a path stands for; run by :mod:`iqm_rules.auditing.cases`.

A case file is TOML if its name ends in ``.toml``, else JSON with the same keys. A case's
history is inline, the name of one under ``[histories.NAME]``, a path relative to the case file,
or ``{example = "NAME"}``; its policy is inline overrides of the defaults, a book with
``policies``, or a path to a policy file. Inline histories may leave out ``format`` and an
event's ``type``, give the other judgements with ``"*"``, and hold ``"complete"`` evidence (see
:mod:`iqm_rules.auditing.cases`). Whatever cannot be read as written is a :class:`CaseError`
naming where in the case file it is.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import POLICY_FORMAT, load_history, load_policy, plain_data
from iqm_rules.interchange.examples import example_text
from iqm_rules.interchange.formats import HISTORY_FORMAT
from iqm_rules.policy import Policy, PolicyBook
from iqm_rules.principles import Element, Principle

__all__ = [
    "HISTORY_FORMAT",
    "CaseError",
    "case_document",
    "case_files",
    "case_history",
    "case_policy",
    "items",
    "read",
    "table",
]


class CaseError(Exception):
    """A case that cannot be run as written: reported as a mismatch at ``where``."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where, problem)
        self.where = where
        self.problem = problem


def table(value: object, where: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    """``value`` as a table of only the ``allowed`` keys, else a :class:`CaseError` at ``where``."""
    if not isinstance(value, Mapping):
        raise CaseError(where, "must be a table (an object)")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CaseError(
            f"{where}.{unknown[0]}" if where else unknown[0],
            f"unknown key; allowed: {', '.join(sorted(allowed))}",
        )
    return value


def items(value: object, where: str) -> list[Any]:
    """``value`` as a list, else a :class:`CaseError` at ``where``."""
    if not isinstance(value, list):
        raise CaseError(where, "must be a list")
    return value


def read(path: Path) -> object:
    """A case or history file's data: TOML if it ends in ``.toml``, else JSON; dates as text."""
    text = path.read_text("utf-8-sig")
    try:
        if path.suffix.lower() == ".toml":
            return plain_data(tomllib.loads(text))
        return json.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CaseError("", f"malformed TOML: {error}") from None
    except json.JSONDecodeError as error:
        raise CaseError("", f"malformed JSON at line {error.lineno}: {error.msg}") from None


def _complete_evidence(held_on: object) -> list[dict[str, Any]]:
    voices = sorted(kind.value for kind in EvidenceKind.voices())
    return [
        {
            "id": f"complete-{n + 1:02d}",
            "element": list(Element)[n % len(Element)].value,
            "principles": [p.value for p in Principle],
            "kind": voices[n % len(voices)],
            "collected_on": held_on,
            "summary": "Complete evidence",
        }
        for n in range(2 * len(Element))
    ]


def _expand_event(event: object) -> object:
    if not isinstance(event, Mapping):
        return event
    out = dict(event)
    if "type" not in out:
        out["type"] = "withdrawal" if "on" in out else "assessment"
    judgements = out.get("judgements")
    if isinstance(judgements, Mapping) and "*" in judgements:
        rest = judgements["*"]
        out["judgements"] = {e.value: judgements.get(e.value, rest) for e in Element} | {
            k: v for k, v in judgements.items() if k != "*"
        }
    evidence = out.get("evidence")
    if isinstance(evidence, list) and "complete" in evidence:
        written = [item for item in evidence if item != "complete"]
        out["evidence"] = written + _complete_evidence(out.get("held_on"))
    return out


def _inline_history(data: Mapping[str, Any]) -> dict[str, Any]:
    document = {"format": HISTORY_FORMAT, **data}
    events = document.get("events")
    if isinstance(events, list):
        document["events"] = [_expand_event(event) for event in events]
    return document


def case_history(value: object, where: str, base: Path, named: Mapping[str, Any]) -> SchoolHistory:
    """The case's history; an error in it propagates as :class:`InvalidRecord`."""
    return load_history(case_document(value, where, base, named))


def case_document(
    value: object, where: str, base: Path, named: Mapping[str, Any]
) -> Mapping[str, Any] | str:
    """The case's history as an ``iqm-rules/history@1`` document, not yet read: the data of
    an inline or TOML history with its conveniences expanded, or the JSON text of a file or
    an example (so that a history the rules refuse can still be shown as written)."""
    if isinstance(value, str) and value in named:
        value = named[value]
    if isinstance(value, str):
        path = base / value
        if not path.is_file():
            raise CaseError(where, f"no history file {str(path)!r}")
        data = read(path)
        if path.suffix.lower() == ".toml" and isinstance(data, Mapping):
            data = _inline_history(data)
        return data if isinstance(data, Mapping) else json.dumps(data)
    if isinstance(value, Mapping) and set(value) == {"example"}:
        try:
            return example_text(str(value["example"]))
        except (KeyError, ValueError) as error:
            raise CaseError(f"{where}.example", str(error)) from None
    if isinstance(value, Mapping):
        return _inline_history(value)
    raise CaseError(where, "must be a path, {example = NAME} or an inline history table")


def case_policy(value: object, where: str, base: Path) -> Policy | PolicyBook | None:
    """The case's policy, if it names one (paths relative to ``base``, the case file's folder)."""
    try:
        if value is None:
            return None
        if isinstance(value, str):
            path = base / value
            if not path.is_file():
                raise CaseError(where, f"no policy file {str(path)!r}")
            return load_policy(path)
        if isinstance(value, Mapping):
            data = value if "policies" in value else {"id": "case", **value}
            if "policies" not in value:
                data = {"effective_from": "0001-01-01", **data}
            return load_policy({"format": POLICY_FORMAT, **data})
    except InvalidRecord as error:
        raise CaseError(f"{where}.{error.path}" if error.path else where, error.problem) from None
    raise CaseError(where, "must be a path to a policy file or a table of parameters")


def case_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[Path, ...]:
    """The case files named: files as given, directories searched for ``*.toml`` and ``*.json``."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".toml", ".json") and p.is_file())
            )
        else:
            found.append(path)
    return tuple(found)
