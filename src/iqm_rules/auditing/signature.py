"""The signature of a decision record: who signed it, with which key, and the signature itself.

A record (:class:`~iqm_rules.auditing.record.Record`) of ``record@2`` may carry one. It names
the key it was made with, so a record can be checked on its own; whether that key is one an
auditor trusts is said by :func:`iqm_rules.auditing.verify.verify` given the trusted keys.
Reading the key needs the ``signing`` extra; reading the record does not.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, Final

import attrs
from attrs import field, frozen

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange._json import given

if TYPE_CHECKING:
    from iqm_rules.auditing.signing import PublicKey

__all__ = ["Signature"]

_HEX: Final = frozenset("0123456789abcdef")


def _key_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or len(value) != 16 or not set(value) <= _HEX:
        raise InvalidRecord(
            attribute.name, f"must be a key id in 16 lowercase hex digits, got {given(value)}"
        )


def _base64(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Base64 in its one canonical spelling: text that decodes to the same bytes with other
    padding bits would be a second spelling of one signature, outside what it signs."""
    try:
        decoded = base64.b64decode(str(value).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        decoded = b""
    if not isinstance(value, str) or not decoded or base64.b64encode(decoded).decode() != value:
        raise InvalidRecord(attribute.name, "must be base64 text in its canonical spelling")


@frozen
class Signature:
    """Who signed a record: an Ed25519 ``value`` (base64) by the key ``public_key`` (base64 of
    its 32 raw bytes), whose id is ``key_id``. Whether it holds, and whether the key is one an
    auditor trusts, is for :func:`iqm_rules.auditing.verify.verify` to say."""

    key_id: str = field(validator=_key_id)
    public_key: str = field(validator=_base64)
    value: str = field(validator=_base64)
    algorithm: str = field(default="Ed25519")

    def __attrs_post_init__(self) -> None:
        if self.algorithm != "Ed25519":
            raise InvalidRecord("algorithm", f'must be "Ed25519", got {given(self.algorithm)}')

    def document(self) -> dict[str, str]:
        """The JSON object of the signature."""
        return {
            "algorithm": self.algorithm,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "value": self.value,
        }

    def key(self) -> PublicKey:
        """The public key the signature names (needs the ``signing`` extra)."""
        from iqm_rules.auditing.signing import PublicKey

        return PublicKey.from_text(self.public_key)
