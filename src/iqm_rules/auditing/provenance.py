"""The provenance of a decision record: who computed it, under what, and the digests of its parts.

Every digest is SHA-256, in lowercase hex, of canonical JSON (sorted keys, no insignificant
whitespace, UTF-8). ``provenance_sha256`` covers every other field of the provenance, so that no
field of a ``record@2`` can change unnoticed; a ``record@1`` has none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import attrs
from attrs import field, frozen

from iqm_rules import _validate as v
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange._jsontext import canonical_json

__all__ = [
    "RULEBOOK_VERSION",
    "UNCOVERED_IN_RECORD_1",
    "Provenance",
    "library_version",
    "policy_ids",
    "policy_parameters_sha256",
    "sha256",
]

_HEX: Final = frozenset("0123456789abcdef")

RULEBOOK_VERSION: Final = "2025.1"
"""The edition of the rulebook this library implements: the 2025 text, first issue.

The rulebook's own text carries no number; its default policy is ``iqm-2025.1`` and this is the
edition that policy belongs to. A change to any rule, reading or clarification that can change a
decision gives a new edition.
"""


def library_version() -> str:
    """The installed version of the ``iqm-rules`` distribution (``0+unknown`` if not installed)."""
    from importlib import metadata  # here: a command that writes no record need not import it

    try:
        return metadata.version("iqm-rules")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def sha256(text: str) -> str:
    """The SHA-256 digest, in lowercase hex, of ``text`` encoded as UTF-8."""
    import hashlib  # here, not at the top: loading OpenSSL costs a one-file command 2 ms

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The record


def _digest(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or len(value) != 64 or not set(value) <= _HEX:
        raise InvalidRecord(
            attribute.name, f"must be a SHA-256 digest in 64 lowercase hex digits, got {value!r}"
        )


def _ids(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _check_ids(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(i, str) and i.strip() for i in value):
        raise InvalidRecord(attribute.name, f"must be an array of policy ids, got {value!r}")


@frozen
class Provenance:
    """Who computed a record, under what, and the digests that show it is unchanged.

    ``policy_parameters_sha256`` digests the policies of the book without their ids, so two
    books with the same values and dates have the same digest whatever they are called.
    """

    library_version: str = field(validator=v.non_empty_text)
    rulebook_version: str = field(validator=v.non_empty_text)
    policy_ids: tuple[str, ...] = field(converter=_ids, validator=_check_ids)
    policy_parameters_sha256: str = field(validator=_digest)
    question_sha256: str = field(validator=_digest)
    history_sha256: str = field(validator=_digest)
    policy_sha256: str = field(validator=_digest)
    output_sha256: str = field(validator=_digest)
    provenance_sha256: str | None = field(
        default=None, validator=attrs.validators.optional(_digest)
    )
    """The digest of every other field (see :meth:`covered`); None only in a ``record@1``."""

    def covered(self) -> dict[str, Any]:
        """The JSON data of the fields ``provenance_sha256`` covers: all the others."""
        return {
            "library_version": self.library_version,
            "rulebook_version": self.rulebook_version,
            "policy_ids": list(self.policy_ids),
            "policy_parameters_sha256": self.policy_parameters_sha256,
            "question_sha256": self.question_sha256,
            "history_sha256": self.history_sha256,
            "policy_sha256": self.policy_sha256,
            "output_sha256": self.output_sha256,
        }

    def document(self) -> dict[str, Any]:
        """The JSON object of the provenance."""
        data = self.covered()
        if self.provenance_sha256 is not None:
            data["provenance_sha256"] = self.provenance_sha256
        return data


UNCOVERED_IN_RECORD_1: Final = ("provenance.library_version", "provenance.rulebook_version")
"""The fields of a ``record@1`` that no digest covers."""


def policy_ids(policy: str, output: str) -> tuple[str, ...]:
    """The ids of the policies in force in ``output`` (in book order), from the two documents.

    A status names the policy in force on ``as_of`` and each decision names the one it was
    taken under; a decision names its own.
    """
    data = json.loads(output)
    decisions = data.get("decisions")
    used = {data.get("policy_id")}
    if isinstance(decisions, list):
        used |= {d.get("policy_id") for d in decisions if isinstance(d, Mapping)}
    return tuple(p["id"] for p in _policies(policy) if p.get("id") in used)


def _policies(policy: str) -> list[Mapping[str, Any]]:
    """The policy objects of a ``policy@1`` document's text (none when it has no such array)."""
    book = json.loads(policy).get("policies")
    return [p for p in book if isinstance(p, Mapping)] if isinstance(book, list) else []


def policy_parameters_sha256(policy: str) -> str:
    """The digest of the parameter values of a ``policy@1`` document: its policies, ids left out."""
    values = [{k: x for k, x in p.items() if k != "id"} for p in _policies(policy)]
    return sha256(canonical_json(values))
