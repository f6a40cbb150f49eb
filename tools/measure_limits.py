"""Time and memory of documents far beyond any school, by size (docs/testing.md, "Limits").

    python tools/measure_limits.py            # every shape, the sizes of docs/testing.md
    python tools/measure_limits.py --quick    # the smallest size of each shape only

Each document is generated into ``build/limits/`` and read by ``iqm-rules status FILE --json``
(and ``decide`` for the one big assessment) in a fresh interpreter, exactly as a user runs it.
For each run: the file size, the CPU seconds (user + system) and the peak resident memory of
that process above those of the same command on the smallest bundled history (the interpreter
and the library loaded), and their ratios to the file size. Then, per shape, how the cost grows
with the size (``10.0x the size: 10.2x the CPU, 9.9x the memory``). Linear means those ratios
stay near the size ratio. The generated files are removed at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from attrs import frozen

from iqm_rules.interchange.examples import example_text

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "build" / "limits"
AS_OF = "9999-01-01"
"""After every generated event: the whole history is replayed."""

Document = dict[str, Any]

NOISE = 0.05
"""CPU seconds below which a run's cost above the tiny history is noise, not a ratio's base."""


@frozen
class Case:
    """One generated document: its shape, its size in the shape's unit, and the commands run."""

    shape: str
    size: int
    unit: str
    maker: str
    """Its key in :data:`MAKERS`."""
    decide: str | None = None
    """The id of an assessment to run ``decide`` for too."""
    refused: bool = False
    """Whether the document breaks the format, so must be refused (exit 2)."""


@frozen
class Cost:
    """What one command cost over one document, above the run on a tiny history."""

    case: Case
    command: str
    file_bytes: int
    cpu: float
    memory: int
    exit: int
    said: str


def _generate() -> ModuleType:
    """``benchmarks/generate.py``, the realistic histories of the benchmarks."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _first_award() -> Document:
    document: Document = json.loads(example_text("first-award"))
    return document


def evidence_items(count: int) -> Document:
    """One assessment holding ``count`` evidence items (the bundled first award's, repeated)."""
    document = _first_award()
    assessment = document["events"][0]
    template = assessment["evidence"][0]
    assessment["evidence"] = [{**template, "id": f"E{n}"} for n in range(count)]
    return document


def events(count: int) -> Document:
    """A school of ``count`` events, 15-40 evidence items each (``generate.long_history``)."""
    document: Document = _generate().long_history(count)
    return document


def long_text(where: str, megabytes: int) -> Document:
    """The first award with a string of ``megabytes`` MB (of ASCII letters) at ``where``:
    ``name`` (the school's name), ``summary`` (an evidence item's) or ``id`` (the school's)."""
    document = _first_award()
    text = "Ab" * (megabytes * 500_000)
    if where == "summary":
        document["events"][0]["evidence"][0]["summary"] = text
    else:
        document["school"][where] = text
    return document


def rich_events(count: int) -> Document:
    """A school of ``count`` events whose assessments hold ten times the evidence of
    :func:`events` (each item repeated under ten ids): about 65 kB an event."""
    document = events(count)
    for event in document["events"]:
        if event["type"] == "assessment":
            event["evidence"] = [
                {**item, "id": f"{item['id']}-{copy}"}
                for copy in range(10)
                for item in event["evidence"]
            ]
    return document


MAKERS: dict[str, Callable[[int], Document]] = {
    "evidence": evidence_items,
    "events": events,
    "name": partial(long_text, "name"),
    "summary": partial(long_text, "summary"),
    "id": partial(long_text, "id"),
    "rich": rich_events,
}
"""How each shape is made, by name (``--write NAME SIZE PATH``)."""


def cases(quick: bool) -> Iterator[Case]:
    """The shapes and sizes measured (the smallest of each with ``quick``)."""

    def sizes(*given: int) -> tuple[int, ...]:
        return given[:1] if quick else given

    for count in sizes(10_000, 30_000, 100_000):
        yield Case("one assessment", count, "evidence items", "evidence", "HB-2024-01")
    for count in sizes(1_000, 3_000, 10_000):
        yield Case("events", count, "events", "events")
    for where in ("name", "summary"):
        for megabytes in sizes(1, 3, 10):
            yield Case(f"long {where}", megabytes, "MB", where)
    yield Case("long id (refused)", 10, "MB", "id", refused=True)
    for count in sizes(340, 3_400):
        yield Case("events, 10\u00d7 evidence", count, "events", "rich")


def write(maker: str, size: int, path: Path) -> None:
    """Write the document ``MAKERS[maker](size)`` to ``path`` (compact JSON)."""
    with path.open("w", encoding="utf-8") as stream:
        json.dump(MAKERS[maker](size), stream, separators=(",", ":"))


def _run(arguments: list[str], out: Path) -> tuple[float, int, int, str]:
    """CPU seconds, peak resident kilobytes, exit status and standard error of one fresh
    ``iqm-rules`` process (``python -m iqm_rules``), its standard output written to ``out``."""
    with out.open("wb") as stdout:
        child = subprocess.Popen(
            [sys.executable, "-m", "iqm_rules", *arguments],
            stdout=stdout,
            stderr=subprocess.PIPE,
        )
        assert child.stderr is not None
        said = child.stderr.read().decode("utf-8", "replace")
        child.stderr.close()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, child.returncode, said.strip()


def _commands(case: Case, path: Path) -> Iterator[tuple[str, list[str]]]:
    yield "status", ["status", str(path), "--json", "--as-of", AS_OF]
    if case.decide is not None:
        yield "decide", ["decide", str(path), "--assessment", case.decide, "--json"]


def measure(case: Case, baseline: tuple[float, int]) -> Iterator[Cost]:
    """Write ``case``'s document, run its commands, remove the document."""
    path = FOLDER / "limits.json"
    # Written by another process: this one stays smaller than any it measures, whose peak
    # memory would otherwise start from this one's (Linux counts it across fork and exec).
    subprocess.run(
        [sys.executable, __file__, "--write", case.maker, str(case.size), str(path)], check=True
    )
    size = path.stat().st_size
    try:
        for name, arguments in _commands(case, path):
            cpu, peak, exit_status, said = _run(arguments, FOLDER / "out.json")
            if exit_status not in (0, 1):  # 1: a recorded outcome disagrees (still decided)
                said = said[:160] + ("..." if len(said) > 160 else "")
            else:
                said = ""
            yield Cost(
                case, name, size, cpu - baseline[0], (peak - baseline[1]) * 1024, exit_status, said
            )
    finally:
        path.unlink(missing_ok=True)
        (FOLDER / "out.json").unlink(missing_ok=True)


def _baseline() -> tuple[float, int]:
    """CPU seconds and peak kilobytes of ``status`` on the bundled first award (best of 3)."""
    path = FOLDER / "tiny.json"
    path.write_text(example_text("first-award"), encoding="utf-8")
    runs = [
        _run(["status", str(path), "--json", "--as-of", AS_OF], FOLDER / "out.json")
        for _ in range(3)
    ]
    path.unlink()
    return min(run[0] for run in runs), min(run[1] for run in runs)


def _megabytes(size: float) -> str:
    return f"{size / 1e6:,.1f} MB" if size < 1e8 else f"{size / 1e6:,.0f} MB"


def table(costs: list[Cost]) -> str:
    """The Markdown table of every run."""
    lines = [
        "| shape | size | command | file | CPU s | s / MB | peak memory | memory / file | exit |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for cost in costs:
        megabytes = cost.file_bytes / 1e6
        cpu = max(cost.cpu, 0.0)  # below the tiny history's by noise
        lines.append(
            f"| {cost.case.shape} | {cost.case.size:,} {cost.case.unit} | {cost.command} | "
            f"{_megabytes(cost.file_bytes)} | {cpu:.2f} | {cpu / megabytes:.3f} | "
            f"{cost.memory / 1e6:,.0f} MB | {cost.memory / cost.file_bytes:.1f}\u00d7 | "
            f"{cost.exit} |"
        )
    return "\n".join(lines)


def growth(costs: list[Cost]) -> str:
    """Per shape and command, the largest run against the smallest: size and memory ratios,
    and the CPU ratio against the smallest run whose CPU is above noise."""
    lines = []
    groups: dict[tuple[str, str], list[Cost]] = {}
    for cost in costs:
        groups.setdefault((cost.case.shape, cost.command), []).append(cost)
    for (shape, command), runs in groups.items():
        if len(runs) < 2:
            continue
        small, large = runs[0], runs[-1]
        said = (
            f"- {shape}, {command}: {large.file_bytes / small.file_bytes:.1f}\u00d7 the size "
            f"costs {large.memory / max(small.memory, 1):.1f}\u00d7 the memory"
        )
        timed = [run for run in runs[:-1] if run.cpu >= NOISE]
        if timed:
            base = timed[0]
            said += (
                f"; {large.file_bytes / base.file_bytes:.1f}\u00d7 the size (from "
                f"{_megabytes(base.file_bytes)}) costs {large.cpu / base.cpu:.1f}\u00d7 the CPU"
            )
        else:
            said += f"; the CPU stays under {NOISE} s, noise"
        lines.append(said)
    return "\n".join(lines)


def machine() -> str:
    """Python, processor, CPUs and the load average now."""
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    one, five, fifteen = os.getloadavg()
    return (
        f"Python {platform.python_version()}, {model or platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size of each shape")
    parser.add_argument(
        "--write", nargs=3, metavar=("SHAPE", "SIZE", "PATH"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.write:
        maker, size, path = arguments.write
        write(maker, int(size), Path(path))
        return
    quick = arguments.quick
    FOLDER.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        print(f"before: {machine()}")
        baseline = _baseline()
        print(
            f"tiny history: {baseline[0]:.2f} CPU s, {baseline[1] / 1024:.0f} MB peak (subtracted)"
        )
        costs: list[Cost] = []
        for case in cases(quick):
            for cost in measure(case, baseline):
                costs.append(cost)
                print(table([cost]).splitlines()[-1], flush=True)
        print()
        print(table(costs))
        print()
        for cost in costs:
            if cost.said:
                print(f"{cost.case.shape}, {cost.case.size:,} {cost.case.unit}: {cost.said}")
        print(growth(costs))
        print(f"\nafter: {machine()}; {time.monotonic() - started:.0f} s in all")
        wrong = [cost for cost in costs if cost.exit not in ((2,) if cost.case.refused else (0, 1))]
        for cost in wrong:
            print(f"unexpected exit {cost.exit}: {cost.case.shape}, {cost.case.size:,}")
        if wrong:
            raise SystemExit(1)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
