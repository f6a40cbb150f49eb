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
from iqm_rules.words import ENGLISH, Words

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

    def lines(self, words: Words = ENGLISH) -> list[str]:
        """The verdict and its reasons, for people in ``words``' language: the first line is
        the verdict and the seal. Values from the record are shown safe on a terminal
        (:func:`~iqm_rules._shown.shown`); a differing value is named by its path in the
        output document, as the JSON's ``differences`` are."""
        return [shown(line) for line in self._lines(words)]

    def _lines(self, words: Words) -> list[str]:
        if self.seal is Seal.FORGED:
            if self.tampered:
                return [
                    words.gettext(
                        "forged: the signature by key %(key)s does not verify; %(changed)s",
                        key=self.key_id,
                        changed=self._changed(words),
                    )
                ]
            return [
                words.gettext(
                    "forged: the signature by key %(key)s does not verify; no digest shows "
                    "which part changed (they were made again)",
                    key=self.key_id,
                )
            ]
        if self.verdict is Verdict.TAMPERED:
            return [
                words.gettext(
                    "tampered: %(changed)s, %(seal)s",
                    changed=self._changed(words),
                    seal=self._vouched(words),
                )
            ]
        versions = []
        if self.library_version_differs:
            versions.append(
                words.gettext(
                    "library %(then)s then, %(now)s now",
                    then=self.library_version,
                    now=library_version(),
                )
            )
        if self.rulebook_version_differs:
            versions.append(
                words.gettext(
                    "rulebook %(then)s then, %(now)s now",
                    then=self.rulebook_version,
                    now=RULEBOOK_VERSION,
                )
            )
        if self.verdict is Verdict.REPRODUCES:
            verdict = words.pgettext("verdict", "reproduces")
        else:
            verdict = words.pgettext("verdict", "differs")
        if versions:
            head = words.gettext(
                "%(verdict)s (%(versions)s), %(seal)s",
                verdict=verdict,
                versions="; ".join(versions),
                seal=self._vouched(words),
            )
        else:
            head = words.gettext(
                "%(verdict)s, %(seal)s", verdict=verdict, seal=self._vouched(words)
            )
        return [head, *(f"  {line}" for line in self.differences)]

    def _changed(self, words: Words) -> str:
        parts = words.listing([_part_said(words, part) for part in self.tampered])
        return words.ngettext(
            "%(parts)s does not match its digest",
            "%(parts)s do not match their digests",
            len(self.tampered),
            parts=parts,
        )

    def _vouched(self, words: Words) -> str:
        if self.seal is Seal.SIGNED:
            if self.trusted is None:
                return words.gettext("signed by key %(key)s", key=self.key_id)
            if self.trusted:
                return words.gettext("signed by key %(key)s, a trusted key", key=self.key_id)
            return words.gettext(
                "signed by key %(key)s, which is not a trusted key", key=self.key_id
            )
        if self.uncovered:
            fields = words.listing([_part_said(words, part) for part in self.uncovered])
            if self.trusted is False:
                return words.gettext(
                    "unsigned: no trusted key vouches for it (a record@1: %(fields)s covered "
                    "by no digest)",
                    fields=fields,
                )
            return words.gettext(
                "unsigned (a record@1: %(fields)s covered by no digest)", fields=fields
            )
        if self.trusted is False:
            return words.gettext("unsigned: no trusted key vouches for it")
        return words.gettext("unsigned")


def _part_said(words: Words, part: str) -> str:
    """A part or field of a record in words (``inputs.history``: ``the history``); a part
    this library does not name is given by its path."""
    if part == "question":
        return words.gettext("the question")
    if part == "inputs.history":
        return words.gettext("the history")
    if part == "inputs.policy":
        return words.gettext("the policy")
    if part == "output":
        return words.gettext("the output")
    if part == "provenance.policy_ids":
        return words.gettext("the ids of the policies applied")
    if part == "provenance.policy_parameters_sha256":
        return words.gettext("the digest of the policy's parameters")
    if part == "provenance":
        return words.gettext("the provenance")
    if part == "provenance.library_version":
        return words.gettext("the library version")
    if part == "provenance.rulebook_version":
        return words.gettext("the rulebook version")
    return part


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
        key = signature.key()  # a key that is not 32 bytes is no key: forged
    except KeyProblem:
        holds = False
    else:  # verifies() fails only without the signing extra, and then says what to install
        holds = key.key_id == signature.key_id and key.verifies(
            record.signed_text(), signature.value
        )
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
