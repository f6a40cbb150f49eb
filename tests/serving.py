"""A real ``iqm-rules`` server in a subprocess, for the server tests.

:func:`started` runs ``python -m iqm_rules.server`` on a free loopback port and waits until
``/health`` answers; the caller stops it (SIGTERM) when done. Its standard error (the JSON
access log) goes to a file the tests can read.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import httpx


@attrs.frozen
class Server:
    """A running server: its base URL, process and log file."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Stop the server gracefully (SIGINT lets coverage save its data), then wait."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=20)


def _python() -> list[str]:
    """This Python, under ``coverage run -p`` when the tests are measured (``make test``)."""
    import coverage

    if coverage.Coverage.current() is None:
        return [sys.executable]
    return [sys.executable, "-m", "coverage", "run", "--parallel-mode"]


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def started(log: Path, *options: str) -> Iterator[Server]:
    """A server with ``options`` (those of ``serve``), stopped on exit."""
    port = free_port()
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [*_python(), "-m", "iqm_rules.server", "--port", str(port), *options],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()}")
            try:
                if httpx.get(server.url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server
    finally:
        server.stop()
