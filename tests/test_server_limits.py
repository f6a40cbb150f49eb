"""The service holds against slow and hostile clients: header timeout, keep-alive, connection
limit, and JSON bodies only as ``application/json``.

Over loopback, against a real server. The timeouts are short (1 s) and every wait has a generous
deadline past them (:data:`MARGIN`), so that a loaded machine makes a test slower, not wrong:
nothing here asserts that anything is fast.
"""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from iqm_rules import example_text
from iqm_rules.server import create_app
from iqm_rules.server.service import json_media_type
from serving import Server, started

HEADER_TIMEOUT = 1.0
KEEP_ALIVE = 5
MARGIN = 8.0
"""How much longer than a timeout a test waits before it calls the connection still open."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("limits") / "server.log"
    options = ("--header-timeout", str(HEADER_TIMEOUT), "--keep-alive", str(KEEP_ALIVE))
    with started(log, *options) as running:
        yield running


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _response(raw: socket.socket) -> bytes:
    """One whole response (headers and a ``Content-Length`` body) read from ``raw``."""
    received = b""
    while True:
        head, found, rest = received.partition(b"\r\n\r\n")
        if found:
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            if len(rest) >= length:
                return received
        chunk = raw.recv(65536)
        if not chunk:
            return received
        received += chunk


def _until_closed(raw: socket.socket, seconds: float, dribble: bool) -> tuple[float, bytes]:
    """Wait up to ``seconds`` for the server to close ``raw``, sending a header byte every
    quarter second if ``dribble``: (seconds until closed, or ``inf``; what was received)."""
    started = time.monotonic()
    received = b""
    while (waited := time.monotonic() - started) < seconds:
        if dribble:
            try:
                raw.sendall(b"a")
            except OSError:  # the server closed it: a reset for the bytes it was still sent
                return waited, received
        readable, _, _ = select.select([raw], [], [], 0.25)
        if readable:
            try:
                chunk = raw.recv(65536)
            except OSError:
                return time.monotonic() - started, received
            if not chunk:
                return time.monotonic() - started, received
            received += chunk
    return float("inf"), received


def test_connections_that_dribble_header_bytes_are_closed(server: Server) -> None:
    connections = [_connect(server.port) for _ in range(8)]
    try:
        for raw in connections:
            raw.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        started = time.monotonic()
        received = dict.fromkeys(connections, b"")
        pending = set(connections)
        closed: list[float] = []
        while pending and time.monotonic() - started < HEADER_TIMEOUT + MARGIN:
            for raw in list(pending):
                try:
                    raw.sendall(b"a")
                except OSError:  # the server closed it: a reset for the bytes it was still sent
                    closed.append(time.monotonic() - started)
                    pending.discard(raw)
            readable, _, _ = select.select(list(pending), [], [], 0.25)
            for raw in readable:
                try:
                    chunk = raw.recv(65536)
                except OSError:
                    chunk = b""
                received[raw] += chunk
                if not chunk:
                    closed.append(time.monotonic() - started)
                    pending.discard(raw)
        assert not pending, f"{len(pending)} of {len(connections)} still open"
        assert min(closed) >= HEADER_TIMEOUT / 2, closed  # closed by the timeout, not at once
        for answer in received.values():  # a 408, unless a reset came first; never a 200
            assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer
    finally:
        for raw in connections:
            raw.close()


def test_headers_cut_short_get_a_408_then_the_connection_closes(server: Server) -> None:
    with _connect(server.port) as raw:
        raw.sendall(b"POST /status HTTP/1.1\r\nHost: test\r\nContent-Type: appl")
        when, received = _until_closed(raw, HEADER_TIMEOUT + MARGIN, dribble=False)
    assert when < float("inf"), "the connection is still open"
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), received
    assert b"x-iqm-rules-version: " in head
    assert json.loads(body)["error"] == "timeout"


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server: Server) -> None:
    with _connect(server.port) as raw:
        when, received = _until_closed(raw, HEADER_TIMEOUT + MARGIN, dribble=False)
    assert when < float("inf"), "the connection is still open"
    assert received == b""


def test_the_next_request_on_a_kept_connection_has_the_same_header_timeout(
    server: Server,
) -> None:
    with _connect(server.port) as raw:
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        assert _response(raw).startswith(b"HTTP/1.1 200")
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        when, received = _until_closed(raw, HEADER_TIMEOUT + MARGIN, dribble=True)
    assert when < KEEP_ALIVE, f"closed after {when:.1f} s, not by the header timeout"
    assert b"200" not in received


def test_the_header_timeout_ends_with_the_headers(server: Server) -> None:
    """A body may take longer than the header timeout: the request timeout bounds it."""
    request = json.dumps({"history": json.loads(example_text("first-award"))}).encode()
    with _connect(server.port) as raw:
        raw.sendall(
            b"POST /audit HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(request)}\r\n\r\n".encode()
        )
        time.sleep(HEADER_TIMEOUT * 2.5)
        raw.sendall(request)
        answer = _response(raw)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]


def test_a_kept_connection_waits_for_the_keep_alive_timeout(server: Server) -> None:
    with _connect(server.port) as raw:
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        assert _response(raw).startswith(b"HTTP/1.1 200")
        time.sleep(HEADER_TIMEOUT * 2.5)  # idle longer than the header timeout: still open
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        assert _response(raw).startswith(b"HTTP/1.1 200")
        when, received = _until_closed(raw, KEEP_ALIVE + MARGIN, dribble=False)
    assert when < float("inf"), "the connection is still open"
    assert when >= HEADER_TIMEOUT * 2, f"closed after {when:.1f} s"
    assert received == b""


def test_connections_above_the_limit_are_503(tmp_path: Path) -> None:
    limit = 3
    options = ("--max-connections", str(limit), "--keep-alive", "120")
    with started(tmp_path / "server.log", *options) as server:
        held = [httpx.Client(base_url=server.url, timeout=10) for _ in range(limit)]
        try:
            for client in held:  # each keeps one connection open, once it is answered
                _answered(client)
            for _ in range(3):
                refused = httpx.get(server.url + "/health", timeout=10)
                assert refused.status_code == 503, refused.text
                assert refused.headers["retry-after"] == "1"
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.json()["error"] == "overloaded"
            body = json.dumps({"history": json.loads(example_text("first-award"))})
            refused = httpx.post(
                server.url + "/audit", content=body * 20, headers={"Content-Type": "text/plain"}
            )
            assert refused.status_code == 503, refused.text  # its body is not read
            held.pop().close()
            with httpx.Client(base_url=server.url, timeout=10) as fresh:
                _answered(fresh)
        finally:
            for client in held:
                client.close()
    log = [json.loads(line) for line in server.log.read_text().splitlines() if line[:1] == "{"]
    assert {"method": None, "path": None, "status": 503} in [
        {key: line[key] for key in ("method", "path", "status")} for line in log
    ]


def _answered(client: httpx.Client) -> None:
    """``GET /health`` answered 200 within a deadline: a closed connection takes a moment to
    leave the server's count."""
    deadline = time.monotonic() + 20
    while (response := client.get("/health")).status_code != 200:
        assert time.monotonic() < deadline, response.text
        time.sleep(0.1)


# Request bodies are JSON only when they say so


def test_a_text_plain_post_is_415_and_application_json_is_answered(server: Server) -> None:
    body = json.dumps({"history": json.loads(example_text("first-award"))})
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for refused in (
            client.post("/audit", content=body, headers={"Content-Type": "text/plain"}),
            client.post("/audit", content=body),
            client.post("/audit", data={"history": body}),
        ):
            assert refused.status_code == 415, refused.text
            assert refused.headers["accept"] == "application/json"
            assert refused.json()["error"] == "unsupported_media_type"
        answered = client.post("/audit", content=body, headers={"Content-Type": "application/json"})
        assert answered.status_code == 200, answered.text


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        'application/json;charset="UTF-8"',
        "application/json; charset=utf8",
        "application/json; profile=x",
        "application/vnd.iqm-rules+json",
        "application/merge-patch+json; charset=utf-8",
    ],
)
def test_json_media_types_are_read(content_type: str) -> None:
    assert json_media_type(content_type) is None


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/json",
        "application/+json",
        "application/jsonp",
        "application/json; charset=latin-1",
        "application/json; charset=utf-16",
    ],
)
def test_other_media_types_are_refused(content_type: str | None) -> None:
    assert json_media_type(content_type) is not None


async def _post(content_type: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/status", content=b"{", headers={"Content-Type": content_type})


def test_the_media_type_is_checked_before_the_body_is_read() -> None:
    assert asyncio.run(_post("text/plain")).status_code == 415
    assert asyncio.run(_post("application/json; charset=utf-8")).status_code == 400


def test_the_openapi_document_names_these_refusals() -> None:
    from iqm_rules.server.openapi import document

    described = document()
    for path, operations in described["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if path == "/openapi.json":
                continue
            assert "Retry-After" in responses["503"]["headers"], path
            assert ("415" in responses) == ("requestBody" in operation) == (method == "post")
    errors = described["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
    assert {"unsupported_media_type", "overloaded", "timeout"} <= set(errors)
