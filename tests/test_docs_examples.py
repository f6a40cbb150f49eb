"""Every command example in the documentation prints what the page says it prints.

A ```` ```console ```` block holds commands (``$ iqm-rules ...``), each followed by its exact
output. A last output line ``[exit status N]`` states a status other than 0. Each command runs
in process through :func:`iqm_rules.cli.main`, so a page cannot drift from the command.

The commands of a page run in order in a directory of their own, made for that page, in which
each of the project's top-level files and folders is a link to it: a file a page writes by a
relative name
(``--out body.key``) is new on every run. A new key's id is random: ``<key id>`` in an expected
line stands for any 16 lowercase hex digits.
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
    pytest.param(
        str(page.relative_to(ROOT)),
        command,
        output,
        status,
        id=f"{page.relative_to(ROOT)}: {command}",
    )
    for page in PAGES
    for block in BLOCK.findall(page.read_text("utf-8"))
    for command, output, status in commands(block)
]


def test_the_docs_show_some_command_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.fixture(scope="module")
def page_directories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The directory each page's commands run in, made when the page's first command runs."""
    return {}


def _directory(made: dict[str, Path], page: str, factory: pytest.TempPathFactory) -> Path:
    if page not in made:
        made[page] = factory.mktemp("page")
        for entry in ROOT.iterdir():
            if not entry.name.startswith("."):
                (made[page] / entry.name).symlink_to(entry)
    return made[page]


KEY_ID = "<key id>"


def _matches(printed: str, expected: str) -> bool:
    if KEY_ID not in expected:
        return printed == expected
    pattern = "[0-9a-f]{16}".join(re.escape(part) for part in expected.split(KEY_ID))
    return re.fullmatch(pattern, printed) is not None


@pytest.mark.parametrize(("page", "command", "output", "status"), EXAMPLES)
def test_command_example(
    page: str,
    command: str,
    output: str,
    status: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    page_directories: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    monkeypatch.chdir(_directory(page_directories, page, tmp_path_factory))
    program, *args = shlex.split(command)
    assert program == "iqm-rules"
    assert cli.main(args) == status
    printed = capsys.readouterr()
    if not _matches(printed.out + printed.err, output):
        assert printed.out + printed.err == output
