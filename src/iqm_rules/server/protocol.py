"""The HTTP/1.1 protocol of ``iqm-rules serve``: uvicorn's h11 protocol with two more bounds.

uvicorn closes a kept-alive connection that stays idle, but it sets no time for a request's
headers to arrive and no limit on the connections a worker holds: a client sending a header byte
a second keeps its connection for ever, and enough such clients use up the worker's file
descriptors. :class:`BoundedH11Protocol` adds both bounds, per worker process:

- **Header timeout.** A request's headers must be complete within ``IQM_RULES_HEADER_TIMEOUT``
  seconds, counted from the moment the connection opens, or, on a kept-alive connection, from
  the first byte of the next request (until then uvicorn's keep-alive timeout applies). Past it,
  the connection is closed: with a JSON 408 if part of a request had arrived, silently if none.
  Once the headers are in, the request timeout of :mod:`iqm_rules.server.service` takes over.
- **Connection limit.** A connection that would be one more than ``IQM_RULES_MAX_CONNECTIONS``
  is answered at once with a JSON 503 (``Retry-After: 1``) without its request being read; the
  server stops writing, discards what the client still sends for at most a second (so that the
  client reads the answer rather than a reset) and closes it.

``iqm-rules serve`` sets both variables for its workers and passes this class to uvicorn.
Each refusal writes one line to the access log, as a request does, with no method or path.
"""

from __future__ import annotations

import asyncio
import http
import os
from typing import Any, Final

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.utils import get_remote_addr
from uvicorn.server import ServerState

from iqm_rules.server.endpoints import PROBLEM_MEDIA_TYPE, VERSION, Problem
from iqm_rules.server.service import VERSION_HEADER, log_access, number_from

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "BoundedH11Protocol",
    "limits_from_environment",
]

DEFAULT_HEADER_TIMEOUT: Final = 10.0
"""The default time, in seconds, for a request's headers to arrive."""

DEFAULT_MAX_CONNECTIONS: Final = 256
"""The default number of connections one worker holds open at once."""

LINGER: Final = 1.0
"""How long, in seconds, a refused connection is read from (and its input dropped) before it is
closed, so that the client reads the 503 rather than a connection reset."""

ENVIRONMENT: Final = {
    "IQM_RULES_HEADER_TIMEOUT": "seconds for a request's headers to arrive "
    f"(default: {DEFAULT_HEADER_TIMEOUT:g})",
    "IQM_RULES_MAX_CONNECTIONS": "connections one worker holds open at once "
    f"(default: {DEFAULT_MAX_CONNECTIONS})",
}
"""The environment variables :func:`limits_from_environment` reads."""


def limits_from_environment() -> tuple[float, int]:
    """The header timeout and the connection limit of :data:`ENVIRONMENT`.

    Raises :class:`~iqm_rules.InvalidRecord` for a value that is not a number > 0.
    """
    env = os.environ
    timeout = number_from(env, "IQM_RULES_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT)
    limit = number_from(env, "IQM_RULES_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS)
    return timeout, max(1, int(limit))


def _answer(problem: Problem, *headers: tuple[str, str]) -> tuple[bytes, int]:
    """A whole HTTP/1.1 response carrying ``problem``, after which the connection closes, and
    the length of its body."""
    body = problem.body().encode("utf-8")
    reason = http.HTTPStatus(problem.status_code).phrase
    lines = [
        f"HTTP/1.1 {problem.status_code} {reason}",
        f"content-type: {PROBLEM_MEDIA_TYPE}",
        f"content-length: {len(body)}",
        "connection: close",
        f"{VERSION_HEADER.lower()}: {VERSION}",
        *(f"{name}: {value}" for name, value in headers),
    ]
    return "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + body, len(body)


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout and a connection limit (module docstring)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.header_timeout, self.max_connections = limits_from_environment()
        self.refused = False
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_since = 0.0
        self._linger: asyncio.TimerHandle | None = None

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        if len(self.connections) >= self.max_connections:
            self._refuse(transport)
            return
        super().connection_made(transport)
        self._wait_for_headers()

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return  # read and dropped until the connection closes
        super().data_received(data)
        if self.transport.is_closing():
            self._stop_waiting()
        elif self.conn.their_state is h11.IDLE:
            if self._header_timer is None:  # the first byte of a request on a kept connection
                self._wait_for_headers()
        else:  # the headers are in
            self._stop_waiting()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        super().connection_lost(exc)

    def _wait_for_headers(self) -> None:
        self._waiting_since = self.loop.time()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        received, _ = self.conn.trailing_data
        if received.strip():
            message = f"the request headers did not arrive in {self.header_timeout:g} s"
            answer, sent = _answer(Problem(408, "timeout", message))
            self.transport.write(answer)
            log_access(self.client, 408, sent, self.loop.time() - self._waiting_since)
        self.transport.close()

    def _refuse(self, transport: asyncio.Transport) -> None:
        self.refused = True
        self.transport = transport
        self.client = get_remote_addr(transport)
        message = f"the server holds {self.max_connections} connections, its limit; try later"
        answer, sent = _answer(Problem(503, "overloaded", message), ("retry-after", "1"))
        transport.write(answer)
        if transport.can_write_eof():
            transport.write_eof()
        self._linger = self.loop.call_later(LINGER, transport.close)
        log_access(self.client, 503, sent, 0.0)
