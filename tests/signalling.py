"""Runs of ``iqm-rules --jobs 2`` commands signalled at a chosen moment, and what each left.

Shared by ``tests/test_output_safety.py`` (a few runs of each kind in ``make test``) and
``tools/signal_runs.py`` (``make signals``: hundreds of runs at random moments under load).

A run starts the command in a session of its own, waits until the program has taken its
signals (its SIGTERM handler shows in ``/proc/PID/status``: before that the interpreter is still
starting and the signal would be the interpreter's to handle), waits ``delay`` seconds more and
sends the signal to the parent alone or to the whole process group. It then checks what a user
must be able to count on: the run ended (a run still going after :data:`HANG` seconds has hung),
with one line and the exit status of that signal or with success, no traceback, the input as
it was, nothing under the output's name unless complete, and no process of the run left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from iqm_rules.interchange.examples import example_text, examples

__all__ = ["COMMANDS", "HANG", "KINDS", "Run", "Workspace", "signalled"]

HANG = 120.0
"""Seconds after the signal by which a run must have ended; about fifty times what one takes on
a loaded machine, so only a run that would never end reaches it."""

KINDS: tuple[tuple[str, str], ...] = (
    ("TERM", "group"),
    ("TERM", "parent"),
    ("INT", "group"),
    ("INT", "parent"),
    ("KILL", "parent"),
    ("KILL", "group"),
)
"""Each signal and where it is sent: the parent alone, or its whole process group."""

COMMANDS = ("batch", "what-if", "audit")

_EXPECTED = {
    "TERM": (143, -signal.SIGTERM),
    "INT": (130, -signal.SIGINT),
    "KILL": (-signal.SIGKILL,),
}
"""The exit statuses of a run ended by each signal: the program's own (it unwound and said so
in one line), or death by the signal itself (a shell reports the same status): once the output
is complete and the interpreter is shutting down, or, rarely, after the program has unwound and
said so, when the interpreter ends a process whose Ctrl-C it counts as not handled."""


@frozen
class Workspace:
    """A folder with the inputs of every command, each one's complete output, and how long
    a whole run of it took (the span in which a signal is sent)."""

    folder: Path
    lines: Path
    directory: Path
    policy: Path
    complete: dict[str, bytes]
    seconds: dict[str, float]

    @classmethod
    def made(cls, folder: Path, copies: int = 100) -> Workspace:
        texts = [json.dumps(json.loads(example_text(name))) for name in examples()]
        lines = folder / "schools.jsonl"
        lines.write_text("".join(t + "\n" for t in texts * copies), encoding="utf-8")
        directory = folder / "schools"
        directory.mkdir()
        for n, text in enumerate(texts * copies):
            (directory / f"{n:05}.json").write_text(text, encoding="utf-8")
        policy = folder / "proposed.toml"
        policy.write_text(
            'format = "iqm-rules/policy@1"\n\n[[policies]]\nid = "proposed"\n'
            "effective_from = 2000-01-01\ngrace_months = 4\n",
            encoding="utf-8",
        )
        space = cls(folder, lines, directory, policy, {}, {})
        for command in COMMANDS:
            target = folder / f"reference-{command}.out"
            subprocess.run(space.argv(command, target), capture_output=True, timeout=600)
            started = time.monotonic()  # the second run: the first compiled the modules
            done = subprocess.run(
                space.argv(command, target), capture_output=True, timeout=600, check=False
            )
            space.seconds[command] = time.monotonic() - started
            assert done.returncode in (0, 1), done.stderr
            space.complete[command] = target.read_bytes()
            target.unlink()
        return space

    def argv(self, command: str, target: Path) -> list[str]:
        """The command line of a run of ``command`` writing ``target``."""
        given = {
            "batch": ["batch", str(self.lines), "--as-of", "2026-01-01"],
            "what-if": ["what-if", str(self.lines), "--policy", str(self.policy)],
            "audit": ["audit", str(self.directory)],
        }[command]
        return [sys.executable, "-m", "iqm_rules", *given, "--jobs", "2", "-o", str(target)]

    def inputs(self) -> dict[Path, bytes]:
        """Every input file and its bytes."""
        paths = [self.lines, self.policy, *sorted(self.directory.iterdir())]
        return {path: path.read_bytes() for path in paths}


@frozen
class Run:
    """What one signalled run did, and every way it fell short (``problems``, empty if none)."""

    command: str
    signal: str
    to: str
    delay: float
    returncode: int | None
    stderr: str
    problems: tuple[str, ...]
    seconds: float = 0.0
    """From the moment the program had taken its signals to its end."""

    def describe(self) -> str:
        return (
            f"{self.command} {self.signal} to {self.to} after {self.delay:.3f} s: "
            f"exit {self.returncode}, {'; '.join(self.problems) or 'ok'}; stderr {self.stderr!r}"
        )


def _has_taken_sigterm(pid: int) -> bool:
    """Whether process ``pid`` catches SIGTERM, as the program does once it has started."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return True  # it has ended already
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    return True


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signalled(
    space: Workspace, command: str, kind: str, to: str, delay: float, target: Path
) -> Run:
    """Run ``command`` writing ``target``, send SIG``kind`` to the ``parent`` or the ``group``
    ``delay`` seconds after the program took its signals, and judge what it left."""
    inputs = space.inputs()
    process = subprocess.Popen(
        space.argv(command, target),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    started = time.monotonic()
    while not _has_taken_sigterm(process.pid) and time.monotonic() - started < HANG:
        time.sleep(0.002)
    ready = time.monotonic()
    time.sleep(delay)
    number = getattr(signal, f"SIG{kind}")
    try:
        if to == "group":
            os.killpg(process.pid, number)
        else:
            os.kill(process.pid, number)
    except ProcessLookupError:
        pass
    problems: list[str] = []
    try:
        _, err = process.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        problems.append(f"hung: still running {HANG:.0f} s after the signal")
    ended = time.monotonic()
    seconds = ended - ready
    while _group_alive(process.pid) and time.monotonic() - ended < 30:
        time.sleep(0.01)
    if _group_alive(process.pid):
        problems.append("a process of the run was left running")
        os.killpg(process.pid, signal.SIGKILL)
    text = err.decode("utf-8", errors="replace")
    problems.extend(_judged(space, command, kind, process.returncode, text, target, inputs))
    return Run(command, kind, to, delay, process.returncode, text, tuple(problems), seconds)


def _judged(
    space: Workspace,
    command: str,
    kind: str,
    code: int | None,
    err: str,
    target: Path,
    inputs: dict[Path, bytes],
) -> list[str]:
    problems = []
    finished = code in (0, 1)
    if "Traceback" in err or "Error" in err.replace("error:", ""):
        problems.append("a traceback")
    if not finished and code not in _EXPECTED[kind]:
        problems.append(f"exit status {code}, not one of {_EXPECTED[kind]}")
    if code is not None and code < 0 and kind != "KILL" and not target.exists() and not err:
        problems.append("killed by the signal before the program had unwound and said so")
    if code is not None and code > 1 and err.count("\n") != 1:
        problems.append(f"{err.count(chr(10))} lines on standard error, not one")
    if space.inputs() != inputs:
        problems.append("an input changed")
    if target.exists() and target.read_bytes() != space.complete[command]:
        problems.append("an incomplete output under its name")
    if finished and not target.exists():
        problems.append("finished without its output")
    leftovers = [p.name for p in target.parent.glob(f".{target.name}.*.part")]
    if leftovers and kind != "KILL":
        problems.append(f"temporary files left: {leftovers}")
    return problems


def busy_loops(count: int = 2) -> Sequence[subprocess.Popen[bytes]]:
    """``count`` processes that keep a core busy each, until killed."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
