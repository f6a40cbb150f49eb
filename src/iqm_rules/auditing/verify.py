"""Verifying a decision record: who signed it, does it still hold, does this library compute it?

:func:`verify` first checks every digest of the record against its parts (and the policy ids
and parameter digest against its policy, and ``provenance_sha256`` against the provenance); any
that fails makes the record ``tampered``, naming the part. When every digest holds, it
recomputes the output from the record's own inputs: the same document means ``reproduces``;
another means ``differs``, with one line per differing value (``awards.flagship.state: recorded
active, now revoked``) and whether the library or rulebook version differs from the record's.

Beside the verdict, its :class:`Seal`: ``signed`` by the key it names, ``forged`` (a signature
that does not verify: the record, or its signature, changed after it was signed) or
``unsigned``. Given the keys an auditor trusts, it also says whether the signing key is one of
them; only a record that reproduces, is not forged and, when keys are given, is signed by a
trusted key :attr:`~Verification.passes`.

>>> from datetime import date
>>> from iqm_rules import example_text, load_history
>>> from iqm_rules.auditing.record import record_status
>>> record = record_status(load_history(example_text("coe-lapsed")), date(2025, 9, 1))
>>> verify(record).verdict
Verdict.REPRODUCES
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from attrs import evolve, field, frozen

from iqm_rules._shown import shown
from iqm_rules._terms import Term
from iqm_rules.auditing.provenance import (
    RULEBOOK_VERSION,
    library_version,
    policy_ids,
    policy_parameters_sha256,
    sha256,
)
from iqm_rules.auditing.record import UNCOVERED_IN_RECORD_1, Record
from iqm_rules.errors import InvalidRecord, join_path, written
from iqm_rules.interchange import load_history, load_policy
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.answers import decision_answer, status_answer
from iqm_rules.interchange.formats import VERIFICATION_FORMAT

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import PublicKey

__all__ = [
    "VERIFICATION_FORMAT",
    "Seal",
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


class Seal(Term):
    """Who vouches for a record, as :func:`verify` found it."""

    SIGNED = ("signed", "signed, and the signature verifies with the key it names")
    FORGED = ("forged", "signed, but the signature does not verify: something changed since")
    UNSIGNED = ("unsigned", "no signature")


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(values)


@frozen
class Verification:
    """The verdict on one record, with what was tampered with or what differs.

    ``tampered`` names parts by their path in the record (``inputs.history``, ``output``, …);
    ``differences`` holds one line per differing value of the output. The versions are the
    record's; ``library_version_differs`` and ``rulebook_version_differs`` compare them with
    this library's. ``seal`` and ``key_id`` say who signed it; ``trusted`` whether that key is
    one of those given to :func:`verify` (None when none were). ``uncovered`` names the fields
    no digest covers (those of a ``record@1``).
    """

    verdict: Verdict
    tampered: tuple[str, ...] = field(converter=_strings)
    differences: tuple[str, ...] = field(converter=_strings)
    library_version: str
    rulebook_version: str
    library_version_differs: bool
    rulebook_version_differs: bool
    seal: Seal = Seal.UNSIGNED
    key_id: str | None = None
    trusted: bool | None = None
    uncovered: tuple[str, ...] = field(default=(), converter=_strings)

    @property
    def reproduces(self) -> bool:
        """Whether the record reproduces (its digests hold and this library computes it)."""
        return self.verdict is Verdict.REPRODUCES

    @property
    def passes(self) -> bool:
        """Whether the record reproduces, is not forged and, if keys were trusted, is signed
        by one of them."""
        return self.reproduces and self.seal is not Seal.FORGED and self.trusted is not False

    def lines(self) -> list[str]:
        """The verdict and its reasons, for people: the first line is the verdict. Values
        from the record are shown safe on a terminal (:func:`~iqm_rules._shown.shown`)."""
        return [shown(line) for line in self._lines()]

    def _lines(self) -> list[str]:
        if self.seal is Seal.FORGED:
            head = f"forged: the signature by key {self.key_id} does not verify"
            if self.tampered:
                return [f"{head}; {self._changed()}"]
            return [f"{head}; no digest shows which part changed (they were made again)"]
        if self.verdict is Verdict.TAMPERED:
            return [f"tampered: {self._changed()}, {self._vouched()}"]
        head = self.verdict.value
        versions = []
        if self.library_version_differs:
            versions.append(f"library {self.library_version} then, {library_version()} now")
        if self.rulebook_version_differs:
            versions.append(f"rulebook {self.rulebook_version} then, {RULEBOOK_VERSION} now")
        if versions:
            head += f" ({'; '.join(versions)})"
        head += f", {self._vouched()}"
        return [head, *(f"  {line}" for line in self.differences)]

    def _changed(self) -> str:
        parts = ", ".join(self.tampered)
        if len(self.tampered) == 1:
            return f"{parts} does not match its digest"
        return f"{parts} do not match their digests"

    def _vouched(self) -> str:
        if self.seal is Seal.SIGNED:
            said = f"signed by key {self.key_id}"
            if self.trusted is not None:
                said += ", a trusted key" if self.trusted else ", which is not a trusted key"
            return said
        said = "unsigned"
        if self.trusted is False:
            said += ": no trusted key vouches for it"
        if self.uncovered:
            said += f" (a record@1: {' and '.join(self.uncovered)} covered by no digest)"
        return said


def _tampered(record: Record) -> Iterator[str]:
    recorded = record.recorded_digests()
    for part, text in record.parts().items():
        if sha256(text) != recorded[part]:
            yield part
    if policy_ids(record.policy, record.output) != record.provenance.policy_ids:
        yield "provenance.policy_ids"
    if policy_parameters_sha256(record.policy) != record.provenance.policy_parameters_sha256:
        yield "provenance.policy_parameters_sha256"
    covered = record.provenance.provenance_sha256
    if covered is not None and sha256(canonical_json(record.provenance.covered())) != covered:
        yield "provenance"


def _sealed(record: Record, trusted: Sequence[PublicKey] | None) -> dict[str, Any]:
    """The record's seal, its key id and whether that key is trusted."""
    signature = record.signature
    if signature is None:
        return {"seal": Seal.UNSIGNED, "trusted": None if trusted is None else False}
    from iqm_rules.auditing.signing import KeyProblem

    try:
        key = signature.key()
        holds = key.key_id == signature.key_id and key.verifies(
            record.signed_text(), signature.value
        )
    except KeyProblem as error:
        if "pip install" in str(error):
            raise
        holds = False
    found: dict[str, Any] = {
        "seal": Seal.SIGNED if holds else Seal.FORGED,
        "key_id": signature.key_id,
    }
    if trusted is not None:
        found["trusted"] = holds and any(k.raw == key.raw for k in trusted)
    return found


def _recomputed(record: Record) -> str:
    """This library's output for the record's question and inputs."""
    history = load_history(record.history)
    book = load_policy(record.policy)
    question = record.question
    if question.as_of is not None:
        with_steps = "next_steps" in json.loads(record.output)  # not in records made before
        return status_answer(history, question.as_of, book, with_steps=with_steps)
    return decision_answer(history, str(question.assessment_id), book)


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


def verify(record: Record, trusted: Sequence[PublicKey] | None = None) -> Verification:
    """Check ``record``'s digests and signature, then recompute it with this library (see the
    module docs). ``trusted`` are the keys an auditor trusts (None: trust is not asked about).

    A record whose inputs this library now refuses ``differs``, with the error as its line.
    Checking a signature needs the ``signing`` extra.
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
        uncovered=UNCOVERED_IN_RECORD_1 if recorded.provenance_sha256 is None else (),
        **_sealed(record, trusted),
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
        "seal": verification.seal.value,
        "key_id": verification.key_id,
        "trusted": verification.trusted,
        "uncovered": list(verification.uncovered),
        "passes": verification.passes,
    }


def dump_verifications(verifications: Iterable[Verification]) -> str:
    """The canonical ``iqm-rules/verification@2`` document: one object per record, in order.

    >>> from datetime import date
    >>> from iqm_rules import example_text, load_history
    >>> from iqm_rules.auditing.record import record_status
    >>> record = record_status(load_history(example_text("first-award")), date(2025, 9, 1))
    >>> dump_verifications([verify(record)])[:70]
    '{"format":"iqm-rules/verification@2","records":[{"differences":[],"key'
    """
    return canonical_json(
        {
            "format": VERIFICATION_FORMAT,
            "records": [verification_data(v) for v in verifications],
        }
    )
