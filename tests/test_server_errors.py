"""The web service refuses bad input with one JSON error, never a traceback; and stops gently."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from iqm_rules import InvalidRecord, example_text, load_history
from iqm_rules.server import create_app
from iqm_rules.server import service as app_module
from iqm_rules.server.endpoints import ENDPOINTS, PROBLEM_TITLES, Call, Endpoint
from serving import Server, started

LIMIT = 200_000
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with started(log, "--max-body-bytes", str(LIMIT)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as opened:
        yield opened


def _history() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(example_text("flagship-journey"))
    return loaded


def _error(response: httpx.Response, status_code: int) -> dict[str, Any]:
    assert response.status_code == status_code, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    problem = {"type", "title", "status", "detail"}  # RFC 9457, then the service's own members
    assert problem | {"error", "document", "path", "message"} <= set(body)
    assert set(body) <= problem | {"error", "document", "path", "message", "notes"}
    assert body["type"] == f"/docs#problem-{body['error']}"
    assert body["title"] == PROBLEM_TITLES[body["error"]]
    assert (body["status"], body["detail"]) == (status_code, body["message"])
    assert "Traceback" not in response.text
    return body


def _cli_error(document: dict[str, Any]) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        load_history(json.dumps(document))
    return caught.value


def test_a_bad_record_is_422_with_the_command_line_s_path_and_message(
    client: httpx.Client,
) -> None:
    history = _history()
    history["events"][2]["evidence"][5]["collected_on"] = "2031-01-01"
    body = _error(client.post("/status", json={"history": history, "as_of": "2025-09-01"}), 422)
    wanted = _cli_error(history)
    assert body["error"] == "invalid_record"
    assert body["document"] == "history"
    assert body["path"] == wanted.path == "events[2].evidence[5].collected_on"
    assert body["message"] == str(wanted)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda h: h.update(format="iqm-rules/history@9"), "format"),
        (lambda h: h["events"][0].update(kind="partial"), "events[0].kind"),
        (lambda h: h["events"][1].update(colour="red"), "events[1].colour"),
        (lambda h: h["school"].pop("id"), "school.id"),
        (lambda h: h["events"][1].update(held_on="2022-02-30"), "events[1].held_on"),
        (lambda h: h["events"][0].update(kind="review"), "events[0].kind"),
    ],
)
def test_each_bad_history_names_its_path(client: httpx.Client, change: Any, path: str) -> None:
    history = _history()
    change(history)
    for endpoint, extra in (
        ("/status", {"as_of": "2025-09-01"}),
        ("/timeline", {}),
        ("/audit", {}),
        ("/decide", {"assessment": "AG-2021-01"}),
        ("/readiness", {"assessment": "AG-2021-01"}),
    ):
        body = _error(client.post(endpoint, json={"history": history, **extra}), 422)
        assert (body["document"], body["path"]) == ("history", path), endpoint
        assert body["message"].startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("request_body", "path", "words"),
    [
        ({"as_of": "2025-09-01"}, "history", "required key missing"),
        ({"history": {}, "as_of": "2025-09-01", "colour": 1}, "colour", "unknown key"),
        ({"history": "{}", "as_of": "2025-09-01"}, "history", "must be"),
        ({"history": _history(), "as_of": "01/09/2025"}, "as_of", "YYYY-MM-DD"),
        ({"history": _history(), "as_of": "2025-02-29"}, "as_of", "not a calendar date"),
        ({"history": _history(), "as_of": 20250901}, "as_of", "YYYY-MM-DD"),
        ({"history": _history(), "as_of": "2025-09-01", "policy": []}, "policy", "must be"),
    ],
)
def test_each_bad_request_names_its_path(
    client: httpx.Client, request_body: Any, path: str, words: str
) -> None:
    body = _error(client.post("/status", json=request_body), 422)
    assert (body["error"], body["document"], body["path"]) == ("invalid_record", "request", path)
    assert words in body["message"]


def test_a_request_that_is_not_an_object_is_422(client: httpx.Client) -> None:
    assert _error(client.post("/status", json=[1]), 422)["path"] == ""


def test_an_unknown_assessment_is_422(client: httpx.Client) -> None:
    body = _error(client.post("/decide", json={"history": _history(), "assessment": "A9"}), 422)
    assert body["path"] == "assessment"
    assert "AG-2021-01" in body["message"]


def test_a_bad_policy_is_422_inside_the_policy(client: httpx.Client) -> None:
    policy = {"format": "iqm-rules/policy@1", "policies": [{"id": "x"}]}
    request = {"history": _history(), "as_of": "2025-09-01", "policy": policy}
    body = _error(client.post("/status", json=request), 422)
    assert (body["document"], body["path"]) == ("policy", "policies[0].effective_from")


def test_a_repeated_key_is_422_with_its_path(client: httpx.Client) -> None:
    text = json.dumps({"history": _history(), "as_of": "2025-09-01"})
    text = text.replace('"school": {', '"school": {"id": "x", ', 1)
    body = _error(client.post("/status", content=text, headers=JSON), 422)
    assert body["path"] == "history.school.id"


def test_a_lone_surrogate_in_a_request_is_400_with_its_path(client: httpx.Client) -> None:
    """The body is read as strictly as any document (§7.12): a lone surrogate, which no UTF-8
    response could hold, is refused where it is, not met again when the answer is written."""
    text = json.dumps({"history": _history(), "as_of": "2025-09-01"})
    text = text.replace('"school": {"id": "', '"school": {"id": "\\ud800', 1)
    body = _error(client.post("/status", content=text, headers=JSON), 400)
    assert (body["error"], body["path"]) == ("malformed_json", "history.school.id")


@pytest.mark.parametrize(
    "content",
    [b'{"history": ', b"\xff\xfe{}", b'{"history": NaN}', b"", b"[" * 100_000],
)
def test_malformed_json_is_400(client: httpx.Client, content: bytes) -> None:
    body = _error(client.post("/status", content=content, headers=JSON), 400)
    assert body["error"] == "malformed_json"


def test_unknown_paths_and_methods(client: httpx.Client) -> None:
    assert _error(client.get("/nowhere"), 404)["error"] == "not_found"
    assert _error(client.get("/examples/nowhere"), 404)["path"] == "name"
    assert _error(client.get("/schemas/nowhere"), 404)["path"] == "name"
    response = client.get("/status")
    assert _error(response, 405)["error"] == "method_not_allowed"
    assert response.headers["allow"] == "POST"
    assert _error(client.delete("/rules"), 405)["error"] == "method_not_allowed"


def test_a_body_above_the_limit_is_413(client: httpx.Client) -> None:
    big = b'{"history": "' + b"x" * LIMIT + b'"}'
    assert _error(client.post("/status", content=big, headers=JSON), 413)["error"] == "too_large"


def test_the_limit_holds_without_a_content_length(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"history": "'
        for _ in range(LIMIT // 10_000 + 1):
            yield b"x" * 10_000
        yield b'"}'

    assert (
        _error(client.post("/status", content=chunks(), headers=JSON), 413)["error"] == "too_large"
    )


def test_the_limit_holds_when_content_length_lies(server: Server) -> None:
    body = b'{"history": "' + b"x" * (LIMIT + 1000) + b'"}'
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(
            b"POST /status HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + f"Transfer-Encoding: chunked\r\n\r\n{len(body):x}\r\n".encode()
            + body
            + b"\r\n0\r\n\r\n"
        )
        answer = _answer(raw)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_body_under_the_limit_is_read(client: httpx.Client) -> None:
    history = _history()
    history["school"]["name"] = "y" * (LIMIT - len(json.dumps(history)) - 200)
    response = client.post("/status", json={"history": history, "as_of": "2025-09-01"})
    assert response.status_code == 200, response.text[:300]


def _answer(raw: socket.socket) -> bytes:
    received = b""
    while chunk := raw.recv(65536):
        received += chunk
        if b"\r\n\r\n" in received:
            head, _, rest = received.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            if len(rest) >= length:
                return received
    return received


def _partly_sent(port: int, request: bytes) -> socket.socket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    raw.sendall(
        b"POST /status HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(request)}\r\n\r\n".encode()
        + request[:1000]
    )
    return raw


def test_a_slow_body_is_408_and_sigterm_lets_a_request_in_flight_finish(tmp_path: Any) -> None:
    request = json.dumps({"history": _history(), "as_of": "2025-09-01"}).encode()
    with started(tmp_path / "log", "--timeout", "1.5") as server:
        with _partly_sent(server.port, request) as raw:
            assert _answer(raw).startswith(b"HTTP/1.1 408")
        with _partly_sent(server.port, request) as raw:
            time.sleep(0.3)
            server.process.terminate()
            time.sleep(0.5)
            assert server.process.poll() is None, "the server did not wait for the request"
            raw.sendall(request[1000:])
            answer = _answer(raw)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        assert b'"format":"iqm-rules/status@1"' in answer
        assert server.stop() in (0, -signal.SIGTERM)  # uvicorn ends by the signal it got
        with pytest.raises(httpx.TransportError):
            httpx.get(server.url + "/health", timeout=1)


# In process: the guard's timeout, a server bug, CORS


def _with(endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "ENDPOINTS", (*ENDPOINTS, endpoint))


async def _call(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, **options)


def test_a_slow_answer_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(call: Call) -> str:
        time.sleep(0.5)
        return "{}"

    _with(Endpoint("GET", "/slow", "slow", slow, "Health"), monkeypatch)
    response = asyncio.run(_call(create_app(timeout=0.1), "GET", "/slow"))
    assert _error(response, 503)["error"] == "timeout"


def test_a_server_bug_is_a_logged_500_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(call: Call) -> str:
        raise RuntimeError("a bug")

    _with(Endpoint("GET", "/broken", "broken", broken, "Health"), monkeypatch)
    response = asyncio.run(_call(create_app(), "GET", "/broken"))
    assert _error(response, 500)["error"] == "internal"
    assert "a bug" not in response.text


def test_cors_when_configured() -> None:
    app = create_app(cors_origins=["https://tool.example"])
    headers = {"Origin": "https://tool.example"}
    response = asyncio.run(_call(app, "GET", "/health", headers=headers))
    assert response.headers["access-control-allow-origin"] == "https://tool.example"
    preflight = asyncio.run(
        _call(
            app,
            "OPTIONS",
            "/status",
            headers={**headers, "Access-Control-Request-Method": "POST"},
        )
    )
    assert preflight.status_code == 200
    other = asyncio.run(_call(app, "GET", "/health", headers={"Origin": "https://else.example"}))
    assert "access-control-allow-origin" not in other.headers
