"""What each endpoint of the service does, as plain functions over parsed JSON.

Nothing here knows HTTP: an :class:`Endpoint` names its method, path, request and response
schemas (by name, see :mod:`iqm_rules.server.openapi`), an example request, and a ``handle``
function from a :class:`Call` to canonical JSON text. Bad input is a :class:`Problem` carrying
the status code and the error body. A new endpoint (``/what-if``, ``/verify``) is one function
and one entry of :data:`ENDPOINTS`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from importlib.metadata import version
from typing import Any, Final, TypeVar

from attrs import field, frozen

from iqm_rules.assessment import Assessment
from iqm_rules.audit import audit
from iqm_rules.awards import Award
from iqm_rules.errors import InvalidRecord
from iqm_rules.examples import example_text, examples
from iqm_rules.facts import Prior
from iqm_rules.history import SchoolHistory, Withdrawal
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_status,
    load_history,
    load_policy,
    schema,
)
from iqm_rules.lifecycle import status, timeline
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.readiness import readiness
from iqm_rules.rules import rules
from iqm_rules.server.formats import (
    SCHEMAS,
    audit_document,
    canonical,
    readiness_document,
    timeline_document,
)

T = TypeVar("T")

__all__ = ["ENDPOINTS", "SHIPPED", "VERSION", "Call", "Endpoint", "Problem", "parse_json"]

VERSION: Final = version("iqm-rules")
"""The installed library's version, sent in every ``X-IQM-Rules-Version`` header."""

SHIPPED: Final = ("history", "decision", "status", "policy")
"""The formats whose JSON Schema ships in the library (``iqm_rules.schema(name)``)."""


class Problem(Exception):
    """Input the service refuses: an HTTP status and one JSON error body.

    ``document`` names the part of the request the ``path`` is inside: ``history``, ``policy``
    or ``request`` (the request body itself).
    """

    def __init__(
        self,
        status_code: int,
        error: str,
        message: str,
        *,
        path: str = "",
        document: str = "request",
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error
        self.message = message
        self.path = path
        self.document = document
        self.notes = tuple(notes)

    @classmethod
    def invalid(cls, error: InvalidRecord, document: str) -> Problem:
        """A 422 for an :class:`InvalidRecord`: the same path and message as the command line."""
        notes = [str(note) for note in getattr(error, "__notes__", ())]
        return cls(
            422, "invalid_record", str(error), path=error.path, document=document, notes=notes
        )

    def body(self) -> str:
        """The canonical JSON error body."""
        data: dict[str, Any] = {
            "error": self.error,
            "document": self.document,
            "path": self.path,
            "message": self.message,
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return canonical(data)


# Reading request bodies


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _repeats(node: object, path: str, repeated: Mapping[int, str]) -> Iterator[str]:
    if isinstance(node, dict):
        if id(node) in repeated:
            yield _join(path, repeated[id(node)])
        for key, value in node.items():
            yield from _repeats(value, _join(path, key), repeated)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _repeats(value, f"{path}[{index}]", repeated)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_json(body: bytes) -> object:
    """A request body as JSON data: 400 if it is not JSON, 422 for a repeated key (§7.10, §7.12).

    >>> parse_json(b'{"a": [1, 2.0]}')
    {'a': [1, 2.0]}
    >>> parse_json(b'{"a": 1,') # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    iqm_rules.server.endpoints.Problem: malformed JSON at line 1, column 9: Expecting ...
    """
    try:
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise Problem(400, "malformed_json", f"not UTF-8 text (byte {error.start})") from None
    repeated: dict[int, str] = {}

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            repeated[id(out)] = next(key for key, n in counts.items() if n > 1)
        return out

    try:
        data = json.loads(text, object_pairs_hook=hook, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise Problem(
            400,
            "malformed_json",
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        ) from None
    except ValueError as error:
        raise Problem(400, "malformed_json", f"unreadable JSON: {error}") from None
    except RecursionError:
        raise Problem(400, "malformed_json", "malformed JSON: nested too deeply") from None
    for path in _repeats(data, "", repeated):
        raise Problem(
            422,
            "invalid_record",
            f"{path}: repeated key (a JSON object names each key once)",
            path=path,
        )
    return data


def _refuse(path: str, problem: str) -> Problem:
    return Problem(422, "invalid_record", f"{path}: {problem}", path=path)


def _fields(body: object, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
    """The request object's keys: all of ``required``, any of ``optional``, nothing else."""
    if not isinstance(body, dict):
        shown = "an array" if isinstance(body, list) else json.dumps(body)[:60]
        raise Problem(422, "invalid_record", f"the request must be a JSON object, got {shown}")
    allowed = ", ".join((*required, *optional))
    for key in body:
        if key not in (*required, *optional):
            raise _refuse(key, f"unknown key; allowed: {allowed}")
    for key in required:
        if key not in body:
            raise _refuse(key, f"required key missing; allowed: {allowed}")
    return body


def _history(data: Mapping[str, Any]) -> SchoolHistory:
    value = data["history"]
    if not isinstance(value, dict):
        raise _refuse("history", "must be an iqm-rules/history@1 document (a JSON object)")
    try:
        return load_history(value)
    except InvalidRecord as error:
        raise Problem.invalid(error, "history") from None


_DATE_WRITTEN: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    if not isinstance(value, str) or not _DATE_WRITTEN.fullmatch(value):
        shown = json.dumps(value, ensure_ascii=False)[:60]
        raise _refuse(key, f"must be a date written YYYY-MM-DD, got {shown}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _refuse(key, f"{value} is not a calendar date") from None


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _refuse(key, f"must be text, got {json.dumps(value, ensure_ascii=False)[:60]}")
    return value


# Calls


@frozen
class Call:
    """One request as an endpoint sees it: the parsed body, path parameters, server policy."""

    body: object = None
    params: Mapping[str, str] = field(factory=dict)
    policy: Policy | PolicyBook = DEFAULT_POLICY

    def policy_of(self, data: Mapping[str, Any]) -> Policy | PolicyBook:
        """The request's ``policy`` document if it has one, else the server's policy."""
        if data.get("policy") is None:
            return self.policy
        if not isinstance(data["policy"], dict):
            raise _refuse("policy", "must be an iqm-rules/policy@1 document (a JSON object)")
        try:
            return load_policy(data["policy"])
        except InvalidRecord as error:
            raise Problem.invalid(error, "policy") from None


def _assessment(history: SchoolHistory, wanted: str) -> tuple[int, Assessment]:
    for index, event in enumerate(history.events):
        if isinstance(event, Assessment) and event.id == wanted:
            return index, event
    ids = [event.id for event in history.events if isinstance(event, Assessment)]
    raise _refuse(
        "assessment",
        f"no assessment {wanted!r} in this history; the assessments are {', '.join(ids) or 'none'}",
    )


def _status(call: Call) -> str:
    data = _fields(call.body, ("history", "as_of"), ("policy",))
    history, as_of = _history(data), _date(data, "as_of")
    return _deciding(lambda: dump_status(status(history, as_of, call.policy_of(data))))


def _decide(call: Call) -> str:
    data = _fields(call.body, ("history", "assessment"), ("policy",))
    history = _history(data)
    _, assessment = _assessment(history, _text(data, "assessment"))
    policy = call.policy_of(data)
    report = _deciding(lambda: status(history, assessment.held_on, policy))
    return dump_decision(next(d for d in report.decisions if d.assessment_id == assessment.id))


def _timeline(call: Call) -> str:
    data = _fields(call.body, ("history",), ("as_of", "policy"))
    history = _history(data)
    as_of = None if data.get("as_of") is None else _date(data, "as_of")
    changes = _deciding(lambda: timeline(history, call.policy_of(data)))
    kept = [c for c in changes if as_of is None or c.on <= as_of]
    return timeline_document(history.school.id, kept)


def _on(event: Assessment | Withdrawal) -> date:
    return event.held_on if isinstance(event, Assessment) else event.on


def _prior(history: SchoolHistory, index: int, assessment: Assessment, policy: Any) -> Prior:
    """What the school holds just before the assessment at ``index`` (§7.1), from ``status``."""
    before = [
        event
        for i, event in enumerate(history.events)
        if _on(event) < assessment.held_on or (_on(event) == assessment.held_on and i < index)
    ]
    report = status(SchoolHistory(history.school, before), assessment.held_on, policy)
    held = frozenset(a.award for a in report.awards if a.state.is_held)
    coe = report.award(Award.CENTRE_OF_EXCELLENCE)
    return Prior(held, coe.since if Award.CENTRE_OF_EXCELLENCE in held else None)


def _readiness(call: Call) -> str:
    data = _fields(call.body, ("history", "assessment"), ("policy",))
    history = _history(data)
    index, planned = _assessment(history, _text(data, "assessment"))
    policy = call.policy_of(data)
    _deciding(lambda: status(history, planned.held_on, policy))
    ready = readiness(
        planned.evidence,
        planned.commitments,
        planned.held_on,
        _prior(history, index, planned, policy),
        policy,
        planned.cluster_meetings_attended,
    )
    return readiness_document(planned.id, ready)


def _audit(call: Call) -> str:
    data = _fields(call.body, ("history",), ("policy",))
    history = _history(data)
    return audit_document(
        history.school.id, _deciding(lambda: audit(history, call.policy_of(data)))
    )


def _deciding(run: Callable[[], T]) -> T:
    """``run()``, with the history's rule errors (a review nothing allows, §7.1) as a 422."""
    try:
        return run()
    except InvalidRecord as error:
        raise Problem.invalid(error, "history") from None


def _rules(call: Call) -> str:
    return canonical(
        [
            {
                "id": entry.id,
                "level": entry.level.value,
                "title": entry.title,
                "text": entry.text,
                "parameters": list(entry.parameters),
                "needs_judgement": entry.needs_judgement,
                "source": entry.source,
            }
            for entry in rules()
        ]
    )


def _schema(call: Call) -> str:
    name = call.params["name"]
    if name in SHIPPED:
        return canonical(schema(name))  # type: ignore[arg-type]
    if name in SCHEMAS:
        return canonical(SCHEMAS[name])
    known = ", ".join((*SHIPPED, *SCHEMAS))
    raise Problem(404, "not_found", f"no schema {name!r}; the schemas are {known}", path="name")


def _examples(call: Call) -> str:
    return canonical(list(examples()))


def _example(call: Call) -> str:
    name = call.params["name"]
    if name not in examples():
        known = ", ".join(examples())
        raise Problem(
            404, "not_found", f"no example {name!r}; the examples are {known}", path="name"
        )
    return dump_history(load_history(example_text(name)))


def _health(call: Call) -> str:
    return canonical({"status": "ok"})


def _version(call: Call) -> str:
    return canonical({"iqm_rules": VERSION, "formats": sorted((*SHIPPED, *SCHEMAS))})


# The table


def _example_history() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(example_text("flagship-journey"))
    return loaded


def _first_assessment() -> str:
    return str(_example_history()["events"][0]["id"])


@frozen
class Endpoint:
    """One endpoint: how it is called, what it takes and gives (schema names), and its code.

    ``request`` names a request schema of the OpenAPI document (``None``: no body);
    ``response`` the schema of a 200 answer; ``example`` builds an example request body.
    """

    method: str
    path: str
    summary: str
    handle: Callable[[Call], str]
    response: str
    request: str | None = None
    example: Callable[[], object] | None = None


ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    Endpoint(
        "POST",
        "/status",
        "What a school holds on a date (LC-5): an iqm-rules/status@1 document",
        _status,
        "status",
        "StatusRequest",
        lambda: {"history": _example_history(), "as_of": "2025-09-01"},
    ),
    Endpoint(
        "POST",
        "/decide",
        "One assessment's decision, rule by rule: an iqm-rules/decision@1 document",
        _decide,
        "decision",
        "DecideRequest",
        lambda: {"history": _example_history(), "assessment": _first_assessment()},
    ),
    Endpoint(
        "POST",
        "/timeline",
        "Every dated change of the school's awards, up to as_of if given",
        _timeline,
        "timeline",
        "TimelineRequest",
        lambda: {"history": _example_history(), "as_of": "2025-09-01"},
    ),
    Endpoint(
        "POST",
        "/readiness",
        "How ready an assessment is before it is judged, rule by rule and per level",
        _readiness,
        "readiness",
        "ReadinessRequest",
        lambda: {"history": _example_history(), "assessment": _first_assessment()},
    ),
    Endpoint(
        "POST",
        "/audit",
        "Recorded outcomes that disagree with the rules",
        _audit,
        "audit",
        "AuditRequest",
        lambda: {"history": _example_history()},
    ),
    Endpoint("GET", "/rules", "The rules of the rulebook, from the registry", _rules, "Rules"),
    Endpoint("GET", "/schemas/{name}", "The JSON Schema of a format", _schema, "JSONSchema"),
    Endpoint("GET", "/examples", "The names of the bundled examples", _examples, "Examples"),
    Endpoint(
        "GET", "/examples/{name}", "One bundled example history, canonical", _example, "history"
    ),
    Endpoint("GET", "/health", "Whether the service is up", _health, "Health"),
    Endpoint("GET", "/version", "The library version and the formats served", _version, "Version"),
)
"""Every endpoint of the service except ``/openapi.json``, in the order of the docs."""
