"""``iqm-rules keys generate --out KEY``: a new Ed25519 key pair for signing records.

The private key is written to ``KEY`` in PEM (PKCS #8, unencrypted) with mode 0600, and its
public key beside it (``body.key`` gives ``body.pub``; any other name gets ``.pub`` added).
Neither file is ever written over an existing one: the command refuses, exit 2, and keeps what
is there. The key's id is printed: the first 16 hex digits of the SHA-256 of its raw public key.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iqm_rules.cli import inputs
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.files import written


def public_name(private: str) -> str:
    """Where the public key of the private key file ``private`` goes.

    >>> public_name("keys/body.key"), public_name("body")
    ('keys/body.pub', 'body.pub')
    """
    path = Path(private)
    return str(path.with_suffix(".pub") if path.suffix == ".key" else Path(f"{private}.pub"))


def run(args: argparse.Namespace) -> int:
    from iqm_rules.auditing.signing import KeyProblem, SigningKey

    private: str = args.out
    public = public_name(private)
    if Path(public).exists() or Path(public).is_symlink():
        raise Failure(f"{public} already exists; it is never written over")
    try:
        key = SigningKey.generate()
    except KeyProblem as error:
        raise Failure(str(error)) from None
    with written(private, new=True, mode=0o600) as out:
        out.write(key.pem().decode("ascii"))
    try:
        with written(public, new=True, mode=0o644) as out:
            out.write(key.public.pem().decode("ascii"))
    except Failure:
        Path(private).unlink(missing_ok=True)  # never one key without the other
        raise
    said = inputs.words(args).gettext(
        "key %(key)s: private key %(private)s (keep it secret), public key %(public)s",
        key=key.key_id,
        private=private,
        public=public,
    )
    write(said)
    return ExitStatus.OK
