"""The service's OpenAPI 3.1 document, built from the shipped JSON Schemas and the endpoints.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the schemas the library ships
(``iqm_rules.schema(name)``) go into
``components.schemas`` unchanged; each request body is a small wrapper object whose members
``$ref`` them. Every operation carries an example request (from the bundled examples) and the
answer the service gives to it, computed by the endpoint itself (those of ``serve --log``, from
a log of one example record made for the purpose).
"""

from __future__ import annotations

import functools
import json
from typing import Any, Final

from iqm_rules.interchange import schema
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.examples import examples
from iqm_rules.server.endpoints import (
    ENDPOINTS,
    PROBLEM_MEDIA_TYPE,
    SHIPPED,
    VERSION,
    Call,
    Endpoint,
)
from iqm_rules.server.log_endpoints import EXAMPLE_SCHOOL, LOG_ENDPOINTS, example_log

__all__ = ["document"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_DATE: Final = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_ID: Final = {"type": "string", "minLength": 1}
_HASH: Final = {"type": "string", "pattern": "^[0-9a-f]{64}$"}


def _request(description: str, required: dict[str, Any], optional: dict[str, Any]) -> Any:
    return {
        "description": description,
        "type": "object",
        "properties": {**required, **optional},
        "required": list(required),
        "additionalProperties": False,
    }


_POLICY: Final = {"policy": {**_ref("policy"), "description": "default: the server's policy"}}

_REQUESTS: Final = {
    "StatusRequest": _request(
        "A history and the date to report on.",
        {"history": _ref("history"), "as_of": _DATE},
        _POLICY,
    ),
    "DecideRequest": _request(
        "A history and the id of one of its assessments.",
        {"history": _ref("history"), "assessment": _ID},
        _POLICY,
    ),
    "TimelineRequest": _request(
        "A history; with as_of, only the changes up to that date.",
        {"history": _ref("history")},
        {"as_of": _DATE, **_POLICY},
    ),
    "ReadinessRequest": {
        "description": "What `iqm-rules readiness` reads, or a history and an assessment id.",
        "oneOf": [
            _request(
                "A plan: an iqm-rules/planned@1 document, or a history whose last assessment is "
                "the planned one (its judgements may be left out).",
                {"plan": {"oneOf": [_ref("planned"), {"type": "object"}]}},
                _POLICY,
            ),
            _request(
                "A history and the id of the assessment being prepared (its judgements are "
                "ignored, and so are the events after it).",
                {"history": _ref("history"), "assessment": _ID},
                _POLICY,
            ),
        ],
    },
    "AuditRequest": _request("A history.", {"history": _ref("history")}, _POLICY),
    "VerifyRequest": {
        "description": "One decision record, or a list of them.",
        "oneOf": [
            _ref("record"),
            {"type": "array", "items": _ref("record"), "minItems": 1},
        ],
    },
    "WhatIfRequest": _request(
        "Histories, the date to compare on, and the proposed policy (and the base policy).",
        {
            "histories": {"type": "array", "items": _ref("history")},
            "as_of": _DATE,
            "proposed": _ref("policy"),
        },
        {"base": {**_ref("policy"), "description": "default: the server's policy"}},
    ),
}

_ANSWERS: Final = {
    "Rules": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "level": {"enum": ["inclusive_school", "centre_of_excellence", "flagship"]},
                "title": {"type": "string"},
                "text": {"type": "string"},
                "parameters": {"type": "array", "items": {"type": "string"}},
                "needs_judgement": {"type": "boolean"},
                "source": {"type": "string"},
            },
            "required": ["id", "level", "title", "text", "parameters", "needs_judgement", "source"],
            "additionalProperties": False,
        },
    },
    "JSONSchema": {"type": "object", "description": "A JSON Schema, draft 2020-12."},
    "Examples": {"type": "array", "items": {"type": "string"}},
    "Health": {
        "type": "object",
        "properties": {"status": {"const": "ok"}},
        "required": ["status"],
        "additionalProperties": False,
    },
    "Version": {
        "type": "object",
        "properties": {
            "iqm_rules": {"type": "string"},
            "formats": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["iqm_rules", "formats"],
        "additionalProperties": False,
    },
    "LogHead": {
        "description": "The log's last sequence number and hash (0 and 64 zeros when empty).",
        "type": "object",
        "properties": {
            "sequence": {"type": "integer", "minimum": 0},
            "hash": _HASH,
            "written_at": {"type": ["string", "null"]},
        },
        "required": ["sequence", "hash", "written_at"],
        "additionalProperties": False,
    },
    "LogStatus": {
        "description": "What the decision log says a school held on as_of: the awards held, as "
        "the latest logged status record covering as_of shows them on its own date, that "
        "record, and its entry.",
        "type": "object",
        "properties": {
            "format": {"const": "iqm-rules/log-status@1"},
            "school_id": {"type": "string"},
            "as_of": _DATE,
            "held": {
                "type": "array",
                "items": {"enum": ["inclusive_school", "centre_of_excellence", "flagship"]},
            },
            "awards": {"type": "object"},
            "record_as_of": _DATE,
            "covers_until": {"oneOf": [_DATE, {"type": "null"}]},
            "entry": {
                "type": "object",
                "properties": {
                    "sequence": {"type": "integer", "minimum": 1},
                    "written_at": {"type": "string"},
                    "hash": _HASH,
                    "signature": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "properties": {
                                    "signature": {"type": "string"},
                                    "key_id": {"type": "string"},
                                    "public_key": {"type": "string"},
                                },
                                "required": ["signature", "key_id", "public_key"],
                                "additionalProperties": False,
                            },
                        ]
                    },
                },
                "required": ["sequence", "written_at", "hash", "signature"],
                "additionalProperties": False,
            },
            "record": _ref("record"),
        },
        "required": [
            "format",
            "school_id",
            "as_of",
            "held",
            "awards",
            "record_as_of",
            "covers_until",
            "entry",
            "record",
        ],
        "additionalProperties": False,
    },
    "Error": {
        "description": "Every refusal, as RFC 9457 problem details (application/problem+json): "
        "type, title, status and detail, and the service's own members error (what kind), "
        "document and path (where: a JSON path inside that document), message (why; the same "
        "text as detail) and notes. Clients written before problem details read error, path, "
        "document and message, which keep their meaning.",
        "type": "object",
        "properties": {
            "type": {
                "type": "string",
                "format": "uri-reference",
                "description": "The kind of problem: a reference to its entry on /docs",
            },
            "title": {"type": "string", "description": "The same for every problem of a kind"},
            "status": {"type": "integer", "description": "The HTTP status code"},
            "detail": {"type": "string", "description": "What went wrong with this request"},
            "error": {
                "enum": [
                    "invalid_record",
                    "malformed_json",
                    "too_large",
                    "unsupported_media_type",
                    "not_found",
                    "method_not_allowed",
                    "timeout",
                    "overloaded",
                    "internal",
                ]
            },
            "document": {"enum": ["request", "history", "policy", "plan", "record"]},
            "path": {"type": "string"},
            "message": {"type": "string"},
            "notes": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["type", "title", "status", "detail", "error", "document", "path", "message"],
        "additionalProperties": False,
    },
}

_ERRORS: Final = {
    "400": "Not JSON, or not UTF-8",
    "404": "No such schema or example; for a decision log, a school it does not know, or no "
    "status record of it covering as_of",
    "408": "The request headers or body did not arrive in time",
    "413": "The request body is larger than the server's limit",
    "415": "The request body was not sent as Content-Type: application/json (or another "
    "application/*+json type; a charset parameter may only say utf-8)",
    "422": "A bad record: the error names the document, the path and what is allowed",
    "503": "The worker holds as many connections as its limit (error overloaded, with "
    "Retry-After), or the request took longer than the server's timeout (error timeout)",
}

_ERROR_HEADERS: Final = {
    "415": {
        "Accept": {
            "description": "The media type the body must be sent as",
            "schema": {"const": "application/json"},
        }
    },
    "503": {
        "Retry-After": {
            "description": "Seconds to wait before trying again (with error overloaded)",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}

_ANY_REQUEST: Final = ("404", "408", "503")
"""The errors of an endpoint that reads no body."""


def _error(code: str, why: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": why,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _ref("Error")}},
    }
    if code in _ERROR_HEADERS:
        response["headers"] = _ERROR_HEADERS[code]
    return response


def _params(endpoint: Endpoint) -> dict[str, str]:
    if "{id}" in endpoint.path:
        return {"id": EXAMPLE_SCHOOL}
    if "{name}" not in endpoint.path:
        return {}
    return {"name": "status" if endpoint.path.startswith("/schemas") else examples()[0]}


_QUERY_EXAMPLES: Final = {"as_of": "2025-10-01"}
_QUERY: Final = {
    "as_of": {
        "name": "as_of",
        "in": "query",
        "required": False,
        "description": "the date asked about (default: today)",
        "schema": _DATE,
        "example": _QUERY_EXAMPLES["as_of"],
    }
}


def _operation(endpoint: Endpoint, log: str) -> dict[str, Any]:
    body = endpoint.example() if endpoint.example is not None else None
    query = {name: _QUERY_EXAMPLES[name] for name in endpoint.query}
    answer = json.loads(endpoint.handle(Call(body, _params(endpoint), query=query, log=log)))
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "operationId": endpoint.handle.__name__.strip("_"),
        "responses": {
            "200": {
                "description": endpoint.summary,
                "content": {
                    "application/json": {"schema": _ref(endpoint.response), "example": answer}
                },
            },
            **{
                code: _error(code, why)
                for code, why in _ERRORS.items()
                if endpoint.request is not None
                or code in _ANY_REQUEST
                or (code == "422" and endpoint.query)
            },
        },
    }
    if endpoint.request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(endpoint.request), "example": body}},
        }
    if "{id}" in endpoint.path:
        operation["parameters"] = [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "description": "the school's id",
                "schema": _ID,
                "example": EXAMPLE_SCHOOL,
            },
            *(_QUERY[name] for name in endpoint.query),
        ]
    if "{name}" in endpoint.path:
        names = list(SHIPPED) if endpoint.path.startswith("/schemas") else examples()
        operation["parameters"] = [
            {
                "name": "name",
                "in": "path",
                "required": True,
                "schema": {"enum": list(names)},
                "example": _params(endpoint)["name"],
            }
        ]
    return operation


_SHIPPED_ID: Final = "urn:iqm-rules:schema:"


def _reference(value: str, name: str) -> str:
    """A reference made document-wide: local ones into ``name``, shipped ones to their own."""
    if value.startswith(_SHIPPED_ID):
        return f"#/components/schemas/{value.removeprefix(_SHIPPED_ID).partition('@')[0]}"
    return value.replace("#/", f"#/components/schemas/{name}/", 1)


def _rebased(node: Any, name: str) -> Any:
    """A shipped schema as a component: its references made document-wide.

    The shipped schemas are resources of their own (``$id``); OpenAPI tools resolve references
    against the whole document, so the ``$id`` goes, each local reference is rewritten to point
    into ``#/components/schemas/<name>``, and a schema embedded by its ``$id`` (a record embeds
    the history it holds) gives way to a reference to its own component.
    """
    if isinstance(node, dict):
        return {
            key: (
                _reference(value, name)
                if key == "$ref" and isinstance(value, str)
                else _rebased(_own(value) if key == "$defs" else value, name)
            )
            for key, value in node.items()
            if key not in ("$id", "$schema")
        }
    if isinstance(node, list):
        return [_rebased(value, name) for value in node]
    return node


def _own(defs: Any) -> Any:
    """The definitions of a schema without those embedded from other shipped schemas."""
    if not isinstance(defs, dict):
        return defs
    return {
        key: value
        for key, value in defs.items()
        if not (isinstance(value, dict) and str(value.get("$id", "")).startswith(_SHIPPED_ID))
    }


@functools.cache
def _built() -> str:
    paths: dict[str, dict[str, Any]] = {}
    with example_log() as log:
        for endpoint in (*ENDPOINTS, *LOG_ENDPOINTS):
            paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint, log)
    paths["/openapi.json"] = {
        "get": {
            "summary": "This document",
            "operationId": "openapi",
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document of the service",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
    components: dict[str, Any] = {
        **{str(name): _rebased(schema(name), name) for name in SHIPPED},
        **_REQUESTS,
        **_ANSWERS,
    }
    return canonical_json(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "iqm-rules",
                "version": VERSION,
                "summary": "Inclusion Quality Mark award eligibility and renewals, rule by rule.",
                "license": {"name": "MIT", "identifier": "MIT"},
            },
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "paths": paths,
            "components": {"schemas": components},
        },
    )


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service (a fresh copy; built once per process)."""
    built: dict[str, Any] = json.loads(_built())
    return built


def document_text() -> str:
    """The OpenAPI 3.1 document as canonical JSON text, as ``GET /openapi.json`` serves it."""
    return _built()
