"""What each endpoint of the service does, as plain functions over parsed JSON.

Nothing here knows HTTP: an :class:`Endpoint` names its method, path, request and response
schemas (by name, see :mod:`iqm_rules.server.openapi`), an example request, and a ``handle``
function from a :class:`Call` to canonical JSON text. Bad input is a :class:`Problem` carrying
the status code and the error body. A new endpoint (``/what-if``, ``/verify``) is one function
and one entry of :data:`ENDPOINTS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from importlib.metadata import version
from typing import Any, Final, TypeVar

from attrs import field, frozen

from iqm_rules._dates import parse_date
from iqm_rules.assessment import Assessment
from iqm_rules.auditing import whatif
from iqm_rules.auditing.audit_report import audit_school, report_json, summarise
from iqm_rules.auditing.record import dump_record, load_record, record_status
from iqm_rules.auditing.verify import dump_verifications, verify
from iqm_rules.decisions.rules import rules
from iqm_rules.errors import InvalidRecord, written
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import (
    SCHEMAS,
    dump_history,
    load_history,
    load_policy,
    schema,
)
from iqm_rules.interchange._json import REPEATED_KEY, given, parse
from iqm_rules.interchange._jsontext import canonical_json
from iqm_rules.interchange.answers import decision_answer, status_answer, timeline_answer
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.interchange.formats import POLICY_FORMAT
from iqm_rules.lifecycle.replay import status
from iqm_rules.office.plans import Plan, dump_readiness, load_plan, plan_of, plan_readiness
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from iqm_rules.server.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TITLES, Problem, problem_type

T = TypeVar("T")

__all__ = [
    "ENDPOINTS",
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TITLES",
    "SHIPPED",
    "VERSION",
    "Call",
    "Endpoint",
    "Problem",
    "parse_json",
    "problem_type",
]

VERSION: Final = version("iqm-rules")
"""The installed library's version, sent in every ``X-IQM-Rules-Version`` header."""

SHIPPED: Final = SCHEMAS
"""The formats whose JSON Schema ships in the library (``iqm_rules.schema(name)``)."""


# Reading request bodies


def parse_json(body: bytes) -> object:
    """A request body as JSON data, read as strictly as every document (§7.10, §7.12): 422 for a
    repeated key, 400 for anything else that is not JSON text (not UTF-8, malformed, ``NaN``,
    a lone surrogate, nesting too deep), each with its path.

    >>> parse_json(b'{"a": [1, 2.0]}')
    {'a': [1, 2.0]}
    >>> parse_json(b'{"a": 1,') # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    iqm_rules.server.endpoints.Problem: malformed JSON at column 9: Expecting ...
    """
    try:
        return parse(body)
    except InvalidRecord as error:
        status, kind = (
            (422, "invalid_record") if error.problem == REPEATED_KEY else (400, "malformed_json")
        )
        raise Problem(status, kind, str(error), path=error.path) from None


def _refuse(path: str, problem: str) -> Problem:
    return Problem(422, "invalid_record", f"{path}: {problem}", path=path)


def _fields(body: object, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
    """The request object's keys: all of ``required``, any of ``optional``, nothing else."""
    if not isinstance(body, dict):
        raise Problem(
            422, "invalid_record", f"the request must be a JSON object, got {given(body)}"
        )
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


def _date(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    try:
        day = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        raise _refuse(key, f"{value} is not a calendar date") from None
    if day is None:
        raise _refuse(key, f"must be a date written YYYY-MM-DD, got {given(value)}")
    return day


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _refuse(key, f"must be text, got {given(value)}")
    return value


# Calls


@frozen
class Call:
    """One request as an endpoint sees it: the parsed body, path parameters, server policy,
    query parameters and the decision log the service reads (``None``: none)."""

    body: object = None
    params: Mapping[str, str] = field(factory=dict)
    policy: Policy | PolicyBook = DEFAULT_POLICY
    query: Mapping[str, str] = field(factory=dict)
    log: str | None = None

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
    return _deciding(lambda: status_answer(history, as_of, call.policy_of(data)))


def _decide(call: Call) -> str:
    data = _fields(call.body, ("history", "assessment"), ("policy",))
    history = _history(data)
    _, assessment = _assessment(history, _text(data, "assessment"))
    policy = call.policy_of(data)
    return _deciding(lambda: decision_answer(history, assessment.id, policy))


def _timeline(call: Call) -> str:
    data = _fields(call.body, ("history",), ("as_of", "policy"))
    history = _history(data)
    as_of = None if data.get("as_of") is None else _date(data, "as_of")
    return _deciding(lambda: timeline_answer(history, call.policy_of(data), as_of))


def _plan(call: Call, data: Mapping[str, Any]) -> Plan:
    """The plan of a readiness request: a plan document, or a history and an assessment id."""
    if "plan" in data:
        if "history" in data or "assessment" in data:
            raise _refuse("plan", "give either plan, or history and assessment, not both")
        if not isinstance(data["plan"], dict):
            raise _refuse("plan", "must be an iqm-rules/planned@1 or iqm-rules/history@1 document")
        try:
            return load_plan(data["plan"])
        except InvalidRecord as error:
            raise Problem.invalid(error, "plan") from None
    for key in ("history", "assessment"):
        if key not in data:
            raise _refuse(key, "required key missing; give plan, or history and assessment")
    history = _history(data)
    _, planned = _assessment(history, _text(data, "assessment"))
    _deciding(lambda: status(history, planned.held_on, call.policy_of(data)))  # §7.1 as /decide
    return plan_of(history, planned.id)


def _readiness(call: Call) -> str:
    data = _fields(call.body, (), ("plan", "history", "assessment", "policy"))
    plan = _plan(call, data)
    policy = call.policy_of(data)
    document = "plan" if "plan" in data else "history"
    try:
        return dump_readiness(plan, plan_readiness(plan, policy))
    except InvalidRecord as error:
        raise Problem.invalid(error, document) from None


def _audit(call: Call) -> str:
    data = _fields(call.body, ("history",), ("policy",))
    history = _history(data)
    policy = call.policy_of(data)
    return report_json(summarise([_deciding(lambda: audit_school(history, policy, "history"))]))


def _verify(call: Call) -> str:
    body = call.body
    records = body if isinstance(body, list) else [body]
    if not records:
        raise Problem(422, "invalid_record", "an empty list: give at least one record")
    read = []
    for index, data in enumerate(records):
        try:
            if not isinstance(data, dict):
                raise InvalidRecord(
                    "", "must be an iqm-rules/record@2 (or @1) document (a JSON object)"
                )
            read.append(load_record(data))
        except InvalidRecord as error:
            raise _inside(
                written((index,)) if isinstance(body, list) else "", error, "record"
            ) from None
    return dump_verifications(verify(record) for record in read)


def _inside(prefix: str, error: InvalidRecord, document: str) -> Problem:
    """A 422 for ``error`` found inside the part of the request at ``prefix``."""
    return Problem.invalid(error.within(prefix) if prefix else error, document)


def _what_if(call: Call) -> str:
    data = _fields(call.body, ("histories", "as_of", "proposed"), ("base",))
    if not isinstance(data["histories"], list):
        raise _refuse("histories", "must be a list of iqm-rules/history@1 documents")
    histories = []
    for index, value in enumerate(data["histories"]):
        try:
            if not isinstance(value, dict):
                raise InvalidRecord("", "must be an iqm-rules/history@1 document (a JSON object)")
            histories.append(load_history(value))
        except InvalidRecord as error:
            raise _inside(written(("histories", index)), error, "request") from None
    as_of = _date(data, "as_of")
    base = call.policy if data.get("base") is None else _policy(data, "base")
    proposed = _policy(data, "proposed")
    changes = list(whatif.compare(histories, as_of, base, proposed))
    changed = [change for change in changes if not change.unchanged]
    return canonical_json(whatif.json_data(changed, whatif.summarise(changes)))


def _policy(data: Mapping[str, Any], key: str) -> PolicyBook:
    if not isinstance(data[key], dict):
        raise _refuse(key, "must be an iqm-rules/policy@1 document (a JSON object)")
    try:
        return load_policy(data[key])
    except InvalidRecord as error:
        raise _inside(key, error, "request") from None


def _deciding(run: Callable[[], T]) -> T:
    """``run()``, with the history's rule errors (a review nothing allows, §7.1) as a 422."""
    try:
        return run()
    except InvalidRecord as error:
        raise Problem.invalid(error, "history") from None


def _rules(call: Call) -> str:
    return canonical_json(
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
        return canonical_json(schema(name))
    known = ", ".join(SHIPPED)
    raise Problem(404, "not_found", f"no schema {name!r}; the schemas are {known}", path="name")


def _examples(call: Call) -> str:
    return canonical_json(list(examples()))


def _example(call: Call) -> str:
    name = call.params["name"]
    if name not in examples():
        known = ", ".join(examples())
        raise Problem(
            404, "not_found", f"no example {name!r}; the examples are {known}", path="name"
        )
    return dump_history(load_history(example_text(name)))


def _health(call: Call) -> str:
    return canonical_json({"status": "ok"})


def _version(call: Call) -> str:
    return canonical_json({"iqm_rules": VERSION, "formats": sorted(SHIPPED)})


# The table


def _example_history() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(example_text("flagship-journey"))
    return loaded


def _first_assessment() -> str:
    return str(_example_history()["events"][0]["id"])


_DAY: Final = date(2025, 9, 1)
_STRICT: Final = {
    "format": POLICY_FORMAT,
    "id": "strict",
    "effective_from": "2000-01-01",
    "flagship_boundary": "more_than",
}


@frozen
class Endpoint:
    """One endpoint: how it is called, what it takes and gives (schema names), and its code.

    ``request`` names a request schema of the OpenAPI document (``None``: no body);
    ``response`` the schema of a 200 answer; ``example`` builds an example request body;
    ``query`` names the optional query parameters it reads.
    """

    method: str
    path: str
    summary: str
    handle: Callable[[Call], str]
    response: str
    request: str | None = None
    example: Callable[[], object] | None = None
    query: tuple[str, ...] = ()


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
        "How ready a planned assessment is before it is judged: an iqm-rules/readiness@1 document",
        _readiness,
        "readiness",
        "ReadinessRequest",
        lambda: {"history": _example_history(), "assessment": _first_assessment()},
    ),
    Endpoint(
        "POST",
        "/audit",
        "Recorded outcomes compared with the rules: an iqm-rules/audit-report@1 document",
        _audit,
        "audit-report",
        "AuditRequest",
        lambda: {"history": _example_history()},
    ),
    Endpoint(
        "POST",
        "/verify",
        "Decision records recomputed from their own inputs: an iqm-rules/verification@2 document",
        _verify,
        "verification",
        "VerifyRequest",
        lambda: json.loads(dump_record(record_status(load_history(_example_history()), _DAY))),
    ),
    Endpoint(
        "POST",
        "/what-if",
        "What a proposed policy changes against a base policy, school by school",
        _what_if,
        "what-if",
        "WhatIfRequest",
        lambda: {"histories": [_example_history()], "as_of": "2026-01-01", "proposed": _STRICT},
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
