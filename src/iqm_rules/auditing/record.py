"""Decision records (``iqm-rules/record@2``): a status or a decision an auditor can keep.

A record holds what was asked (a status on a date, or one assessment's decision), the inputs (the
history and the policy book, as documents), the output (the status or decision document as this
library writes it) and its provenance: the library and rulebook versions, the policy ids in force, a
SHA-256 digest of the policy parameter values, a SHA-256 digest of the canonical JSON (sorted
keys, no insignificant whitespace, UTF-8) of each part, and ``provenance_sha256``, the digest of
every other provenance field. A record may be signed (:class:`Signature`): an Ed25519 signature,
by the key of the body that issued it, of the canonical JSON of the whole record but the
signature. :func:`iqm_rules.auditing.verify.verify` recomputes a record from its own inputs,
years later, and says whether it still holds and who signed it.

A ``record@1`` record, written before signatures, has no ``provenance_sha256``: its library and
rulebook versions are covered by no digest. It is still read, verified and written as it was.

>>> from iqm_rules import example_text, load_history
>>> history = load_history(example_text("first-award"))
>>> record = record_status(history, date(2025, 9, 1))
>>> record.question
Question(kind='status', as_of=datetime.date(2025, 9, 1), assessment_id=None)
>>> load_record(dump_record(record)) == record
True
>>> record.provenance.policy_ids, record.provenance.rulebook_version
(('iqm-2025.1',), '2025.1')
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules._dates import parse_date
from iqm_rules.auditing.provenance import (
    RULEBOOK_VERSION,
    UNCOVERED_IN_RECORD_1,
    Provenance,
    library_version,
    policy_ids,
    policy_parameters_sha256,
    sha256,
)
from iqm_rules.auditing.signature import Signature
from iqm_rules.errors import InvalidRecord, join_path
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import (
    dump_history,
    dump_policy,
    parse_json,
)
from iqm_rules.interchange._json import given
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.answers import decision_answer, status_answer
from iqm_rules.interchange.formats import FORMATS, RECORD_FORMAT, RECORD_FORMAT_1
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import SigningKey

__all__ = [
    "RECORD_FORMAT",
    "RULEBOOK_VERSION",
    "UNCOVERED_IN_RECORD_1",
    "Provenance",
    "Question",
    "Record",
    "Signature",
    "dump_record",
    "library_version",
    "load_record",
    "record_decision",
    "record_status",
    "record_texts",
]


Kind = Literal["status", "decision"]
KINDS: Final[tuple[Kind, ...]] = ("status", "decision")
_HEX: Final = frozenset("0123456789abcdef")


def _kind(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in KINDS:
        raise InvalidRecord(attribute.name, f"must be one of {', '.join(KINDS)}, got {value!r}")


@frozen
class Question:
    """What was asked: the ``status`` on ``as_of``, or the ``decision`` of ``assessment_id``."""

    kind: Kind = field(validator=_kind)
    as_of: date | None = field(default=None, validator=attrs.validators.optional(v.a_date))
    assessment_id: str | None = field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.kind == "status" and (self.as_of is None or self.assessment_id is not None):
            raise InvalidRecord("as_of", "a status question needs as_of and no assessment_id")
        if self.kind == "decision" and (
            self.as_of is not None
            or not isinstance(self.assessment_id, str)
            or not self.assessment_id.strip()
        ):
            raise InvalidRecord(
                "assessment_id", "a decision question needs a non-empty assessment_id and no as_of"
            )

    def document(self) -> dict[str, str]:
        """The JSON object of the question."""
        if self.as_of is not None:
            return {"kind": self.kind, "as_of": self.as_of.isoformat()}
        return {"kind": self.kind, "assessment_id": str(self.assessment_id)}


@frozen
class Record:
    """A question, its inputs and output as canonical JSON documents, and their provenance.

    ``history``, ``policy`` and ``output`` are the canonical texts of the ``history@1``,
    ``policy@1`` and ``status@1`` or ``decision@1`` documents. They are kept as text, not read
    into records, so that a record whose documents were changed can still be read and reported
    as tampered with (see :func:`iqm_rules.auditing.verify.verify`).
    """

    question: Question
    history: str = field(validator=v.text)
    policy: str = field(validator=v.text)
    output: str = field(validator=v.text)
    provenance: Provenance
    signature: Signature | None = None

    def __attrs_post_init__(self) -> None:
        if self.signature is not None and self.provenance.provenance_sha256 is None:
            raise InvalidRecord("signature", "a record@1 has no signature (it needs record@2)")

    @property
    def format(self) -> str:
        """``iqm-rules/record@2``, or ``iqm-rules/record@1`` for a record written before it."""
        return RECORD_FORMAT_1 if self.provenance.provenance_sha256 is None else RECORD_FORMAT

    def signed_text(self) -> bytes:
        """What a signature covers: the canonical JSON of the whole record but its signature."""
        data = record_document(self)
        data.pop("signature", None)
        return canonical_json(data).encode("utf-8")

    def parts(self) -> dict[str, str]:
        """Each digested part by its path in the document, as canonical JSON text."""
        return {
            "question": canonical_json(self.question.document()),
            "inputs.history": self.history,
            "inputs.policy": self.policy,
            "output": self.output,
        }

    def recorded_digests(self) -> dict[str, str]:
        """The digest the provenance records for each part of :meth:`parts`."""
        p = self.provenance
        return {
            "question": p.question_sha256,
            "inputs.history": p.history_sha256,
            "inputs.policy": p.policy_sha256,
            "output": p.output_sha256,
        }


def seal(
    question: Question,
    history: str,
    policy: str,
    output: str,
    signer: SigningKey | None = None,
) -> Record:
    """A record of ``output`` with its provenance computed now, by this library, signed by
    ``signer`` if one is given."""
    provenance = Provenance(
        library_version=library_version(),
        rulebook_version=RULEBOOK_VERSION,
        policy_ids=policy_ids(policy, output),
        policy_parameters_sha256=policy_parameters_sha256(policy),
        question_sha256=sha256(canonical_json(question.document())),
        history_sha256=sha256(history),
        policy_sha256=sha256(policy),
        output_sha256=sha256(output),
    )
    provenance = attrs.evolve(
        provenance, provenance_sha256=sha256(canonical_json(provenance.covered()))
    )
    record = Record(question, history, policy, output, provenance)
    return record if signer is None else signed(record, signer)


def signed(record: Record, signer: SigningKey) -> Record:
    """``record`` signed by ``signer`` (any signature it had is replaced)."""
    if record.provenance.provenance_sha256 is None:
        raise InvalidRecord("format", "a record@1 cannot be signed; record it again")
    unsigned = attrs.evolve(record, signature=None)
    value = signer.sign(unsigned.signed_text())
    signature = Signature(signer.key_id, signer.public.text, value)
    return attrs.evolve(record, signature=signature)


def _book(policy: Policy | PolicyBook) -> PolicyBook:
    """A lone policy is recorded, and so computed, as a book of one."""
    return policy if isinstance(policy, PolicyBook) else PolicyBook((policy,))


def record_status(
    history: SchoolHistory,
    as_of: date,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    *,
    signer: SigningKey | None = None,
) -> Record:
    """The record of ``status(history, as_of, policy)``, signed by ``signer`` if given.

    A lone ``Policy`` is recorded as a book of one, so it must be in force on every date the
    history needs (the default policy is). Raises :class:`InvalidRecord` for an invalid history.
    """
    book = _book(policy)
    output = status_answer(history, as_of, book)
    question = Question("status", as_of=as_of)
    return seal(question, dump_history(history), dump_policy(book), output, signer)


def record_decision(
    history: SchoolHistory,
    assessment_id: str,
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    *,
    signer: SigningKey | None = None,
) -> Record:
    """The record of the decision of assessment ``assessment_id`` of ``history`` (LC-1), signed
    by ``signer`` if given.

    The assessment is decided with the school's state just before it, as the status on its date
    shows it. Raises :class:`InvalidRecord` when the history has no such assessment.
    """
    book = _book(policy)
    output = decision_answer(history, assessment_id, book)
    question = Question("decision", assessment_id=assessment_id)
    return seal(question, dump_history(history), dump_policy(book), output, signer)


# Writing and reading


def record_document(record: Record) -> dict[str, Any]:
    """The JSON data of the record's document, in its own format (``record@2`` or ``@1``)."""
    data = {
        "format": record.format,
        "question": record.question.document(),
        "inputs": {"history": json.loads(record.history), "policy": json.loads(record.policy)},
        "output": json.loads(record.output),
        "provenance": record.provenance.document(),
    }
    if record.signature is not None:
        data["signature"] = record.signature.document()
    return data


def dump_record(record: Record) -> str:
    """The canonical ``iqm-rules/record@2`` document of ``record`` (``record@1`` for a record
    read from one), on one line."""
    return canonical_json(record_document(record))


Source = str | bytes | os.PathLike[str] | Mapping[str, Any]


def _object(
    value: object, path: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Mapping[str, Any]:
    """``value`` as an object holding exactly ``keys``, and any of ``optional``."""
    if not isinstance(value, Mapping):
        raise InvalidRecord(path, f"must be an object, got {given(value)}")
    for key in value:
        if key not in keys and key not in optional:
            allowed = ", ".join((*keys, *optional))
            raise InvalidRecord(join_path(path, key), f"unknown key; allowed keys: {allowed}")
    for key in keys:
        if key not in value:
            raise InvalidRecord(join_path(path, key), "required key missing")
    return value


def _document(value: object, path: str, form: str) -> str:
    """The canonical text of a JSON object whose ``format`` is ``form``."""
    if not isinstance(value, Mapping):
        raise InvalidRecord(path, f"must be an iqm-rules document (an object), got {given(value)}")
    if value.get("format") != form:
        raise InvalidRecord(
            join_path(path, "format"), f'must be "{form}", got {given(value.get("format"))}'
        )
    try:
        return canonical_json(value)
    except (TypeError, ValueError) as error:
        raise InvalidRecord(path, f"cannot be written as JSON: {error}") from None


def _question(value: object) -> Question:
    kind = value.get("kind") if isinstance(value, Mapping) else None
    if kind not in KINDS:
        raise InvalidRecord("question.kind", f"must be one of {', '.join(KINDS)}")
    if kind == "status":
        data = _object(value, "question", ("kind", "as_of"))
        as_of = data["as_of"]
        try:
            day = parse_date(as_of) if isinstance(as_of, str) else None
        except ValueError:
            raise InvalidRecord("question.as_of", f"{as_of} is not a calendar date") from None
        if day is None:
            raise InvalidRecord(
                "question.as_of", f"must be a date written YYYY-MM-DD, got {given(as_of)}"
            )
        return Question("status", as_of=day)
    data = _object(value, "question", ("kind", "assessment_id"))
    wanted = data["assessment_id"]
    if not isinstance(wanted, str) or not wanted.strip():
        raise InvalidRecord("question.assessment_id", f"must be an id, got {given(wanted)}")
    return Question("decision", assessment_id=wanted)


_PROVENANCE_KEYS: Final = (
    "library_version",
    "rulebook_version",
    "policy_ids",
    "policy_parameters_sha256",
    "question_sha256",
    "history_sha256",
    "policy_sha256",
    "output_sha256",
)


def _provenance(value: object, form: str) -> Provenance:
    keys = _PROVENANCE_KEYS if form == RECORD_FORMAT_1 else (*_PROVENANCE_KEYS, "provenance_sha256")
    data = _object(value, "provenance", keys)
    try:
        return Provenance(**data)
    except InvalidRecord as error:
        raise error.within("provenance") from None


def _signature(value: object) -> Signature:
    data = _object(value, "signature", ("algorithm", "key_id", "public_key", "value"))
    try:
        return Signature(**data)
    except InvalidRecord as error:
        raise error.within("signature") from None


_FORMATS: Final = (RECORD_FORMAT, RECORD_FORMAT_1)


def record_texts(text: str, name: str) -> list[tuple[str, str]]:
    r"""The record texts of a file's ``text``, each with where it is: the whole text when it is
    one document (pretty-printed or not), else each non-blank line of JSON Lines as ``name:N``.

    >>> record_texts('{"a": 1}\n\n{"b": 2}\n', "r.jsonl")
    [('r.jsonl:1', '{"a": 1}'), ('r.jsonl:3', '{"b": 2}')]
    >>> record_texts('{\n  "a": 1\n}\n', "r.json")
    [('r.json', '{\n  "a": 1\n}\n')]
    """
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        whole = len(lines) <= 1 or not isinstance(json.loads(lines[0]), dict)
    except ValueError:
        whole = True
    if whole:
        return [(name, text)]
    return [
        (f"{name}:{number}", line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def load_record(source: Source) -> Record:
    """A record from an ``iqm-rules/record@2`` (or ``@1``) document (see :func:`dump_record`).

    The record's own keys are read strictly: anything wrong is one :class:`InvalidRecord` at its
    JSON path. The documents inside are checked for their ``format`` only; their contents are
    read by :func:`iqm_rules.auditing.verify.verify` once their digests are checked, so that a
    changed document is reported as tampered with rather than unreadable.

    >>> load_record('{"format": "iqm-rules/record@2"}')
    Traceback (most recent call last):
    iqm_rules.errors.InvalidRecord: question: required key missing
    """
    data = parse_json(source)
    if not isinstance(data, Mapping):
        raise InvalidRecord("", f"a record document must be a JSON object, got {given(data)}")
    form = data.get("format")
    if form not in _FORMATS:
        allowed = " or ".join(f'"{f}"' for f in _FORMATS)
        raise InvalidRecord("format", f"must be {allowed}, got {given(form)}")
    for key in ("question", "inputs", "output", "provenance"):
        if key not in data:
            raise InvalidRecord(key, "required key missing")
    keys = ("format", "question", "inputs", "output", "provenance")
    _object(data, "", keys, () if form == RECORD_FORMAT_1 else ("signature",))
    question = _question(data["question"])
    inputs = _object(data["inputs"], "inputs", ("history", "policy"))
    history = _document(inputs["history"], "inputs.history", FORMATS["history"])
    policy = _document(inputs["policy"], "inputs.policy", FORMATS["policy"])
    output = _document(data["output"], "output", FORMATS[question.kind])
    provenance = _provenance(data["provenance"], str(form))
    if form == RECORD_FORMAT and provenance.provenance_sha256 is None:
        raise InvalidRecord("provenance.provenance_sha256", "required key missing")
    signature = _signature(data["signature"]) if "signature" in data else None
    return Record(question, history, policy, output, provenance, signature)
