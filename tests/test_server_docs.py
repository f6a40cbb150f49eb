"""Every ``curl`` example of docs/server.md, run against a real server: the output shown is real."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving import Server, started

PAGE = Path(__file__).parent.parent / "docs" / "server.md"
SHOWN_URL = "http://127.0.0.1:8000"


def _examples() -> list[tuple[str, str]]:
    """(command, output shown) of each console block that runs ``curl``, in page order."""
    found = []
    for block in re.findall(r"```shell-session\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S):
        command, _, output = block.partition("\n")
        if command.startswith("$ curl "):
            found.append((command[2:], output))
    return found


LOG = PAGE.parent / "examples" / "decisions.sqlite"
"""The decision log the page's status on request is answered from."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with started(tmp_path_factory.mktemp("docs") / "server.log", "--log", str(LOG)) as running:
        yield running


def test_the_page_shows_every_endpoint() -> None:
    shown = " ".join(command for command, _ in _examples())
    for path in (
        "/status",
        "/decide",
        "/timeline",
        "/readiness",
        "/audit",
        "/verify",
        "/what-if",
        "/rules",
        "/schemas/",
        "/examples",
        "/examples/",
        "/health",
        "/version",
        "/openapi.json",
        "/schools/",
        "/log/head",
    ):
        assert SHOWN_URL + path in shown, path


def test_every_curl_example_prints_what_the_page_shows(server: Server, tmp_path: Path) -> None:
    # in order: later ones read files earlier ones wrote; iqm-rules is installed, as for a reader
    for command, shown in _examples():
        ran = subprocess.run(
            ["bash", "-c", "set -o pipefail; " + command.replace(SHOWN_URL, server.url)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={
                **os.environ,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            },
        )
        assert _lines(ran.stdout) == _lines(shown), command


def _lines(text: str) -> list[str]:
    """The lines of ``text`` without trailing white space, as a Markdown page keeps them."""
    return [line.rstrip() for line in text.rstrip().splitlines()]
