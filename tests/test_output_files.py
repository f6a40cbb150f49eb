"""No command writes over a file it reads, and what the user set on a target is kept.

Every command and every option that names a file are read from the parser itself: an option
added later is covered here without anyone remembering to, and one that names a file without
saying whether the command reads or writes it fails the first test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iqm_rules.cli import main, parser
from iqm_rules.cli.files import FileOption
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.office.policy_files import default_policy_text

NOT_FILES = {
    ("*", "--as-of"),
    ("*", "--lang"),
    ("*", "--on"),
    ("*", "--example"),
    ("*", "--jobs"),
    ("*", "--max-bytes"),
    ("decide", "--assessment"),
    ("upcoming", "--within"),
    ("schema", "name"),
    ("example", "name"),
    ("completion", "shell"),
    ("serve", "--host"),
    ("serve", "--port"),
    ("serve", "--workers"),
    ("serve", "--max-body-bytes"),
    ("serve", "--timeout"),
    ("serve", "--cors-origin"),
    ("serve", "--header-timeout"),
    ("serve", "--keep-alive"),
    ("serve", "--max-connections"),
    ("serve", "--max-requests"),
    # The service reads its policy once at start, and its decision log read-only; it writes
    # no file.
    ("serve", "--policy"),
    ("serve", "--log"),
    ("log verify", "--head"),
    ("log show", "--school"),
    ("log show", "--since"),
    ("log status", "school"),
    ("conformance run", "--command"),
    ("conformance run", "--url"),
    ("conformance run", "--timeout"),
    ("conformance run", "--case"),
}
"""Options that take a value which names no file (``*``: wherever they appear)."""


def _commands(top: argparse.ArgumentParser, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every command's parser, ``policy show`` and the like included, by its name."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if nested:
                    yield from _commands(sub, full)
                else:
                    yield full, sub


COMMANDS = dict(_commands(parser.build([])))


def _name(action: argparse.Action) -> str:
    return action.option_strings[-1] if action.option_strings else action.dest


def _file_options(command: str, role: str) -> list[argparse.Action]:
    return [
        action
        for action in COMMANDS[command]._actions
        if isinstance(action.type, FileOption) and action.type.role == role
    ]


def test_every_option_is_known_to_name_a_file_or_not() -> None:
    unknown = []
    for command, sub in COMMANDS.items():
        for action in sub._actions:
            if action.nargs == 0 or isinstance(action, argparse._HelpAction):
                continue
            if isinstance(action.type, FileOption):
                continue
            name = _name(action)
            if (command, name) not in NOT_FILES and ("*", name) not in NOT_FILES:
                unknown.append(f"{command} {name}")
    assert unknown == [], "say with a FileOption type whether each reads or writes a file"


# --- a minimal run of every command that writes a file ------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """One file of each kind a command reads, in ``tmp_path/in``."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = example_text("first-award")
    history = folder / "school.json"
    history.write_text(text, encoding="utf-8")
    lines = folder / "schools.jsonl"
    lines.write_text(json.dumps(json.loads(text)) + "\n", encoding="utf-8")
    policy = folder / "policy.toml"
    policy.write_text(default_policy_text(), encoding="utf-8")
    log = folder / "evidence.csv"
    items = load_history(text).events[0].evidence  # type: ignore[union-attr]
    with log.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "element", "principles", "kind", "collected on", "summary"])
        for i in items:
            principles = ";".join(p.value for p in i.principles)
            writer.writerow(
                [i.id, i.element.title, principles, i.kind.title, i.collected_on, i.summary]
            )
    decisions = folder / "decisions.log"
    assert main(["status", str(history), "--as-of", "2025-01-01", "--log", str(decisions)]) == 0
    return {
        "history": history,
        "lines": lines,
        "policy": policy,
        "evidence": log,
        "log": decisions,
    }


def _runs(files: dict[str, Path]) -> dict[str, list[str]]:
    """A run of each command that writes a file, with every argument it requires."""
    history, lines, policy = str(files["history"]), str(files["lines"]), str(files["policy"])
    return {
        "status": ["status", history, "--as-of", "2025-01-01"],
        "decide": ["decide", history, "--assessment", "HB-2024-01"],
        "report": ["report", history, "--as-of", "2025-01-01"],
        "audit": ["audit", history],
        "batch": ["batch", lines, "--as-of", "2025-01-01"],
        "upcoming": ["upcoming", lines, "--as-of", "2025-01-01"],
        "register": ["register", lines, "--as-of", "2025-01-01"],
        "what-if": ["what-if", lines, "--policy", policy],
        "evidence-to-json": ["evidence-to-json", str(files["evidence"])],
        "log export": ["log", "export", str(files["log"])],
    }


WRITERS = sorted(
    (command, _name(action))
    for command in COMMANDS
    for action in _file_options(command, "writes")
    if not action.type.directory  # type: ignore[union-attr]
)
"""Every option that writes one file; those that write a directory of files are below."""

DIRECTORY_WRITERS = sorted(
    (command, _name(action))
    for command in COMMANDS
    for action in _file_options(command, "writes")
    if action.type.directory  # type: ignore[union-attr]
)


def _label(command: str, flag: str) -> str:
    """How messages name the option ``flag`` of ``command`` (``-o`` for ``--output``)."""
    (found,) = [a for a in _file_options(command, "writes") if flag in a.option_strings]
    assert isinstance(found.type, FileOption)
    return found.type.option


def test_every_command_that_writes_a_file_has_a_run_here(files: dict[str, Path]) -> None:
    assert {command for command, _ in WRITERS} == set(_runs(files))


def _with_input(run: list[str], action: argparse.Action, value: str) -> list[str]:
    """``run`` with the input ``action`` given ``value``, in place of its own if it has one (each
    run above gives its one positional input first, after the command's name)."""
    if not action.option_strings:
        words = 2 if run[0] == "log" else 1
        return [*run[:words], value, *run[words + 1 :]]
    flag = action.option_strings[-1]
    if flag in run:
        at = run.index(flag)
        return [*run[: at + 1], value, *run[at + 2 :]]
    return [*run, flag, value]


def _spellings(target: Path, cwd: Path) -> Iterator[tuple[str, str]]:
    """Other names of the file ``target``: relative, ``./``, ``..``, absolute, a symlink, a hard
    link (each made beside it)."""
    yield "relative", os.path.relpath(target, cwd)
    yield "./", "./" + os.path.relpath(target, cwd)
    yield "..", str(target.parent / ".." / target.parent.name / target.name)
    yield "absolute", str(target.resolve())
    link = target.parent.parent / f"link-to-{target.name}"
    link.symlink_to(target)
    yield "symlink", str(link)
    hard = target.parent.parent / f"hard-{target.name}"
    os.link(target, hard)
    yield "hard link", str(hard)


def _kind(action: argparse.Action) -> str:
    assert isinstance(action.type, FileOption)
    holds = action.type.holds
    if "decision log" in holds:
        return "log"
    if "evidence" in holds:
        return "evidence"
    if "polic" in holds:
        return "policy"
    if action.type.option in ("IN.jsonl", "IN", "IN.jsonl|DIR"):
        return "lines"
    return "history"


@pytest.mark.parametrize(("command", "output"), WRITERS)
def test_no_output_is_written_over_any_file_the_command_reads(
    command: str,
    output: str,
    files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    run = _runs(files)[command]
    before = {path: path.read_bytes() for path in files.values()}
    tried = 0
    for source in _file_options(command, "reads"):
        target = files[_kind(source)]
        for how in ("file", "its directory"):
            given = str(target) if how == "file" else str(target.parent)
            argv = _with_input(run, source, given)
            for spelling, name in _spellings(target, tmp_path):
                code = main([*argv, output, name])
                err = capsys.readouterr().err
                where = f"{' '.join(argv)} {output} {name} ({spelling}, input {how})"
                assert code == 2, where
                assert err.count("\n") == 1, (where, err)
                assert f"{_label(command, output)} {name} would write over" in err, (where, err)
                assert str(target) in err or "standard input" in err, (where, err)
                tried += 1
            for extra in tmp_path.glob("*-*"):
                extra.unlink()
    assert tried >= 12
    assert {path: path.read_bytes() for path in files.values()} == before
    assert list(tmp_path.rglob("*.part")) == []


@pytest.mark.parametrize(("command", "output"), WRITERS)
def test_no_output_is_written_over_standard_input_redirected_from_a_file(
    command: str,
    output: str,
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = _runs(files)[command]
    sources = [a for a in _file_options(command, "reads") if not a.option_strings]
    target = files[_kind(sources[0])]
    before = target.read_bytes()
    with target.open("rb") as stdin:
        monkeypatch.setattr(sys, "stdin", os.fdopen(os.dup(stdin.fileno()), "r"))
        code = main([*_with_input(run, sources[0], "-"), output, str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "would write over standard input" in err
    assert target.read_bytes() == before


def test_an_output_may_not_be_a_directory(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command, output in WRITERS:
        code = main([*_runs(files)[command], output, str(tmp_path)])
        err = capsys.readouterr().err
        assert code == 2, (command, err)
        assert err.count("\n") == 1
        assert f"{_label(command, output)} {tmp_path} is a directory" in err


# --- what the user set on a target is kept ------------------------------------------------------


def _run_to(files: dict[str, Path], command: str, output: str, target: Path) -> None:
    code = main([*_runs(files)[command], output, str(target)])
    assert code in (0, 1), (command, output)


@pytest.mark.parametrize(("command", "output"), WRITERS)
def test_an_existing_target_keeps_its_mode(
    command: str, output: str, files: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "private"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    _run_to(files, command, output, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") != "old\n"
    target.chmod(0o640)
    _run_to(files, command, output, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["private"]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_target_gets_the_usual_mode(
    umask: int, files: dict[str, Path], tmp_path: Path
) -> None:
    before = os.umask(umask)
    try:
        for command, output in WRITERS:
            target = tmp_path / f"{umask:o}-{command}{output}"
            _run_to(files, command, output, target)
            assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask, command
    finally:
        os.umask(before)


@pytest.mark.parametrize(("command", "output"), WRITERS)
def test_a_target_that_is_a_symlink_stays_one_and_its_file_is_written(
    command: str, output: str, files: dict[str, Path], tmp_path: Path
) -> None:
    real = tmp_path / "real" / "report.out"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.out"
    link.symlink_to(real)
    _run_to(files, command, output, link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert [p.name for p in real.parent.iterdir()] == ["report.out"], "no temporary file left"
    dangling = tmp_path / "dangling.out"
    dangling.symlink_to(tmp_path / "real" / "new.out")
    _run_to(files, command, output, dangling)
    assert dangling.is_symlink()
    assert (tmp_path / "real" / "new.out").stat().st_size > 0


# --- a directory of files ------------------------------------------------------------------------


def test_the_commands_that_write_a_directory() -> None:
    assert DIRECTORY_WRITERS == [("conformance export", "directory")]


@pytest.mark.parametrize("kind", ["a file", "a directory with a file", "a case directory read"])
def test_a_directory_output_must_be_new_or_empty(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    if kind == "a file":
        target.write_text("mine\n", encoding="utf-8")
    elif kind == "a directory with a file":
        target.mkdir()
        (target / "kept").write_text("mine\n", encoding="utf-8")
    else:
        target.mkdir()
    argv = ["conformance", "export", str(target), "--cases", str(target)]
    assert main(argv if kind == "a case directory read" else argv[:3]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    expected = {
        "a file": "is not a directory",
        "a directory with a file": "is not empty",
        "a case directory read": "is a case file this command reads (--cases)",
    }[kind]
    assert f"DIR {target} {expected}" in err


def test_each_file_of_a_directory_output_is_written_whole(tmp_path: Path) -> None:
    from iqm_rules.cli.files import written_in

    with written_in(str(tmp_path / "new"), "a/b/c.json") as out:
        out.write("{}\n")
        assert list((tmp_path / "new").rglob("*.json")) == []
    assert (tmp_path / "new" / "a" / "b" / "c.json").read_text(encoding="utf-8") == "{}\n"
    assert list(tmp_path.rglob("*.part")) == []
