"""Text from input files never reaches a terminal raw: every text output and message shows
control and format characters escaped (``\\x1b``, ``\\u202e``), while JSON output keeps the
values exactly.

One hostile history (every free-text field and every id of the history format holding escape
sequences, bells, NULs, a C1 CSI, bidi overrides and a newline that tries to forge a line), a
hostile policy, case file and file names are run through every command that writes text, in a
fresh interpreter, and each byte of standard output and standard error is checked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iqm_rules._shown import shown
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text

FORGED = "FORGED-LINE"
"""What a newline in a value would start a line with, were it written raw."""

NASTY = (
    f"\x1b]0;owned\x07\x1b[2J\x00\x08\x7f\x9b31m\x85\u202e\u2066\u200b\ufeff\u2028\r\n{FORGED}\t"
)
"""Free text: OSC and CSI sequences, BEL, NUL, backspace, DEL, C1 CSI and NEL, bidi override
and isolate, zero-width space, byte-order mark, line separator, CR, LF and a tab."""

NASTY_ID = "\u202e\u2066\u200b\ufeff"
"""What an id may hold of the same (ids refuse C0 and C1 controls and blank text)."""

TEXT_FIELDS = frozenset({"name", "summary", "reason"})
"""The free-text fields of ``history.schema.json``: the school's name, an evidence item's
summary, a withdrawal's reason (every other string is an id, a date or a term)."""


def _free_text_fields(schema: object) -> Iterator[str]:
    """The properties of ``schema`` that take any string (no pattern, enum or format)."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            constrained = {"pattern", "enum", "format", "$ref", "allOf", "const"}
            if isinstance(sub, dict) and sub.get("type") == "string" and not constrained & set(sub):
                yield name
        for value in schema.values():
            yield from _free_text_fields(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _free_text_fields(value)


def test_the_hostile_history_fills_every_free_text_field_of_the_format() -> None:
    schema = json.loads(
        (
            Path(__file__).parent.parent / "src/iqm_rules/interchange/schemas/history.schema.json"
        ).read_text()
    )
    assert set(_free_text_fields(schema)) == TEXT_FIELDS


def _hostile(node: Any, key: str = "") -> Any:
    """``node`` with every id and free-text value made hostile."""
    if isinstance(node, dict):
        return {k: _hostile(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_hostile(v, key) for v in node]
    if isinstance(node, str) and key == "id":
        return f"{node}{NASTY_ID}"
    if isinstance(node, str) and key in TEXT_FIELDS:
        return f"{node}{NASTY}"
    return node


def _history(example: str) -> dict[str, Any]:
    data: dict[str, Any] = _hostile(json.loads(example_text(example)))
    if example == "withdrawn-and-reawarded":
        assert any(e["type"] == "withdrawal" for e in data["events"])
    return data


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,
        check=False,
    )


_RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
"""A byte a text output must never hold: a C0 control other than the newline, DEL, or (UTF-8
encoded) a C1 control."""


def _hidden(text: str) -> list[str]:
    """Every control, format or separator character in ``text`` (the newline of layout apart)."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
    ]


def _assert_safe(output: bytes, where: str) -> None:
    """``output`` holds no raw control or format character, and no value started a line."""
    assert not _RAW.search(output.decode("latin-1")), (where, output)
    text = output.decode("utf-8")
    assert _hidden(text) == [], (where, text)
    for line in text.splitlines():
        assert not line.startswith(FORGED), (where, line)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of hostile inputs: histories, a JSON Lines file of them with a broken line,
    a policy, a case file, a record, and files whose names hold escape sequences."""
    folder = tmp_path_factory.mktemp("hostile")
    journey, withdrawn = _history("flagship-journey"), _history("withdrawn-and-reawarded")
    (folder / "journey.json").write_text(json.dumps(journey), encoding="utf-8")
    (folder / "withdrawn.json").write_text(json.dumps(withdrawn), encoding="utf-8")
    broken = dict(journey, school={"name": NASTY})  # no id: a line that fails
    lines = [json.dumps(journey), json.dumps(broken), json.dumps(withdrawn)]
    (folder / "schools.jsonl").write_text("".join(f"{line}\n" for line in lines), "utf-8")
    # a recorded outcome the rules disagree with: the audit's text names the school
    disagreeing = json.loads(json.dumps(journey))
    for event in disagreeing["events"]:
        if event["type"] == "assessment" and "recorded_outcome" in event:
            event["recorded_outcome"] = {"awarded_level": "flagship"}
    (folder / "disagree.json").write_text(json.dumps(disagreeing), encoding="utf-8")
    policy = {
        "format": "iqm-rules/policy@1",
        "policies": [
            {"id": f"base{NASTY_ID}", "effective_from": "2000-01-01"},
            {"id": f"strict{NASTY_ID}", "effective_from": "2024-01-01", "min_items_per_element": 9},
        ],
    }
    (folder / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    linted: dict[str, object] = {
        "format": "iqm-rules/policy@1",
        "id": f"p{NASTY_ID}",
        "effective_from": "2000-01-01",
    }
    linted[f"bad{NASTY}"] = 1
    (folder / f"lint{NASTY.replace(chr(0), '').replace('/', '')}.json").write_text(
        json.dumps(linted), encoding="utf-8"
    )
    (folder / "cases.json").write_text(
        json.dumps(
            {
                "cases": [
                    {
                        "name": f"a case{NASTY}",
                        "history": "journey.json",
                        "expect": {"status": [{"on": "2025-09-01", "level": "none"}]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    named = folder / "named"
    named.mkdir()
    (named / "good.json").write_text(json.dumps(journey), encoding="utf-8")
    (named / f"bad{NASTY.replace(chr(0), '').replace('/', '')}.json").write_text("{", "utf-8")
    return folder


def _decided_id(history: dict[str, Any]) -> str:
    return str(next(e["id"] for e in history["events"] if e["type"] == "assessment"))


def _commands(folder: Path) -> list[tuple[str, ...]]:
    journey = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    lint = next(p.name for p in folder.iterdir() if p.name.startswith("lint"))
    return [
        ("status", "journey.json", "--as-of", "2025-09-01"),
        ("status", "withdrawn.json", "--as-of", "2025-09-01"),
        ("status", "disagree.json", "--as-of", "2025-09-01", "--json"),
        ("status", "journey.json", "--as-of", "2025-09-01", "--policy", "policy.json"),
        ("decide", "journey.json", "--assessment", _decided_id(journey)),
        ("decide", "disagree.json", "--assessment", _decided_id(journey), "--json"),
        ("timeline", "journey.json", "--as-of", "2025-09-01"),
        ("timeline", "withdrawn.json"),
        ("audit", "schools.jsonl"),
        ("audit", "disagree.json"),
        ("audit", "named"),
        ("upcoming", "schools.jsonl", "--as-of", "2025-09-01", "--within", "2000"),
        ("upcoming", "named", "--as-of", "2025-09-01", "--within", "2000"),
        ("register", "schools.jsonl", "--as-of", "2025-09-01"),
        ("what-if", "schools.jsonl", "--policy", "policy.json", "--as-of", "2025-09-01"),
        ("what-if", "named", "--policy", "policy.json", "--as-of", "2025-09-01"),
        ("readiness", "journey.json"),
        ("batch", "schools.jsonl", "--as-of", "2025-09-01", "-o", "out.jsonl"),
        ("rules", "--policy", "policy.json", "--as-of", "2025-01-01"),
        ("rules", "--policy", "policy.json", "--as-of", "2025-01-01", "--markdown"),
        ("policy", "show", "policy.json"),
        ("policy", "diff", "policy.json", lint),
        ("policy", "lint", lint),
        ("test", "cases.json"),
        ("status", f"missing{NASTY_ID}\x1b[2J.json"),
        ("verify", "record.json", f"missing{NASTY_ID}\x1b[2J.json"),
    ]


def test_control_characters_in_input_never_reach_the_terminal_raw(hostile: Path) -> None:
    record = _run(
        "status", "journey.json", "--as-of", "2025-09-01", "--record", "record.json", cwd=hostile
    )
    assert record.returncode == 0, record.stderr
    data = json.loads((hostile / "record.json").read_text(encoding="utf-8"))
    data["output"]["school_id"] = f"changed{NASTY}"  # tampered, its difference shown
    (hostile / "record.json").write_text(json.dumps(data), encoding="utf-8")
    seen = set()
    for command in _commands(hostile):
        done = _run(*command, cwd=hostile)
        assert b"Traceback" not in done.stderr, (command, done.stderr)
        assert done.returncode in (0, 1, 2), (command, done.returncode, done.stderr)
        if "--json" not in command:
            _assert_safe(done.stdout, f"stdout of {command}")
        _assert_safe(done.stderr, f"stderr of {command}")
        seen.add(command[0] if command[0] != "policy" else " ".join(command[:2]))
        text_out = "--json" not in command and "-o" not in command and done.returncode != 2
        if text_out and command[1] in ("journey.json", "withdrawn.json", "disagree.json"):
            assert "\\u202e" in done.stdout.decode(), (command, done.stdout)  # shown, not lost
    assert seen >= {"status", "decide", "timeline", "audit", "upcoming", "register", "what-if"}


def test_json_output_keeps_the_values_of_hostile_text_exactly(hostile: Path) -> None:
    history = json.loads((hostile / "journey.json").read_text(encoding="utf-8"))
    done = _run("status", "journey.json", "--as-of", "2025-09-01", "--json", cwd=hostile)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["school_id"] == history["school"]["id"]
    done = _run("audit", "disagree.json", "--json", cwd=hostile)
    report = json.loads(done.stdout)
    assert report["disagreements"][0]["school_name"] == history["school"]["name"]
    done = _run("register", "schools.jsonl", "--as-of", "2025-09-01", "--json", cwd=hostile)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert {row["school_name"] for row in rows} >= {history["school"]["name"]}
    assert load_history(json.dumps(history)).school.name == history["school"]["name"]


def test_csv_output_keeps_the_values_of_hostile_text_exactly(hostile: Path) -> None:
    history = json.loads((hostile / "journey.json").read_text(encoding="utf-8"))
    done = _run("register", "schools.jsonl", "--as-of", "2025-09-01", "--csv", cwd=hostile)
    assert (
        history["school"]["name"].replace("\r\n", "\n").encode()
        in done.stdout.replace(b"\r\n", b"\n")
        or history["school"]["name"].encode() in done.stdout
    )


@pytest.mark.parametrize(
    "text",
    ["plain", "École — 学校 ✓", "\x1b[2J", "a\nb\tc\r", "\x7f\x80\x9f", "\u202eab", "\U000e0041"],
)
def test_shown_text_holds_no_control_or_format_character_and_shows_it_once(text: str) -> None:
    once = shown(text)
    assert _hidden(once.replace("\n", "\\n")) == []
    assert "\n" not in once
    assert shown(once) == once
    if text.isprintable():
        assert once == text


def test_joiners_that_spell_words_are_kept() -> None:
    assert shown("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )
