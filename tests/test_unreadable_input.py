"""Input that cannot be read is named as such: the encoding it looks like, the line once with
its column, and for ``verify`` an unreadable file is exit 2 while the other files are reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("encoding", "looks_like"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_text_in_utf16_or_utf32_is_named_not_utf8_and_what_it_looks_like(
    encoding: str, looks_like: str
) -> None:
    data = example_text("first-award").encode(encoding)
    with pytest.raises(InvalidRecord) as raised:
        load_history(data)
    assert str(raised.value) == f"not UTF-8 text: it looks like {looks_like}; save it as UTF-8"


def test_a_nul_byte_that_is_not_a_utf16_pattern_is_left_to_the_json_reader() -> None:
    with pytest.raises(InvalidRecord) as raised:
        load_history(b'{"format": "iqm-rules/history@1",\x00}')
    assert "UTF-16" not in str(raised.value)


def test_a_utf16_file_given_to_status_is_one_line_naming_utf16(tmp_path: Path) -> None:
    source = tmp_path / "school.json"
    source.write_bytes(example_text("first-award").encode("utf-16-le"))
    done = run("status", str(source), "--as-of", "2025-01-01")
    assert done.returncode == 2
    assert done.stderr == (
        f"iqm-rules: error: {source}: not UTF-8 text: it looks like UTF-16; save it as UTF-8\n"
    )


def test_a_bad_batch_line_is_named_once_with_its_column(tmp_path: Path) -> None:
    good = json.dumps(json.loads(example_text("first-award")))
    source = tmp_path / "in.jsonl"
    source.write_text(f'{good}\n{{"format": \n{good}\n', encoding="utf-8")
    done = run("batch", str(source), "--as-of", "2025-01-01")
    assert done.returncode == 1
    assert (
        done.stderr.splitlines()[0] == f"{source}:2: malformed JSON at column 12: Expecting value"
    )
    assert len(done.stdout.splitlines()) == 2


def _record(tmp_path: Path) -> Path:
    record = tmp_path / "good.record.json"
    done = run(
        "decide", "--example", "first-award", "--assessment", "HB-2024-01", "--record", str(record)
    )
    assert done.returncode == 0, done.stderr
    return record


def test_verify_reports_a_record_that_is_not_utf8_as_unreadable_with_its_byte(
    tmp_path: Path,
) -> None:
    good = _record(tmp_path)
    text = good.read_bytes()
    at = text.index(b"Hollybrook")
    bad = tmp_path / "bad.record.json"
    bad.write_bytes(text[:at] + b"\xe9" + text[at + 1 :])
    done = run("verify", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"iqm-rules: error: {bad}: not UTF-8 text (byte {at})\n"
    assert "tampered" not in done.stderr


@pytest.mark.parametrize("how", ["missing", "directory", "not permitted"])
def test_verify_reports_the_readable_records_and_exits_2_for_an_unreadable_file(
    tmp_path: Path, how: str
) -> None:
    if how == "not permitted" and os.geteuid() == 0:
        pytest.skip("root may read anything")
    good = _record(tmp_path)
    unreadable = tmp_path / "other.record.json"
    if how == "directory":
        unreadable.mkdir()
    elif how == "not permitted":
        unreadable.write_bytes(good.read_bytes())
        unreadable.chmod(0)
    for args in ([str(unreadable), str(good)], [str(unreadable), str(good), "--json"]):
        done = run("verify", *args)
        assert done.returncode == 2, done.stderr
        errors = done.stderr.splitlines()
        assert len(errors) == 1
        assert errors[0].startswith(f"iqm-rules: error: cannot read {unreadable}: ")
        if "--json" in args:
            assert [r["verdict"] for r in json.loads(done.stdout)["records"]] == ["reproduces"]
        else:
            assert done.stdout == f"{good}: reproduces, unsigned\n"


def test_verify_exits_2_for_an_unreadable_file_even_beside_a_record_that_differs(
    tmp_path: Path,
) -> None:
    good = _record(tmp_path)
    data = json.loads(good.read_text(encoding="utf-8"))
    data["output"]["awarded_level"] = "flagship"
    tampered = tmp_path / "tampered.record.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    done = run("verify", str(tampered), str(tmp_path / "missing.json"))
    assert done.returncode == 2
    assert done.stdout == f"{tampered}: tampered: the output does not match its digest, unsigned\n"
    assert done.stderr.splitlines() == [
        f"iqm-rules: error: cannot read {tmp_path / 'missing.json'}: No such file or directory",
        "iqm-rules: 1 record did not pass",
    ]
