"""``iqm-rules log`` and ``--log``: what each action prints and exits with, and the log file's
place among a command's files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from iqm_rules.auditing.signing import SigningKey
from iqm_rules.cli import main, parser
from iqm_rules.cli.files import FileOption
from iqm_rules.decision_log.sqlite import SQLiteStore
from logs import read, records, sql

DOCS = Path(__file__).parent.parent / "docs" / "examples"
Output = pytest.CaptureFixture[str]


def _run(capsys: Output, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out, printed.err


@pytest.fixture
def record_files(tmp_path: Path) -> list[str]:
    files = []
    for number, text in enumerate(records()):
        file = tmp_path / f"{number}.record.json"
        file.write_text(text + "\n", encoding="utf-8")
        files.append(str(file))
    return files


def test_append_show_head_export_and_verify(
    tmp_path: Path, record_files: list[str], capsys: Output
) -> None:
    log = str(tmp_path / "office.log")
    assert _run(capsys, "log", "append", log, *record_files[:2]) == (0, "", "")
    code, out, _ = _run(capsys, "log", "append", log, *record_files[2:], "--json")
    assert code == 0
    appended = [json.loads(line) for line in out.splitlines()]
    assert [a["sequence"] for a in appended] == list(range(3, len(record_files) + 1))
    code, out, _ = _run(capsys, "log", "head", log)
    assert out == f"{len(record_files)}:{appended[-1]['hash']}\n"
    code, out, _ = _run(capsys, "log", "show", log, "--school", "URN-131245")
    assert [line.split()[0] for line in out.splitlines()] == ["1", "2"]
    assert "URN-131245  status on 2025-09-01" in out
    assert _run(capsys, "log", "show", log, "--since", "2999-01-01")[1] == ""
    code, out, _ = _run(capsys, "log", "show", log, "--json")
    assert [json.loads(line)["record"]["format"] for line in out.splitlines()] == [
        "iqm-rules/record@2"
    ] * len(record_files)
    exported = tmp_path / "records.jsonl"
    assert _run(capsys, "log", "export", log, "-o", str(exported))[0] == 0
    assert exported.read_text(encoding="utf-8").splitlines() == list(records())
    assert _run(capsys, "verify", str(exported))[0] == 0
    code, out, err = _run(capsys, "log", "verify", log)
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "chain: holds",
        f"records: {len(record_files)} of {len(record_files)} reproduce",
        "signatures: none (entries are signed when appended with --sign-with)",
    ]


def test_append_refuses_a_tampered_or_unreadable_record_and_appends_nothing(
    tmp_path: Path, record_files: list[str], capsys: Output
) -> None:
    log = tmp_path / "office.log"
    tampered = str(DOCS / "tampered.record.json")
    code, out, err = _run(capsys, "log", "append", str(log), record_files[0], tampered)
    assert (code, out) == (2, "")
    assert err == (
        f"iqm-rules: error: {tampered}: tampered: the output does not match its digest, unsigned; "
        "nothing was appended\n"
    )
    assert not log.exists()
    (tmp_path / "bad.json").write_text("{}\n", encoding="utf-8")
    code, _, err = _run(capsys, "log", "append", str(log), str(tmp_path / "bad.json"))
    assert code == 2
    assert err.count("\n") == 1
    assert "nothing was appended" in err


def test_signed_entries_verify_with_the_trusted_key_only(
    tmp_path: Path, record_files: list[str], capsys: Output
) -> None:
    key, other = SigningKey.generate(), SigningKey.generate()
    (tmp_path / "office.key").write_bytes(key.pem())
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "office.pub").write_bytes(key.public.pem())
    (tmp_path / "other.pub").write_bytes(other.public.pem())
    log = str(tmp_path / "office.log")
    signing = ["--sign-with", str(tmp_path / "office.key")]
    assert _run(capsys, "log", "append", log, *record_files[:2], *signing)[0] == 0
    code, out, _ = _run(capsys, "log", "verify", log, "--trust", str(keys))
    assert code == 0
    assert out.splitlines()[-1] == f"signatures: 2 of 2 by a trusted key; key {key.key_id}"
    code, out, err = _run(capsys, "log", "verify", log, "--trust", str(tmp_path / "other.pub"))
    assert code == 1
    assert out.splitlines()[-3:] == [
        "signatures: 0 of 2 by a trusted key",
        f"  entry 1: untrusted (key {key.key_id})",
        f"  entry 2: untrusted (key {key.key_id})",
    ]
    assert err == f"iqm-rules: {log} does not verify\n"
    assert _run(capsys, "log", "append", log, record_files[2])[0] == 0  # unsigned
    code, out, _ = _run(capsys, "log", "verify", log, "--trust", str(keys), "--json")
    assert code == 1
    found = json.loads(out)
    assert found["holds"] is False
    assert [s["state"] for s in found["signatures"]] == ["signed", "signed", "unsigned"]


def test_verify_names_the_first_bad_entry_and_a_published_head_not_held(
    tmp_path: Path, record_files: list[str], capsys: Output
) -> None:
    log = tmp_path / "office.log"
    assert _run(capsys, "log", "append", str(log), *record_files[:3])[0] == 0
    head = _run(capsys, "log", "head", str(log))[1].strip()
    sql(log, ("DELETE FROM entries WHERE sequence = 3", ()))
    assert _run(capsys, "log", "verify", str(log))[0] == 0, "the chain alone cannot tell"
    code, out, _ = _run(capsys, "log", "verify", str(log), "--head", head)
    assert code == 1
    assert out.splitlines()[1] == (
        "chain: broken at entry 3: deleted (the log ends at entry 2; entry 3 was published)"
    )
    sql(log, ("UPDATE entries SET written_at = '2020-01-01T00:00:00.000000Z' WHERE sequence=1", ()))
    code, out, _ = _run(capsys, "log", "verify", str(log), "--json")
    assert json.loads(out)["chain"] == {
        "entry": 1,
        "how": "edited",
        "reason": "its fields do not give its hash",
    }
    code, _, err = _run(capsys, "log", "verify", str(log), "--head", "3:abc")
    assert code == 2
    assert "a head is written SEQUENCE:HASH" in err


def test_status_on_request_from_the_command_line(tmp_path: Path, capsys: Output) -> None:
    log = str(tmp_path / "office.log")
    code, _, _ = _run(
        capsys, "status", "--example", "flagship-journey", "--as-of", "2025-09-01", "--log", log
    )
    assert code == 0
    code, out, _ = _run(capsys, "log", "status", log, "URN-140876", "--as-of", "2025-10-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "URN-140876 on 2025-10-01: holds Inclusive School Award, Centre of Excellence, "
        "Flagship School"
    )
    assert lines[-3] == "as the status of 2025-09-01 shows it (it covers 2025-09-01 to 2026-09-30)"
    assert lines[-1] == "entry unsigned"
    code, out, _ = _run(
        capsys, "log", "status", log, "URN-140876", "--as-of", "2025-10-01", "--json"
    )
    assert json.loads(out)["held"] == ["inclusive_school", "centre_of_excellence", "flagship"]
    code, out, err = _run(capsys, "log", "status", log, "URN-000000", "--as-of", "2025-10-01")
    assert (code, out) == (1, "")
    assert err == f"iqm-rules: {log}: the log holds no record of school URN-000000\n"


def test_decide_and_batch_append_their_records(tmp_path: Path, capsys: Output) -> None:
    log = tmp_path / "office.log"
    argv = ["decide", "--example", "first-award", "--assessment", "HB-2024-01"]
    plain = _run(capsys, *argv)
    assert _run(capsys, *argv, "--log", str(log)) == plain
    schools = str(DOCS / "schools.jsonl")
    batch = ["batch", schools, "--as-of", "2025-09-01"]
    without = _run(capsys, *batch)
    assert _run(capsys, *batch, "--log", str(log)) == without
    code, out, _ = _run(capsys, *batch, "--records", "--log", str(log))
    assert code == without[0]
    entries = read(log)
    lines = out.splitlines()
    assert [e.record for e in entries[-len(lines) :]] == lines
    assert len(entries) == 1 + 2 * len(lines)
    assert [e.about().kind for e in entries[:2]] == ["decision", "status"]


def test_a_file_that_is_not_a_log_stops_batch_before_any_work(
    tmp_path: Path, capsys: Output
) -> None:
    other = tmp_path / "other.db"
    sql(other, ("CREATE TABLE t (x INTEGER)", ()))
    output = tmp_path / "out.jsonl"
    argv = ["batch", str(DOCS / "schools.jsonl"), "-o", str(output), "--log", str(other)]
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"iqm-rules: error: {other}: not a decision log (a SQLite database of another program)\n"
    )
    assert not output.exists()


def test_a_full_log_is_one_line_from_the_command_line(
    tmp_path: Path, record_files: list[str], capsys: Output, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "office.log"
    assert _run(capsys, "log", "append", str(log), record_files[0])[0] == 0
    pages = sqlite3.connect(log).execute("PRAGMA page_count").fetchone()[0]
    opened = SQLiteStore.open.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        SQLiteStore,
        "open",
        classmethod(lambda cls, path: opened(cls, path, page_limit=pages)),
    )
    code, out, err = _run(capsys, "log", "append", str(log), *record_files[1:])
    assert (code, out) == (2, "")
    assert err == f"iqm-rules: error: {log}: the disk or the log is full; nothing was appended\n"
    assert len(read(log)) == 1


# --- the log among a command's files -------------------------------------------------------------


def _updates() -> list[tuple[str, str]]:
    """Every (command, option) of the parser that updates a file."""
    from test_output_files import COMMANDS

    return sorted(
        (command, action.option_strings[-1] if action.option_strings else action.dest)
        for command, sub in COMMANDS.items()
        for action in sub._actions
        if isinstance(action.type, FileOption) and action.type.role == "updates"
    )


def test_the_commands_that_update_a_log() -> None:
    assert _updates() == [
        ("batch", "--log"),
        ("decide", "--log"),
        ("log append", "log"),
        ("status", "--log"),
    ]
    assert parser.COMMANDS["log"] is not None


@pytest.mark.parametrize(
    ("argv", "clash"),
    [
        (["status", "{history}", "--log", "{history}"], "would write over"),
        (["status", "{history}", "--policy", "{policy}", "--log", "{policy}"], "would write over"),
        (["status", "{history}", "--record", "{new}", "--log", "{new}"], "are the same file"),
        (["status", "{history}", "--record", "{log}", "--log", "{log}"], "would write over"),
        (["decide", "{history}", "--assessment", "HB-2024-01", "--log", "{history}"], "over"),
        (["batch", "{lines}", "--log", "{lines}"], "would write over"),
        (["batch", "{lines}", "-o", "{log}", "--log", "{log}"], "would write over"),
        (["log", "append", "{record}", "{record}"], "would write over"),
        (["log", "append", "{log}", "{log}"], "would write over"),
        (["log", "export", "{log}", "-o", "{log}"], "would write over"),
    ],
)
def test_a_log_is_none_of_the_command_s_other_files(
    argv: list[str], clash: str, tmp_path: Path, record_files: list[str], capsys: Output
) -> None:
    from iqm_rules import example_text
    from iqm_rules.office.policy_files import default_policy_text

    history, lines, policy = tmp_path / "h.json", tmp_path / "h.jsonl", tmp_path / "p.toml"
    history.write_text(example_text("first-award"), encoding="utf-8")
    lines.write_text(json.dumps(json.loads(example_text("first-award"))) + "\n", "utf-8")
    policy.write_text(default_policy_text(), encoding="utf-8")
    log = tmp_path / "office.log"
    assert main(["log", "append", str(log), record_files[0]]) == 0
    names = {
        "history": history,
        "lines": lines,
        "policy": policy,
        "new": tmp_path / "new.json",
        "log": log,
        "record": Path(record_files[1]),
    }
    before = {path: path.read_bytes() for path in names.values() if path.exists()}
    code, out, err = _run(capsys, *(word.format(**names) for word in argv))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert clash in err
    assert {path: path.read_bytes() for path in before} == before
    assert not names["new"].exists()
