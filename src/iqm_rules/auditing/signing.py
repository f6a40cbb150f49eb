"""Ed25519 keys of an awards body: who signed a record or a log entry, and whether it holds.

A body signs with its private key (:class:`SigningKey`) and publishes the public one
(:class:`PublicKey`). A key's id is the SHA-256 fingerprint of its 32-byte raw public key, shown
as its first 16 hex digits. Keys are read from PEM files (PKCS #8 for a private key, its
``SubjectPublicKeyInfo`` for a public one), as ``iqm-rules keys generate`` writes them.

This module needs PyCA ``cryptography`` (the ``signing`` extra); nothing else in the library
imports it until a key is read, so ``import iqm_rules`` does not.

>>> key = SigningKey.generate()
>>> signature = key.sign(b"a record")
>>> key.public.verifies(b"a record", signature), key.public.verifies(b"a recorD", signature)
(True, False)
>>> len(key.key_id)
16
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from attrs import field, frozen

from iqm_rules.errors import IQMRulesError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = [
    "ALGORITHM",
    "KeyProblem",
    "PublicKey",
    "SigningKey",
    "key_id",
    "public_keys",
]

ALGORITHM: Final = "Ed25519"
"""The one signature algorithm of records and log entries."""

PUBLIC_SUFFIX: Final = ".pub"
"""The suffix of a public key file, and of every file a directory of trusted keys holds."""


class KeyProblem(IQMRulesError):
    """A key file that cannot be read as an Ed25519 key, or the signing extra is missing."""


def _backend() -> None:
    """Fail with one clear line when PyCA ``cryptography`` is not installed."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise KeyProblem(
            "signing needs PyCA cryptography: pip install 'iqm-rules[signing]'"
        ) from None


def key_id(raw_public_key: bytes) -> str:
    """The id of a public key: the first 16 hex digits of the SHA-256 of its raw 32 bytes."""
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def _raw(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@frozen
class PublicKey:
    """A public key: it checks signatures. ``raw`` is its 32 bytes."""

    raw: bytes = field(repr=False)
    key_id: str = field(init=False)

    @key_id.default
    def _key_id(self) -> str:
        return key_id(self.raw)

    def __attrs_post_init__(self) -> None:
        if len(self.raw) != 32:
            raise KeyProblem(f"an Ed25519 public key is 32 bytes, got {len(self.raw)}")

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """The key written as base64 of its raw bytes (as a signature names it)."""
        try:
            return cls(base64.b64decode(text.encode("ascii"), validate=True))
        except (binascii.Error, UnicodeEncodeError):
            raise KeyProblem("a public key must be the base64 of 32 bytes") from None

    @property
    def text(self) -> str:
        """The key as base64 of its raw bytes."""
        return base64.b64encode(self.raw).decode("ascii")

    def verifies(self, data: bytes, signature: str) -> bool:
        """Whether ``signature`` (base64) is this key's signature of ``data``."""
        _backend()
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            value = base64.b64decode(signature.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(value, data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def pem(self) -> bytes:
        """The key as a PEM ``PUBLIC KEY`` block."""
        _backend()
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        return Ed25519PublicKey.from_public_bytes(self.raw).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> PublicKey:
        """The public key in the PEM file ``path`` (a private key's file gives its public key)."""
        return cls.from_pem(_read(path), str(path))

    @classmethod
    def from_pem(cls, data: bytes, name: str = "the key") -> PublicKey:
        """The public key in PEM ``data`` (a private key gives its public key); ``name`` says
        where the data came from, in an error."""
        _backend()
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PrivateKey,
            Ed25519PublicKey,
        )

        try:
            loaded: object = serialization.load_pem_public_key(data)
        except ValueError:
            try:
                loaded = serialization.load_pem_private_key(data, password=None)
            except (ValueError, TypeError):
                raise KeyProblem(f"{name}: not a PEM Ed25519 public key") from None
        if isinstance(loaded, Ed25519PrivateKey):
            loaded = loaded.public_key()
        if not isinstance(loaded, Ed25519PublicKey):
            raise KeyProblem(f"{name}: not an Ed25519 key ({type(loaded).__name__})")
        return cls(_raw(loaded))


def _read(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise KeyProblem(f"{path}: cannot read it: {error.strerror or error}") from None


class SigningKey:
    """A private key: it signs. Its :attr:`public` key and :attr:`key_id` say who signed."""

    __slots__ = ("_key", "public")

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public: Final = PublicKey(_raw(key.public_key()))

    def __repr__(self) -> str:
        return f"SigningKey(key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        """The id of this key's public key."""
        return self.public.key_id

    @classmethod
    def generate(cls) -> SigningKey:
        """A new random key."""
        _backend()
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> SigningKey:
        """The private key in the PEM file ``path`` (unencrypted PKCS #8)."""
        return cls.from_pem(_read(path), str(path))

    @classmethod
    def from_pem(cls, data: bytes, name: str = "the key") -> SigningKey:
        """The private key in PEM ``data`` (unencrypted PKCS #8); ``name`` says where the data
        came from, in an error."""
        _backend()
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            loaded = serialization.load_pem_private_key(data, password=None)
        except TypeError:
            raise KeyProblem(f"{name}: an encrypted key is not supported") from None
        except ValueError:
            raise KeyProblem(f"{name}: not a PEM private key") from None
        if not isinstance(loaded, Ed25519PrivateKey):
            raise KeyProblem(f"{name}: not an Ed25519 key ({type(loaded).__name__})")
        return cls(loaded)

    def sign(self, data: bytes) -> str:
        """This key's signature of ``data``, as base64."""
        return base64.b64encode(self._key.sign(data)).decode("ascii")

    def pem(self) -> bytes:
        """The private key as an unencrypted PEM ``PRIVATE KEY`` block (PKCS #8)."""
        from cryptography.hazmat.primitives import serialization

        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def public_keys(paths: Iterable[str | os.PathLike[str]]) -> tuple[PublicKey, ...]:
    """The keys of ``paths``: each a key file, or a directory whose ``*.pub`` files are keys
    (read in name order). A directory with no key, or a file that holds none, is refused."""
    keys: list[PublicKey] = []
    for path in paths:
        if Path(path).is_dir():
            found = sorted(Path(path).glob(f"*{PUBLIC_SUFFIX}"))
            if not found:
                raise KeyProblem(f"{path}: no {PUBLIC_SUFFIX} key files in this directory")
            keys.extend(PublicKey.read(p) for p in found)
        else:
            keys.append(PublicKey.read(path))
    return tuple(keys)
