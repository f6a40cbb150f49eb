"""Load test of the web service (``make bench-server``; not part of ``make test``).

Starts ``python -m iqm_rules.server`` (default options) on a free loopback port with 1 and then
2 workers, and for each runs every number of ``--clients`` concurrent HTTP clients (raw
HTTP/1.1 over asyncio streams, in this process; 16 and 64 by default) for ``--seconds``,
posting ``POST /status`` requests whose histories are realistic schools of the scheme
(``generate.scheme``: 2-6 assessments each). Reports requests per second, p50/p99 latency, the
errors (any non-200 answer or transport error; must be 0, and each kind is printed) and the
server's peak memory (the sum of ``VmHWM`` over the server process and its workers). The
machine's load average before the runs is given with the figures, since other work on it slows
them. Throughput is also given as a ratio to calling ``load_history`` + ``status`` +
``dump_status`` in this process on the same requests, for the same time, in the same run: the
cost of HTTP, JSON wrapping and the ASGI stack.

Writes the figures into docs/server.md between the ``load-test`` markers and exits 1 if any
request failed. The clients share the machine with the server: on a 2-core machine, 2 workers
compete with the client process for the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Final

import httpx
from attrs import frozen

sys.path.insert(0, str(Path(__file__).parent))

from generate import scheme
from iqm_rules import load_history
from iqm_rules.interchange.answers import status_answer

DOCS = Path(__file__).parent.parent / "docs" / "server.md"
AS_OF = "2025-09-01"
START, END = "<!-- load-test -->", "<!-- /load-test -->"


@frozen
class Run:
    """One load run's figures."""

    workers: int
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_mib: float
    cpu_ms: float
    """The server's CPU time (its process and its workers, user and system) per answer."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _bodies(schools: int) -> list[bytes]:
    return [
        json.dumps({"history": json.loads(line), "as_of": AS_OF}).encode()
        for line in scheme(schools)
    ]


def in_process(bodies: list[bytes], seconds: float) -> tuple[float, float]:
    """Requests per second of the library alone on the same histories (one thread), and its
    CPU time per answer in ms: reading each history and writing the answer the service gives
    (``status_answer``, next steps included), collector on."""
    as_of = date.fromisoformat(AS_OF)
    histories = [json.dumps(json.loads(b)["history"]).encode() for b in bodies]
    done = 0
    started, cpu = time.perf_counter(), time.process_time()
    for text in itertools.cycle(histories):
        status_answer(load_history(text), as_of)
        done += 1
        if time.perf_counter() - started >= seconds:
            break
    cpu = time.process_time() - cpu
    return done / (time.perf_counter() - started), cpu / done * 1000


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` and its descendants, from ``/proc``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in _tree(pid):
        fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += _tree(int(child))
    return found


def _peak_mib(pid: int) -> float:
    total = 0
    for member in _tree(pid):
        text = Path(f"/proc/{member}/status").read_text()
        total += int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1))  # type: ignore[union-attr]
    return total / 1024


_LENGTH: Final = re.compile(rb"\r\ncontent-length: *([0-9]+)", re.IGNORECASE)


def _requests(bodies: list[bytes]) -> list[bytes]:
    """Each body as a whole ``POST /status`` request, built once, before the clock starts."""
    return [
        b"POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in bodies
    ]


async def _client(
    port: int,
    requests: Iterator[bytes],
    deadline: float,
    latencies: list[float],
    errors: Counter[str],
) -> None:
    """One client: a request, its whole answer, the next request, on one kept-alive connection
    (a new one if the server closes it), until ``deadline``."""
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    for request in requests:
        if time.perf_counter() >= deadline:
            break
        sent = time.perf_counter()
        try:
            if streams is None:
                streams = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = streams
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            if not head.startswith(b"HTTP/1.1 200 "):
                errors[f"HTTP {head[9:12].decode()}"] += 1
            if b"\r\nconnection: close" in head.lower():
                writer.close()
                streams = None
        except (OSError, asyncio.IncompleteReadError) as error:
            errors[type(error).__name__] += 1
            if streams is not None:
                streams[1].close()
            streams = None
        latencies.append(time.perf_counter() - sent)
    if streams is not None:
        streams[1].close()


async def _load(
    port: int, requests: list[bytes], clients: int, seconds: float
) -> tuple[list[float], Counter[str]]:
    """``clients`` clients for ``seconds``: every answer's latency, and the errors by kind.

    The clients speak HTTP/1.1 over raw asyncio streams: far cheaper than an HTTP library, so
    that on a machine they share with the server they measure the server, not themselves.
    """
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    deadline = time.perf_counter() + seconds
    await asyncio.gather(
        *(
            _client(
                port,
                itertools.islice(itertools.cycle(requests), i * 7, None),
                deadline,
                latencies,
                errors,
            )
            for i in range(clients)
        )
    )
    return latencies, errors


@contextmanager
def _serving(workers: int) -> Iterator[tuple[int, int]]:
    """A server with ``workers`` workers and its default options: (its port, its pid)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "iqm_rules.server", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        time.sleep(0.5 * workers)  # every worker up
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def serve_and_load(
    workers: int, bodies: list[bytes], clients: list[int], seconds: float
) -> list[Run]:
    runs = []
    requests = _requests(bodies)
    with _serving(workers) as (port, pid):
        for count in clients:
            asyncio.run(_load(port, requests[:20], count, 1.0))  # warm up
            started, cpu = time.perf_counter(), _cpu_seconds(pid)
            latencies, errors = asyncio.run(_load(port, requests, count, seconds))
            elapsed, cpu = time.perf_counter() - started, _cpu_seconds(pid) - cpu
            if errors:
                print(f"{workers} workers, {count} clients: errors {dict(errors)}", file=sys.stderr)
            latencies.sort()
            runs.append(
                Run(
                    workers=workers,
                    clients=count,
                    requests=len(latencies),
                    seconds=elapsed,
                    p50_ms=latencies[len(latencies) // 2] * 1000,
                    p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
                    errors=sum(errors.values()),
                    peak_mib=_peak_mib(pid),
                    cpu_ms=cpu / max(1, len(latencies)) * 1000,
                )
            )
    return runs


@frozen
class Hostile:
    """What one worker did with slow and with too many connections."""

    dribblers: int
    dribblers_closed_after: float
    """Seconds until the last dribbling connection was closed (``inf``: some were not)."""
    flood: int
    flood_held: int
    """Connections of the flood still open after :data:`FLOOD_WAIT` seconds."""
    flood_503: int
    served_during: bool
    """Whether ``GET /health`` was answered 200 on a fresh connection while the dribblers were
    open (it is refused while the flood fills the worker's limit: that is the limit)."""


FLOOD_WAIT: Final = 3.0


async def _dribble(port: int, patience: float) -> float:
    """Seconds until the server closed a connection sending a header byte a second."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.perf_counter()
    try:
        writer.write(b"GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        while time.perf_counter() - started < patience:
            writer.write(b"a")
            await writer.drain()
            try:
                if not await asyncio.wait_for(reader.read(65536), 1.0):
                    return time.perf_counter() - started
            except TimeoutError:
                continue
        return float("inf")
    except OSError:
        return time.perf_counter() - started
    finally:
        writer.close()


async def _flooder(port: int, answers: list[bytes], closed: list[bool]) -> None:
    """One connection of a flood: it sends nothing and records what it is told."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        answers.append(await reader.read())
        closed.append(True)
    except OSError:
        closed.append(True)
    finally:
        writer.close()


async def _hostile(port: int, dribblers: int, flood: int) -> Hostile:
    patience = 35.0
    slow = [asyncio.create_task(_dribble(port, patience)) for _ in range(dribblers)]
    await asyncio.sleep(2)
    async with httpx.AsyncClient(timeout=10) as client:
        served = (await client.get(f"http://127.0.0.1:{port}/health")).status_code == 200
    closed_after = max(await asyncio.gather(*slow))
    answers: list[bytes] = []
    closed: list[bool] = []
    tasks = [asyncio.create_task(_flooder(port, answers, closed)) for _ in range(flood)]
    await asyncio.sleep(FLOOD_WAIT)
    held = flood - len(closed)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    refused = sum(answer.startswith(b"HTTP/1.1 503") for answer in answers)
    return Hostile(dribblers, closed_after, flood, held, refused, served)


def hostile(dribblers: int = 50, flood: int = 1100) -> Hostile:
    """``dribblers`` connections sending a header byte a second, then ``flood`` connections at
    once sending nothing, against one worker with the default options."""
    with _serving(1) as (port, _):
        return asyncio.run(_hostile(port, dribblers, flood))


def _page(
    runs: list[Run],
    library: float,
    library_cpu_ms: float,
    seconds: float,
    schools: int,
    load: tuple[float, ...],
    held: Hostile,
) -> str:
    lines = [
        START,
        "",
        f"Measured by `make bench-server` (`benchmarks/load.py`) on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load[0]:.2f} (1 min) before the runs: concurrent clients over loopback for "
        f"{seconds:g} s per run, each posting `POST /status` with {schools} generated schools of "
        "2-6 assessments each, in turn, and waiting for the answer before the next. The server "
        "runs with its default options; the clients run on the same machine, in one process, "
        "speaking plain HTTP/1.1 over kept-alive connections (cheap, so that they measure the "
        "server rather than themselves).",
        "",
        "| workers | clients | requests/s | p50 latency | p99 latency | errors | "
        "server peak memory | throughput / in-process | server CPU per answer | "
        "/ in-process CPU |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        lines.append(
            f"| {run.workers} | {run.clients} | {run.per_second:.0f} | {run.p50_ms:.1f} ms "
            f"| {run.p99_ms:.1f} ms | {run.errors} | {run.peak_mib:.0f} MiB "
            f"| {run.per_second / library:.2f} | {run.cpu_ms:.2f} ms "
            f"| {run.cpu_ms / library_cpu_ms:.2f} |"
        )
    lines += [
        "",
        f"In-process `load_history` + `status_answer` (the service's answer, next steps "
        f"included) on the same histories, one thread, in the same run (the mean of a run "
        f"before the server's and one after): {library:.0f} per second, {library_cpu_ms:.2f} "
        "ms of CPU each. The server's CPU per answer is its "
        "process's (and its workers') user and system time over the run divided by the answers "
        "it gave, so the load generator's share of the cores does not count; the goal is at "
        "most 1.5 times in-process with one worker.",
        "",
        f"Slow and hostile clients, one worker, default options: of {held.dribblers} connections "
        "sending a header byte a second, the last was closed after "
        f"{held.dribblers_closed_after:.1f} s; `GET /health` was "
        f"{'answered' if held.served_during else 'NOT answered'} meanwhile. Of {held.flood} "
        f"connections opened at once and sending nothing, {held.flood_held} were still open "
        f"{FLOOD_WAIT:g} s later and {held.flood_503} had been answered 503 and closed.",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[16, 64],
        help="numbers of concurrent clients, comma-separated (default: 16,64)",
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/server.md")
    args = parser.parse_args()
    load = os.getloadavg()
    bodies = _bodies(args.schools)
    before, before_cpu_ms = in_process(bodies, args.seconds)
    runs = [run for n in (1, 2) for run in serve_and_load(n, bodies, args.clients, args.seconds)]
    after, after_cpu_ms = in_process(bodies, args.seconds)  # the machine may have changed
    library, library_cpu_ms = (before + after) / 2, (before_cpu_ms + after_cpu_ms) / 2
    print(f"in-process CPU per answer: {before_cpu_ms:.2f} ms before, {after_cpu_ms:.2f} after")
    held = hostile()
    page = _page(runs, library, library_cpu_ms, args.seconds, args.schools, load, held)
    print(page)
    if not args.no_docs:
        text = DOCS.read_text(encoding="utf-8")
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        DOCS.write_text(head + page + tail, encoding="utf-8")
    bounded = held.dribblers_closed_after < float("inf") and held.served_during
    return 1 if any(run.errors for run in runs) or not bounded else 0


if __name__ == "__main__":
    sys.exit(main())
