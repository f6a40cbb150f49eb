"""Verifying a decision record: does it still hold, and does this library still compute it?

:func:`verify` first checks every digest of the record against its parts (and the policy ids
and parameter digest against its policy); any that fails makes the record ``tampered``, naming
the part. When every digest holds, it recomputes the output from the record's own inputs: the
same document means ``reproduces``; another means ``differs``, with one line per differing value
(``awards.flagship.state: recorded active, now revoked``) and whether the library or rulebook
version differs from the record's.

>>> from datetime import date
>>> from iqm_rules import example_text, load_history
>>> from iqm_rules.auditing.record import record_status
>>> record = record_status(load_history(example_text("coe-lapsed")), date(2025, 9, 1))
>>> verify(record).verdict
Verdict.REPRODUCES
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from attrs import evolve, field, frozen

from iqm_rules._shown import shown
from iqm_rules._terms import Term
from iqm_rules.auditing.record import (
    RULEBOOK_VERSION,
    Record,
    decision_of,
    library_version,
    policy_ids,
    policy_parameters_sha256,
    sha256,
)
from iqm_rules.errors import InvalidRecord, join_path, written
from iqm_rules.interchange import dump_decision, dump_status, load_history, load_policy
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.formats import VERIFICATION_FORMAT
from iqm_rules.lifecycle.replay import status

__all__ = [
    "VERIFICATION_FORMAT",
    "Verdict",
    "Verification",
    "differences",
    "dump_verifications",
    "verification_data",
    "verify",
]


class Verdict(Term):
    """What :func:`verify` found."""

    REPRODUCES = ("reproduces", "every digest holds and this library computes the same output")
    TAMPERED = ("tampered", "a part no longer matches its digest")
    DIFFERS = ("differs", "the digests hold but this library computes another output")


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(values)


@frozen
class Verification:
    """The verdict on one record, with what was tampered with or what differs.

    ``tampered`` names parts by their path in the record (``inputs.history``, ``output``, …);
    ``differences`` holds one line per differing value of the output. The versions are the
    record's; ``library_version_differs`` and ``rulebook_version_differs`` compare them with
    this library's.
    """

    verdict: Verdict
    tampered: tuple[str, ...] = field(converter=_strings)
    differences: tuple[str, ...] = field(converter=_strings)
    library_version: str
    rulebook_version: str
    library_version_differs: bool
    rulebook_version_differs: bool

    @property
    def reproduces(self) -> bool:
        """Whether the record reproduces (the only verdict that passes)."""
        return self.verdict is Verdict.REPRODUCES

    def lines(self) -> list[str]:
        """The verdict and its reasons, for people: the first line is the verdict. Values
        from the record are shown safe on a terminal (:func:`~iqm_rules._shown.shown`)."""
        return [shown(line) for line in self._lines()]

    def _lines(self) -> list[str]:
        if self.verdict is Verdict.TAMPERED:
            parts = ", ".join(self.tampered)
            if len(self.tampered) == 1:
                return [f"tampered: {parts} does not match its digest"]
            return [f"tampered: {parts} do not match their digests"]
        head = self.verdict.value
        versions = []
        if self.library_version_differs:
            versions.append(f"library {self.library_version} then, {library_version()} now")
        if self.rulebook_version_differs:
            versions.append(f"rulebook {self.rulebook_version} then, {RULEBOOK_VERSION} now")
        if versions:
            head += f" ({'; '.join(versions)})"
        return [head, *(f"  {line}" for line in self.differences)]


def _tampered(record: Record) -> Iterator[str]:
    recorded = record.recorded_digests()
    for part, text in record.parts().items():
        if sha256(text) != recorded[part]:
            yield part
    if policy_ids(record.policy, record.output) != record.provenance.policy_ids:
        yield "provenance.policy_ids"
    if policy_parameters_sha256(record.policy) != record.provenance.policy_parameters_sha256:
        yield "provenance.policy_parameters_sha256"


def _recomputed(record: Record) -> str:
    """This library's output for the record's question and inputs."""
    history = load_history(record.history)
    book = load_policy(record.policy)
    question = record.question
    if question.as_of is not None:
        return dump_status(status(history, question.as_of, book))
    return dump_decision(decision_of(history, str(question.assessment_id), book))


def _shown(value: object) -> str:
    if value is _ABSENT:
        return "absent"
    if isinstance(value, str):
        return value
    text = canonical_json(value)
    return text if len(text) <= 80 else text[:77] + "..."


_ABSENT: Any = object()


def differences(recorded: object, now: object, path: str = "") -> Iterator[str]:
    """Every value that differs between two JSON documents, as ``path: recorded X, now Y``.

    Objects are compared key by key and arrays item by item; paths use dots and ``[i]``.

    >>> list(differences({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}, "c": None}))
    ['a.b[1]: recorded 2, now 3', 'c: recorded absent, now null']
    """
    if isinstance(recorded, dict) and isinstance(now, dict):
        for key in sorted(recorded.keys() | now.keys()):
            inner = f"{path}.{key}" if path else key
            yield from differences(recorded.get(key, _ABSENT), now.get(key, _ABSENT), inner)
    elif isinstance(recorded, list) and isinstance(now, list):
        for index in range(max(len(recorded), len(now))):
            old = recorded[index] if index < len(recorded) else _ABSENT
            new = now[index] if index < len(now) else _ABSENT
            yield from differences(old, new, join_path(path, written((index,))))
    elif recorded is _ABSENT or now is _ABSENT or canonical_json(recorded) != canonical_json(now):
        yield f"{path or '(document)'}: recorded {_shown(recorded)}, now {_shown(now)}"


def verify(record: Record) -> Verification:
    """Check ``record``'s digests, then recompute it with this library (see the module docs).

    A record whose inputs this library now refuses ``differs``, with the error as its line.
    """
    recorded = record.provenance
    result = Verification(
        verdict=Verdict.REPRODUCES,
        tampered=(),
        differences=(),
        library_version=recorded.library_version,
        rulebook_version=recorded.rulebook_version,
        library_version_differs=recorded.library_version != library_version(),
        rulebook_version_differs=recorded.rulebook_version != RULEBOOK_VERSION,
    )
    tampered = tuple(_tampered(record))
    if tampered:
        return evolve(result, verdict=Verdict.TAMPERED, tampered=tampered)
    try:
        now = _recomputed(record)
    except InvalidRecord as error:
        line = f"output: recorded a {record.question.kind}, now the inputs are refused: {error}"
        return evolve(result, verdict=Verdict.DIFFERS, differences=(line,))
    found = tuple(differences(json.loads(record.output), json.loads(now)))
    if found:
        return evolve(result, verdict=Verdict.DIFFERS, differences=found)
    return result


def verification_data(verification: Verification) -> dict[str, Any]:
    """The JSON data of one verification: its verdict, reasons and the record's versions."""
    return {
        "verdict": verification.verdict.value,
        "tampered": list(verification.tampered),
        "differences": list(verification.differences),
        "library_version": verification.library_version,
        "rulebook_version": verification.rulebook_version,
        "library_version_differs": verification.library_version_differs,
        "rulebook_version_differs": verification.rulebook_version_differs,
    }


def dump_verifications(verifications: Iterable[Verification]) -> str:
    """The canonical ``iqm-rules/verification@1`` document: one object per record, in order.

    >>> from datetime import date
    >>> from iqm_rules import example_text, load_history
    >>> from iqm_rules.auditing.record import record_status
    >>> record = record_status(load_history(example_text("first-award")), date(2025, 9, 1))
    >>> dump_verifications([verify(record)])[:70]
    '{"format":"iqm-rules/verification@1","records":[{"differences":[],"lib'
    """
    return canonical_json(
        {
            "format": VERIFICATION_FORMAT,
            "records": [verification_data(v) for v in verifications],
        }
    )
