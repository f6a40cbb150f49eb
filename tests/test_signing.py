"""Signed records (``record@2``): keys, signatures, ``verify --trust`` and ``keys generate``."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from iqm_rules.auditing.record import (
    Record,
    dump_record,
    load_record,
    record_decision,
    record_status,
    signed,
)
from iqm_rules.auditing.signature import Signature
from iqm_rules.auditing.signing import KeyProblem, PublicKey, SigningKey, public_keys
from iqm_rules.auditing.verify import Seal, Verdict, verify
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import schema
from iqm_rules.testing import policy_books, school_histories
from strategies import FEW, example, last_date

AS_OF = date(2025, 9, 1)
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
BODY = SigningKey.generate()
RETIRED = SigningKey.generate()
STRANGER = SigningKey.generate()


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def _signed_record() -> Record:
    return record_decision(example("flagship-journey"), "AG-2024-01", signer=BODY)


# --- keys ------------------------------------------------------------------------------------


def test_a_key_id_is_the_start_of_the_sha256_of_the_raw_public_key() -> None:
    assert BODY.key_id == hashlib.sha256(BODY.public.raw).hexdigest()[:16]
    assert PublicKey.from_pem(BODY.public.pem()) == BODY.public
    assert PublicKey.from_pem(BODY.pem()) == BODY.public  # a private key gives its public key
    assert SigningKey.from_pem(BODY.pem()).key_id == BODY.key_id


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"not a key", "not a PEM private key"),
        (b"", "not a PEM private key"),
    ],
)
def test_a_bad_private_key_is_refused(data: bytes, problem: str) -> None:
    with pytest.raises(KeyProblem, match=problem):
        SigningKey.from_pem(data, "body.key")


def test_an_encrypted_or_other_kind_of_key_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(KeyProblem, match="not an Ed25519 key"):
        SigningKey.from_pem(pem, "ec.key")
    with pytest.raises(KeyProblem, match="not an Ed25519 key"):
        PublicKey.from_pem(
            other.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    encrypted = BODY._key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(KeyProblem, match="an encrypted key is not supported"):
        SigningKey.from_pem(encrypted, "locked.key")


def test_without_the_signing_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    with pytest.raises(KeyProblem, match=r"pip install 'iqm-rules\[signing\]'"):
        SigningKey.generate()


def test_trusted_keys_come_from_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "a.pub").write_bytes(BODY.public.pem())
    (tmp_path / "b.pub").write_bytes(RETIRED.public.pem())
    (tmp_path / "notes.txt").write_text("not a key\n")
    single = tmp_path / "stranger.pem"
    single.write_bytes(STRANGER.public.pem())
    keys = public_keys([tmp_path, single])
    assert [k.key_id for k in keys] == [BODY.key_id, RETIRED.key_id, STRANGER.key_id]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(KeyProblem, match=r"no \.pub key files"):
        public_keys([empty])
    with pytest.raises(KeyProblem, match="cannot read it"):
        public_keys([tmp_path / "missing.pub"])


# --- signed records --------------------------------------------------------------------------


def test_a_signed_record_round_trips_and_its_schema_holds() -> None:
    record = _signed_record()
    text = dump_record(record)
    data = json.loads(text)
    assert data["format"] == "iqm-rules/record@2"
    assert data["signature"]["key_id"] == BODY.key_id
    jsonschema.validate(data, schema("record"))
    assert load_record(text) == record
    result = verify(record, [BODY.public])
    assert (result.verdict, result.seal, result.key_id, result.trusted) == (
        Verdict.REPRODUCES,
        Seal.SIGNED,
        BODY.key_id,
        True,
    )
    assert result.passes
    assert result.lines() == [f"reproduces, signed by key {BODY.key_id}, a trusted key"]


def test_the_signature_covers_everything_but_itself() -> None:
    record = _signed_record()
    covered = json.loads(record.signed_text())
    assert set(covered) == {"format", "question", "inputs", "output", "provenance"}
    assert BODY.public.verifies(record.signed_text(), record.signature.value)  # type: ignore[union-attr]


@FEW
@given(school_histories(), policy_books())
def test_a_record_signed_by_this_version_verifies_with_its_key(history: Any, book: Any) -> None:
    try:
        record = record_status(history, last_date(history), book, signer=BODY)
    except InvalidRecord:
        return  # a history the book does not cover: nothing to sign
    result = verify(load_record(dump_record(record)), [BODY.public])
    assert result.seal is Seal.SIGNED
    assert result.passes, result.lines()


_ONE = dump_record(_signed_record()).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(_ONE) - 1), st.integers(0, 255))
def test_any_single_byte_change_is_forged_or_unreadable_never_passing(at: int, byte: int) -> None:
    if _ONE[at] == byte:
        return
    changed = _ONE[:at] + bytes([byte]) + _ONE[at + 1 :]
    try:
        record = load_record(changed)
    except InvalidRecord:
        return  # unreadable: refused with its path
    result = verify(record, [BODY.public])
    assert result.seal is Seal.FORGED, (at, byte, result.lines())
    assert not result.passes
    assert result.lines()[0].startswith(f"forged: the signature by key {BODY.key_id}")


def test_the_same_signature_spelled_with_other_padding_bits_is_refused() -> None:
    data = json.loads(_ONE)
    value = data["signature"]["value"]
    other = value[:-3] + chr(ord(value[-3]) ^ 1) + value[-2:]  # same bytes if only padding bits
    data["signature"]["value"] = other
    with pytest.raises(InvalidRecord, match=r"signature\.value: must be base64 text in its canon"):
        load_record(json.dumps(data))


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


def _edited(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x" if value else "x"
    return "x"


@pytest.mark.parametrize("sign", [False, True], ids=["unsigned", "signed"])
def test_every_single_field_edit_of_a_record_2_is_found(sign: bool) -> None:
    """Each leaf of a record@2, the versions included, edited alone: none passes."""
    record = record_status(example("first-award"), AS_OF, signer=BODY if sign else None)
    data = json.loads(dump_record(record))
    missed, tried = [], 0
    for path in _leaves(data):
        if path[0] == "signature":
            continue  # the signature's own fields: the byte-change test covers them
        copy = json.loads(dump_record(record))
        holder = copy
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = _edited(holder[path[-1]])
        tried += 1
        try:
            result = verify(load_record(json.dumps(copy)), [BODY.public] if sign else None)
        except InvalidRecord:
            continue
        if result.passes:
            missed.append(path)
    assert tried > 200
    assert missed == []


def test_a_record_1_still_verifies_unsigned_naming_what_no_digest_covers() -> None:
    text = (EXAMPLES / "record-1.record.json").read_text(encoding="utf-8")
    record = load_record(text)
    assert record.format == "iqm-rules/record@1"
    assert dump_record(record) + "\n" == text  # written back as it was
    result = verify(record)
    assert result.reproduces
    assert result.passes
    assert result.seal is Seal.UNSIGNED
    assert result.uncovered == ("provenance.library_version", "provenance.rulebook_version")
    with_trust = verify(record, [BODY.public])
    assert with_trust.trusted is False
    assert not with_trust.passes
    data = json.loads(text)
    data["signature"] = json.loads(_ONE)["signature"]
    with pytest.raises(InvalidRecord, match="signature: unknown key"):
        load_record(json.dumps(data))
    with pytest.raises(InvalidRecord, match="a record@1 cannot be signed"):
        signed(record, BODY)


def test_a_record_2_needs_its_provenance_digest() -> None:
    data = json.loads(_ONE)
    del data["provenance"]["provenance_sha256"]
    with pytest.raises(InvalidRecord, match=r"provenance\.provenance_sha256: required key missing"):
        load_record(json.dumps(data))


def test_a_signature_naming_another_key_than_its_own_is_forged() -> None:
    record = _signed_record()
    assert record.signature is not None
    lying = evolve(record, signature=evolve(record.signature, key_id=STRANGER.key_id))
    assert verify(lying).seal is Seal.FORGED
    swapped = evolve(
        record,
        signature=Signature(STRANGER.key_id, STRANGER.public.text, record.signature.value),
    )
    assert verify(swapped).seal is Seal.FORGED


def test_a_retired_key_still_verifies_while_it_is_trusted() -> None:
    old = record_status(example("first-award"), AS_OF, signer=RETIRED)
    new = record_status(example("first-award"), AS_OF, signer=BODY)
    both = [BODY.public, RETIRED.public]
    assert verify(old, both).passes
    assert verify(new, both).passes
    assert not verify(old, [BODY.public]).passes
    assert verify(old, [BODY.public]).lines() == [
        f"reproduces, signed by key {RETIRED.key_id}, which is not a trusted key"
    ]


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir()
    for name, key in (("body", BODY), ("retired", RETIRED), ("stranger", STRANGER)):
        (folder / f"{name}.key").write_bytes(key.pem())
        (folder / f"{name}.pub").write_bytes(key.public.pem())
    return folder


def test_status_decide_and_batch_sign_and_verify_trusts(keys: Path, tmp_path: Path) -> None:
    body = str(keys / "body.key")
    one, two, many = tmp_path / "s.json", tmp_path / "d.json", tmp_path / "many.jsonl"
    status = ["status", "--example", "first-award", "--as-of", "2025-09-01"]
    assert run(*status, "--record", str(one), "--sign-with", body).returncode == 0
    decide = ["decide", "--example", "first-award", "--assessment", "HB-2024-01"]
    assert run(*decide, "--record", str(two), "--sign-with", body).returncode == 0
    lines = tmp_path / "in.jsonl"
    text = json.dumps(
        json.loads((EXAMPLES / "record-1.record.json").read_text())["inputs"]["history"]
    )
    lines.write_text((text + "\n") * 5)
    batch = ["batch", str(lines), "--as-of", "2025-09-01", "--records", "--jobs", "2"]
    assert run(*batch, "--sign-with", body, "-o", str(many)).returncode == 0
    done = run("verify", str(one), str(two), str(many), "--trust", str(keys / "body.pub"))
    assert done.returncode == 0, done.stderr
    said = f"reproduces, signed by key {BODY.key_id}, a trusted key"
    assert done.stdout.splitlines() == [
        f"{one}: {said}",
        f"{two}: {said}",
        *(f"{many}:{n}: {said}" for n in range(1, 6)),
    ]
    other = run("verify", str(one), "--trust", str(keys / "stranger.pub"))
    assert other.returncode == 1
    assert "which is not a trusted key" in other.stdout
    assert run("verify", str(one), "--trust", str(keys)).returncode == 0  # a directory of keys


def test_verify_with_trust_fails_an_unsigned_record(tmp_path: Path, keys: Path) -> None:
    plain = tmp_path / "plain.json"
    assert run("status", "--example", "first-award", "--record", str(plain)).returncode == 0
    assert run("verify", str(plain)).returncode == 0
    done = run("verify", str(plain), "--trust", str(keys / "body.pub"), "--json")
    assert done.returncode == 1
    (found,) = json.loads(done.stdout)["records"]
    assert (found["seal"], found["trusted"], found["passes"]) == ("unsigned", False, False)
    jsonschema.validate(json.loads(done.stdout), schema("verification"))


def test_a_forged_record_fails_whatever_is_trusted(keys: Path) -> None:
    forged = str(EXAMPLES / "forged.record.json")
    done = run("verify", forged)
    assert done.returncode == 1
    assert "forged: the signature by key" in done.stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--sign-with", "KEYS/body.key"], "--sign-with signs records: give --record FILE"),
        (["--record", "OUT", "--sign-with", "KEYS/body.pub"], "not a PEM private key"),
        (["--record", "OUT", "--sign-with", "KEYS/missing.key"], "missing.key"),
    ],
)
def test_a_bad_sign_with_is_one_line_and_nothing_is_written(
    args: list[str], error: str, keys: Path, tmp_path: Path
) -> None:
    argv = [a.replace("KEYS", str(keys)).replace("OUT", str(tmp_path / "r.json")) for a in args]
    done = run("status", "--example", "first-award", *argv)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert error in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_bad_trusted_key_is_one_line(tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    record.write_text(dump_record(_signed_record()) + "\n")
    junk = tmp_path / "junk.pub"
    junk.write_text("junk\n")
    done = run("verify", str(record), "--trust", str(junk))
    assert done.returncode == 2
    assert done.stderr == f"iqm-rules: error: --trust {junk}: not a PEM Ed25519 public key\n"


# --- keys generate ---------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_keys_generate_writes_a_private_key_0600_and_its_public_key(
    umask: int, tmp_path: Path
) -> None:
    before = os.umask(umask)
    try:
        done = run("keys", "generate", "--out", "body.key", cwd=tmp_path)
    finally:
        os.umask(before)
    assert done.returncode == 0, done.stderr
    private, public = tmp_path / "body.key", tmp_path / "body.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    key = SigningKey.read(private)
    assert PublicKey.read(public) == key.public
    assert done.stdout == (
        f"key {key.key_id}: private key body.key (keep it secret), public key body.pub\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["body.key", "body.pub"]


@pytest.mark.parametrize("taken", ["key", "pub", "dangling key", "dangling pub"])
def test_keys_generate_never_writes_over_anything(taken: str, tmp_path: Path) -> None:
    name = tmp_path / ("body.key" if taken.endswith("key") else "body.pub")
    if taken.startswith("dangling"):
        name.symlink_to(tmp_path / "nowhere")
    else:
        name.write_text("mine\n")
    done = run("keys", "generate", "--out", str(tmp_path / "body.key"))
    assert done.returncode == 2
    assert done.stderr == f"iqm-rules: error: {name} already exists; it is never written over\n"
    if not taken.startswith("dangling"):
        assert name.read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == [name.name]  # no key, no temporary file


def test_keys_generate_names_the_public_key_beside_the_private_one() -> None:
    from iqm_rules.cli.commands.keys import public_name

    assert public_name("a/body.key") == "a/body.pub"
    assert public_name("body.pem") == "body.pem.pub"
