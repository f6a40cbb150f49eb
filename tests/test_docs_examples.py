"""Every command example in the documentation prints what the page says it prints.

A ```` ```console ```` block holds commands (``$ iqm-rules ...``), each followed by its exact
output. A last output line ``[exit status N]`` states a status other than 0. Each command runs
in process through :func:`iqm_rules.cli.main`, so a page cannot drift from the command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from iqm_rules import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
STATUS = re.compile(r"^\[exit status (\d+)\]$")


def commands(block: str) -> list[tuple[str, str, int]]:
    """(command, expected output, expected exit status) of each ``$`` line of ``block``.

    >>> commands("$ iqm-rules example\\na\\nb\\n$ iqm-rules x\\n[exit status 2]\\n")
    [('iqm-rules example', 'a\\nb\\n', 0), ('iqm-rules x', '', 2)]
    """
    found: list[tuple[str, str, int]] = []
    for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, _, output = chunk.partition("\n")
        lines = output.splitlines(keepends=True)
        status = STATUS.match(lines[-1].strip()) if lines else None
        if status:
            lines.pop()
        found.append((command, "".join(lines), int(status[1]) if status else 0))
    return found


EXAMPLES = [
    pytest.param(command, output, status, id=f"{page.relative_to(ROOT)}: {command}")
    for page in PAGES
    for block in BLOCK.findall(page.read_text("utf-8"))
    for command, output, status in commands(block)
]


def test_the_docs_show_some_command_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "output", "status"), EXAMPLES)
def test_command_example(
    command: str, output: str, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    program, *args = shlex.split(command)
    assert program == "iqm-rules"
    assert cli.main(args) == status
    printed = capsys.readouterr()
    assert printed.out + printed.err == output
