"""``iqm-rules completion``: the scripts are walked from the parser, parse in their shell, and
complete commands, options, ``policy`` actions, choices and files in a real bash."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from iqm_rules.cli import main, parser
from iqm_rules.cli.completion import script as _script
from iqm_rules.cli.completion import walk

BASH = shutil.which("bash")
ZSH = shutil.which("zsh")


def script(shell: str) -> str:
    """The script ``iqm-rules completion SHELL`` prints, of the parser of every command."""
    return _script(shell, parser.build([]))


needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _completed(*words: str, cwd: Path | None = None) -> list[str]:
    """What the bash script offers for the last of ``words`` (the word being completed)."""
    assert BASH is not None
    quoted = " ".join("'" + word.replace("'", "'\\''") + "'" for word in ("iqm-rules", *words))
    driver = (
        f"{script('bash')}\n"
        f"COMP_WORDS=({quoted})\n"
        f"COMP_CWORD={len(words)}\n"
        "_iqm_rules\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", driver],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return [line for line in done.stdout.splitlines() if line]


def test_the_tree_has_every_command_and_the_policy_actions() -> None:
    tree = walk(parser.build([]))
    assert [child.name for child in tree.children] == list(parser.COMMANDS)
    (policy,) = [child for child in tree.children if child.name == "policy"]
    assert [action.name for action in policy.children] == ["show", "diff", "lint"]


def test_the_command_prints_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    for shell in ("bash", "zsh"):
        assert main(["completion", shell]) == 0
        assert capsys.readouterr().out == script(shell)


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 2
    assert "invalid choice: 'fish'" in capsys.readouterr().err


@needs_bash
def test_the_bash_script_parses(tmp_path: Path) -> None:
    path = tmp_path / "iqm-rules.bash"
    path.write_text(script("bash"), encoding="utf-8")
    assert BASH is not None
    subprocess.run([BASH, "-n", str(path)], check=True)


@needs_bash
def test_bash_completes_a_command_name() -> None:
    assert _completed("sta") == ["status"]
    assert {"status", "decide", "policy", "completion", "what-if"} <= set(_completed(""))


@needs_bash
def test_bash_completes_the_options_of_status() -> None:
    offered = _completed("status", "--")
    assert {"--example", "--policy", "--as-of", "--json", "--record", "--max-bytes"} <= set(offered)
    assert _completed("status", "--as") == ["--as-of"]
    assert "--jobs" not in offered


@needs_bash
def test_bash_completes_the_policy_actions() -> None:
    assert _completed("policy", "") == ["show", "diff", "lint"]
    assert _completed("policy", "d") == ["diff"]
    assert "--default" in _completed("policy", "show", "--")


@needs_bash
def test_bash_completes_choices_and_files(tmp_path: Path) -> None:
    assert _completed("schema", "time") == ["timeline"]
    assert _completed("completion", "") == ["bash", "zsh"]
    (tmp_path / "school.json").write_text("{}", encoding="utf-8")
    (tmp_path / "strict.toml").write_text("", encoding="utf-8")
    assert _completed("status", "sch", cwd=tmp_path) == ["school.json"]
    assert _completed("status", "--policy", "st", cwd=tmp_path) == ["strict.toml"]
    assert _completed("status", "--as-of", "", cwd=tmp_path) == []  # a date: nothing to offer


@pytest.mark.skipif(ZSH is None, reason="zsh is not installed")
def test_the_zsh_script_parses(tmp_path: Path) -> None:
    path = tmp_path / "_iqm-rules"
    path.write_text(script("zsh"), encoding="utf-8")
    assert ZSH is not None
    subprocess.run([ZSH, "-n", str(path)], check=True)
