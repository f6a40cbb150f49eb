"""Load test of the web service (``make bench-server``; not part of ``make test``).

Starts ``python -m iqm_rules.server`` on a free loopback port with 1 and then 2 workers, and
runs ``--clients`` concurrent HTTP clients (asyncio + httpx, in this process) for ``--seconds``
each, posting ``POST /status`` requests whose histories are realistic schools of the scheme
(``generate.scheme``: 2-6 assessments each). Reports requests per second, p50/p99 latency, the
errors (any non-200 answer or transport error; must be 0) and the server's peak memory (the sum
of ``VmHWM`` over the server process and its workers). Throughput is also given as a ratio to
calling ``load_history`` + ``status`` + ``dump_status`` in this process on the same requests,
for the same time, in the same run: the cost of HTTP, JSON wrapping and the ASGI stack.

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
from datetime import date
from pathlib import Path

import httpx
from attrs import frozen

sys.path.insert(0, str(Path(__file__).parent))

from generate import scheme
from iqm_rules import dump_status, load_history, status

DOCS = Path(__file__).parent.parent / "docs" / "server.md"
AS_OF = "2025-09-01"
START, END = "<!-- load-test -->", "<!-- /load-test -->"


@frozen
class Run:
    """One load run's figures."""

    workers: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    peak_mib: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _bodies(schools: int) -> list[bytes]:
    return [
        json.dumps({"history": json.loads(line), "as_of": AS_OF}).encode()
        for line in scheme(schools)
    ]


def in_process(bodies: list[bytes], seconds: float) -> float:
    """Requests per second of the library alone on the same histories (one thread)."""
    as_of = date.fromisoformat(AS_OF)
    histories = [json.dumps(json.loads(b)["history"]).encode() for b in bodies]
    done = 0
    started = time.perf_counter()
    for text in itertools.cycle(histories):
        dump_status(status(load_history(text), as_of))
        done += 1
        if time.perf_counter() - started >= seconds:
            break
    return done / (time.perf_counter() - started)


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


async def _load(
    url: str, bodies: list[bytes], clients: int, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one(offset: int) -> None:
            nonlocal errors
            for body in itertools.islice(itertools.cycle(bodies), offset, None):
                if time.perf_counter() >= deadline:
                    return
                sent = time.perf_counter()
                try:
                    answer = await client.post("/status", content=body)
                    if answer.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(one(i * 7) for i in range(clients)))
    return latencies, errors


def serve_and_load(workers: int, bodies: list[bytes], clients: int, seconds: float) -> Run:
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
        asyncio.run(_load(url, bodies[:20], clients, 1.0))  # warm up
        started = time.perf_counter()
        latencies, errors = asyncio.run(_load(url, bodies, clients, seconds))
        elapsed = time.perf_counter() - started
        peak = _peak_mib(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    latencies.sort()
    return Run(
        workers=workers,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        errors=errors,
        peak_mib=peak,
    )


def _page(runs: list[Run], library: float, clients: int, seconds: float, schools: int) -> str:
    lines = [
        START,
        "",
        f"Measured by `make bench-server` (`benchmarks/load.py`) on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}: {clients} concurrent "
        f"clients over loopback for {seconds:g} s per run, posting `POST /status` with {schools} "
        "generated schools of 2-6 assessments each, in turn. The clients run on the same machine.",
        "",
        "| workers | requests/s | p50 latency | p99 latency | errors | server peak memory | "
        "throughput / in-process `status` |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        lines.append(
            f"| {run.workers} | {run.per_second:.0f} | {run.p50_ms:.1f} ms | {run.p99_ms:.1f} ms "
            f"| {run.errors} | {run.peak_mib:.0f} MiB | {run.per_second / library:.2f} |"
        )
    lines += [
        "",
        f"In-process `load_history` + `status` + `dump_status` on the same histories, one thread, "
        f"in the same run: {library:.0f} per second.",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/server.md")
    args = parser.parse_args()
    bodies = _bodies(args.schools)
    library = in_process(bodies, args.seconds)
    runs = [serve_and_load(n, bodies, args.clients, args.seconds) for n in (1, 2)]
    page = _page(runs, library, args.clients, args.seconds, args.schools)
    print(page)
    if not args.no_docs:
        text = DOCS.read_text(encoding="utf-8")
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        DOCS.write_text(before + page + after, encoding="utf-8")
    return 1 if any(run.errors for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
