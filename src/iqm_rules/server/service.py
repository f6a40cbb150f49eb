"""The ASGI application: the endpoints of :mod:`iqm_rules.server.endpoints` over HTTP.

:func:`create_app` builds a Starlette application; :func:`from_environment` builds one from
``IQM_RULES_*`` environment variables (what ``iqm-rules serve`` and ``uvicorn
iqm_rules.server:app`` use). Around every request, one guard adds the ``X-IQM-Rules-Version``
header, applies the request timeout, turns any unexpected exception into a JSON 500 (logged
with its traceback) and writes one JSON access-log line. A request body is read only if its
``Content-Type`` says JSON (415 otherwise: :func:`json_media_type`), in chunks, and refused with
413 as soon as it passes the size limit, whatever ``Content-Length`` says.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_policy
from iqm_rules.interchange._jsontext import readable_json
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.server.endpoints import (
    ENDPOINTS,
    PROBLEM_MEDIA_TYPE,
    VERSION,
    Call,
    Endpoint,
    Problem,
    parse_json,
)
from iqm_rules.server.openapi import document_text
from iqm_rules.server.pages import docs_page, home_page
from iqm_rules.words import accepted_language

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_TIMEOUT", "create_app", "from_environment"]

DEFAULT_MAX_BODY_BYTES: Final = 10 * 1024 * 1024
"""The default request body limit: 10 MiB, some thousands of assessments."""

DEFAULT_TIMEOUT: Final = 30.0
"""The default time, in seconds, a request may take from its first byte to its answer."""

VERSION_HEADER: Final = "X-IQM-Rules-Version"

ACCESS_LOG: Final = logging.getLogger("iqm_rules.server.access")
ERROR_LOG: Final = logging.getLogger("iqm_rules.server.error")


def _json(status_code: int, text: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(text.encode("utf-8"), status_code, headers, media_type="application/json")


def _problem_response(problem: Problem) -> Response:
    body = problem.body().encode("utf-8")
    return Response(body, problem.status_code, problem.headers, media_type=PROBLEM_MEDIA_TYPE)


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 once it passes ``limit`` bytes (checked as it comes)."""
    too_large = Problem(413, "too_large", f"the request body is larger than {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def json_media_type(content_type: str | None) -> str | None:
    """Why a request body sent with this ``Content-Type`` is refused (415), or ``None``.

    JSON bodies must say so: ``application/json``, or a structured ``application/<type>+json``
    (RFC 6839), in any letter case. A ``charset`` parameter, which JSON does not define (RFC 8259
    section 11), may only say ``utf-8``, what the body is read as; other parameters are ignored. A
    missing ``Content-Type``, ``text/plain``, ``application/x-www-form-urlencoded`` and
    ``multipart/form-data`` are refused: they are what a page of another site may send without
    the browser asking the service first (a CORS preflight).
    """
    if not content_type:
        return "the request has no Content-Type; send JSON as Content-Type: application/json"
    media, *parameters = content_type.split(";")
    kind, _, subtype = media.strip().lower().partition("/")
    structured = subtype.endswith("+json") and len(subtype) > len("+json")
    if kind != "application" or not (subtype == "json" or structured):
        return f"the body must be sent as Content-Type: application/json, not {media.strip()!r}"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            return f"the body must be UTF-8 JSON; Content-Type says charset={value.strip()}"
    return None


def _route(
    endpoint: Endpoint, policy: Policy | PolicyBook, limit: int, log: str | None = None
) -> Route:
    async def handle(request: Request) -> Response:
        body = None
        if endpoint.request is not None:
            refused = json_media_type(request.headers.get("content-type"))
            if refused is not None:
                raise Problem(415, "unsupported_media_type", refused, headers=_ACCEPT_JSON)
            body = parse_json(await _body(request, limit))
        call = Call(body, dict(request.path_params), policy, dict(request.query_params), log)
        text = await anyio.to_thread.run_sync(endpoint.handle, call, abandon_on_cancel=True)
        return _json(200, text)

    return Route(endpoint.path, handle, methods=[endpoint.method], name=endpoint.path)


async def _openapi(request: Request) -> Response:
    return _json(200, document_text())


_ACCEPT_JSON: Final = {"Accept": "application/json"}


async def _home(request: Request) -> Response:
    language = accepted_language(request.headers.get("accept-language"))
    headers = {"Content-Language": language, "Vary": "Accept-Language"}
    return HTMLResponse(home_page(language), headers=headers)


async def _docs(request: Request) -> Response:
    return HTMLResponse(docs_page())


async def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, Problem)
    return _problem_response(error)


_HTTP_ERRORS: Final = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = _HTTP_ERRORS.get(error.status_code, "http_error")
    message = f"{request.method} {request.url.path}: {error.detail}"
    headers = dict(error.headers or {})
    return _problem_response(Problem(error.status_code, code, message, headers=headers))


class _Guard:
    """Version header, timeout, JSON 500 for server bugs and one access-log line per request."""

    def __init__(self, app: ASGIApp, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = {"status": 0, "bytes": 0, "receiving": False}

        async def receiving() -> Message:
            seen["receiving"] = True
            message = await receive()  # a timeout here leaves "receiving" set: a 408
            seen["receiving"] = False
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((VERSION_HEADER.lower().encode(), VERSION.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                seen["bytes"] = int(seen["bytes"]) + len(message.get("body", b""))
            await send(message)

        try:
            with anyio.fail_after(self.timeout):
                await self.app(scope, receiving, sending)
        except TimeoutError:
            if not seen["status"]:
                if seen["receiving"]:
                    problem = Problem(
                        408, "timeout", f"the body did not arrive in {self.timeout:g} s"
                    )
                else:
                    problem = Problem(503, "timeout", f"no answer within {self.timeout:g} s")
                await _problem_response(problem)(scope, receiving, sending)
        except Exception as error:
            ERROR_LOG.error(
                readable_json(
                    {
                        "time": _now(),
                        "event": "unhandled_exception",
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "error": f"{type(error).__name__}: {error}",
                        "traceback": traceback.format_exc(),
                    },
                    sort_keys=False,
                    ascii_only=True,
                )
            )
            if not seen["status"]:
                problem = Problem(500, "internal", "the server failed; the error is logged")
                await _problem_response(problem)(scope, receiving, sending)
        finally:
            log_access(
                scope.get("client"),
                int(seen["status"]),
                int(seen["bytes"]),
                time.perf_counter() - started,
                scope.get("method"),
                scope.get("path"),
            )


def log_access(
    client: Sequence[Any] | None,
    status: int,
    sent: int,
    seconds: float,
    method: str | None = None,
    path: str | None = None,
) -> None:
    """One JSON line of the access log: a request answered, or a connection refused."""
    ACCESS_LOG.info(
        readable_json(
            {
                "time": _now(),
                "client": f"{client[0]}:{client[1]}" if client else None,
                "method": method,
                "path": path,
                "status": status,
                "bytes": sent,
                "duration_ms": round(seconds * 1000, 3),
            },
            ascii_only=True,
        )
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _logging() -> None:
    """JSON lines on standard error, unless the embedding program set up these loggers."""
    for logger in (ACCESS_LOG, ERROR_LOG):
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def _pages(policy: Policy | PolicyBook, limit: int) -> list[Route]:
    """The pages for people under ``/app`` (:mod:`iqm_rules.server.site`)."""
    from iqm_rules.server.site.routes import routes

    return routes(policy, limit)


def create_app(
    policy: Policy | PolicyBook = DEFAULT_POLICY,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    cors_origins: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    log: str | None = None,
) -> Starlette:
    """The service as an ASGI application.

    ``policy`` decides every request that brings none; ``max_body_bytes`` bounds a request body
    (413 above it); ``cors_origins`` lists the origins allowed by CORS (none: CORS is off; ``*``:
    any); ``timeout`` bounds a request's time in seconds (408 while the body is still arriving,
    503 after); ``log`` names a decision log the service reads, never writes, to answer
    ``GET /schools/{id}/status`` and ``GET /log/head`` (without it, those are 404).
    """
    _logging()
    routes = [_route(endpoint, policy, max_body_bytes) for endpoint in ENDPOINTS]
    if log is not None:
        from iqm_rules.server.log_endpoints import LOG_ENDPOINTS

        routes += [_route(endpoint, policy, max_body_bytes, log) for endpoint in LOG_ENDPOINTS]
    routes.append(Route("/openapi.json", _openapi, methods=["GET"]))
    routes.append(Route("/", _home, methods=["GET"]))
    routes.append(Route("/docs", _docs, methods=["GET"]))
    routes += _pages(policy, max_body_bytes)
    middleware = [Middleware(_Guard, timeout=timeout)]
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
                expose_headers=[VERSION_HEADER],
            )
        )
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        Problem: _problem,
        HTTPException: _http_error,
    }
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)


ENVIRONMENT: Final = {
    "IQM_RULES_POLICY": "an iqm-rules/policy@1 file (default: policy iqm-2025.1 on every date)",
    "IQM_RULES_MAX_BODY_BYTES": f"the body limit in bytes (default: {DEFAULT_MAX_BODY_BYTES})",
    "IQM_RULES_TIMEOUT": f"the request timeout in seconds (default: {DEFAULT_TIMEOUT:g})",
    "IQM_RULES_CORS_ORIGINS": "origins allowed by CORS, comma-separated (default: none, CORS off)",
    "IQM_RULES_LOG": "a decision log to answer status on request from, read-only (default: none)",
}
"""The environment variables :func:`from_environment` reads."""


def from_environment() -> Starlette:
    """The application configured by the ``IQM_RULES_*`` variables of :data:`ENVIRONMENT`.

    Raises :class:`~iqm_rules.InvalidRecord` for a bad policy file or a bad number, and
    :class:`~iqm_rules.decision_log.entries.LogProblem` for a log that cannot be read.
    """
    env = os.environ
    policy: Policy | PolicyBook = DEFAULT_POLICY
    if env.get("IQM_RULES_POLICY"):
        policy = load_policy(_read(env["IQM_RULES_POLICY"]))
    origins = [o.strip() for o in env.get("IQM_RULES_CORS_ORIGINS", "").split(",") if o.strip()]
    log = env.get("IQM_RULES_LOG") or None
    if log is not None:
        from iqm_rules.decision_log.sqlite import SQLiteStore

        SQLiteStore.read_only(log).close()  # refused now, with one line, if it is not a log
    return create_app(
        policy=policy,
        max_body_bytes=int(number_from(env, "IQM_RULES_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
        cors_origins=origins,
        timeout=number_from(env, "IQM_RULES_TIMEOUT", DEFAULT_TIMEOUT),
        log=log,
    )


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise InvalidRecord("IQM_RULES_POLICY", f"cannot read {path}: {error.strerror}") from None


def number_from(env: Mapping[str, str], name: str, default: float) -> float:
    """The number > 0 that variable ``name`` of ``env`` holds, or ``default`` if it is unset or
    empty; :class:`~iqm_rules.InvalidRecord` if it holds anything else."""
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise InvalidRecord(name, f"must be a number > 0, got {text!r}")
    return value
