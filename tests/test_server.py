"""The web service over real HTTP: every endpoint with every bundled example, byte for byte."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate

from iqm_rules import (
    Assessment,
    dump_decision,
    dump_history,
    dump_status,
    example_text,
    examples,
    load_history,
    rules,
    schema,
    status,
    timeline,
)
from iqm_rules.auditing import whatif
from iqm_rules.auditing.audit_report import audit_school, report_json, summarise
from iqm_rules.auditing.record import dump_record, record_decision, record_status
from iqm_rules.auditing.verify import dump_verifications, verify
from iqm_rules.interchange import unstructure
from iqm_rules.interchange.answers import status_answer
from iqm_rules.interchange.formats import timeline_document
from iqm_rules.office.plans import dump_readiness, load_plan, plan_of, plan_readiness
from iqm_rules.policy import FlagshipBoundary, Policy
from iqm_rules.server.endpoints import SHIPPED, VERSION
from iqm_rules.server.openapi import document
from serving import Server, started

AS_OF = "2025-09-01"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with started(log, "--max-body-bytes", "2000000") as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as opened:
        yield opened


def _history(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(example_text(name))
    return loaded


def _assessments(name: str) -> list[Assessment]:
    return [e for e in load_history(example_text(name)).events if isinstance(e, Assessment)]


def _ok(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-iqm-rules-version"] == VERSION
    return response.content.decode("utf-8")


@pytest.mark.parametrize("name", examples())
def test_status_is_the_library_s(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    for as_of in ("2019-01-01", AS_OF, "2031-02-28"):
        got = _ok(client.post("/status", json={"history": _history(name), "as_of": as_of}))
        assert got == status_answer(history, date.fromisoformat(as_of))  # as status --json


@pytest.mark.parametrize("name", examples())
def test_decide_is_the_library_s_for_every_assessment(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    for assessment in _assessments(name):
        got = _ok(
            client.post("/decide", json={"history": _history(name), "assessment": assessment.id})
        )
        report = status(history, assessment.held_on)
        wanted = next(d for d in report.decisions if d.assessment_id == assessment.id)
        assert got == dump_decision(wanted)


@pytest.mark.parametrize("name", examples())
def test_timeline_is_the_library_s(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    changes = timeline(history)
    got = _ok(client.post("/timeline", json={"history": _history(name)}))
    assert got == timeline_document(history.school.id, changes)
    assert len(json.loads(got)["changes"]) == len(changes)
    middle = changes[len(changes) // 2].on
    cut = _ok(
        client.post("/timeline", json={"history": _history(name), "as_of": middle.isoformat()})
    )
    assert cut == timeline_document(history.school.id, changes, middle)  # as timeline --json
    assert [c["happened"] for c in json.loads(cut)["changes"]] == [c.on <= middle for c in changes]


@pytest.mark.parametrize("name", examples())
def test_readiness_of_each_assessment_is_the_library_s(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    for assessment in _assessments(name):
        body = {"history": _history(name), "assessment": assessment.id}
        got = _ok(client.post("/readiness", json=body))
        jsonschema.validate(json.loads(got), schema("readiness"))
        plan = plan_of(history, assessment.id)
        assert got == dump_readiness(plan, plan_readiness(plan))
        decision = next(
            d
            for d in status(history, assessment.held_on).decisions
            if d.assessment_id == assessment.id
        )
        states = {f["rule"]: f["state"] for f in json.loads(got)["findings"]}
        for finding in decision.findings:
            if not next(r for r in rules() if r.id == finding.rule).needs_judgement:
                assert states[finding.rule] == ("met" if finding.passed else "not_met"), finding


@pytest.mark.parametrize("name", examples())
def test_readiness_of_a_plan_is_what_the_command_line_prints(
    client: httpx.Client, name: str
) -> None:
    """A history read as a plan (its last assessment planned), and the same as planned@1."""
    got = _ok(client.post("/readiness", json={"plan": _history(name)}))
    plan = load_plan(_history(name))
    assert got == dump_readiness(plan, plan_readiness(plan))
    jsonschema.validate(json.loads(got), schema("readiness"))
    planned = {
        "format": "iqm-rules/planned@1",
        "school": _history(name)["school"],
        "held_on": plan.held_on.isoformat(),
        "level_sought": plan.level_sought.value,
        "kind": plan.kind.value,
        "evidence": [unstructure(item) for item in plan.evidence],
        "commitments": sorted(c.value for c in plan.commitments),
        "cluster_meetings_attended": plan.cluster_meetings_attended,
        "events": json.loads(dump_history(plan.history))["events"],
    }
    jsonschema.validate(planned, schema("planned"))
    assert _ok(client.post("/readiness", json={"plan": planned})) == got


@pytest.mark.parametrize("name", examples())
def test_audit_is_the_command_line_s_report(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    got = _ok(client.post("/audit", json={"history": _history(name)}))
    assert got == report_json(summarise([audit_school(history, location="history")]))
    jsonschema.validate(json.loads(got), schema("audit-report"))


def test_audit_reports_a_disagreement(client: httpx.Client) -> None:
    history = _history("first-award")
    events = history["events"]
    assert isinstance(events, list)
    events[0]["recorded_outcome"] = {"awarded_level": "flagship"}
    got = json.loads(_ok(client.post("/audit", json={"history": history})))
    assert [d["recorded"] for d in got["disagreements"]] == ["flagship"]
    assert (got["compared"], got["agreed"], got["disagreed"]) == (1, 0, 1)
    jsonschema.validate(got, schema("audit-report"))


@pytest.mark.parametrize("name", examples())
def test_verify_is_the_library_s(client: httpx.Client, name: str) -> None:
    history = load_history(example_text(name))
    first = _assessments(name)[0]
    records = [record_status(history, date(2025, 9, 1)), record_decision(history, first.id)]
    documents = [json.loads(dump_record(r)) for r in records]
    one = _ok(client.post("/verify", json=documents[0]))
    assert one == dump_verifications([verify(records[0])])
    both = _ok(client.post("/verify", json=documents))
    assert both == dump_verifications(verify(r) for r in records)
    got = json.loads(both)
    jsonschema.validate(got, schema("verification"))
    assert [r["verdict"] for r in got["records"]] == ["reproduces", "reproduces"]


def test_verify_names_what_was_tampered_with(client: httpx.Client) -> None:
    record = json.loads(
        dump_record(record_status(load_history(example_text("first-award")), date(2025, 9, 1)))
    )
    record["output"]["level"] = "flagship"
    got = json.loads(_ok(client.post("/verify", json=[record])))
    assert got["records"][0]["verdict"] == "tampered"
    assert got["records"][0]["tampered"] == ["output"]


def test_a_bad_record_in_a_list_is_named_by_its_place(client: httpx.Client) -> None:
    record = json.loads(
        dump_record(record_status(load_history(example_text("first-award")), date(2025, 9, 1)))
    )
    response = client.post("/verify", json=[record, {**record, "question": {"kind": "x"}}])
    assert response.status_code == 422
    error = response.json()
    assert error["document"] == "record"
    assert error["path"].startswith("[1].question")


def test_what_if_is_what_the_command_line_prints(client: httpx.Client) -> None:
    strict = {
        "format": "iqm-rules/policy@1",
        "id": "strict",
        "effective_from": "2000-01-01",
        "flagship_boundary": "more_than",
    }
    body = {
        "histories": [_history(n) for n in examples()],
        "as_of": "2026-01-01",
        "proposed": strict,
    }
    got = _ok(client.post("/what-if", json=body))
    histories = [load_history(example_text(n)) for n in examples()]
    proposed = Policy(id="strict", flagship_boundary=FlagshipBoundary.MORE_THAN)
    changes = list(whatif.compare(histories, date(2026, 1, 1), Policy(), proposed))
    changed = [c for c in changes if not c.unchanged]
    assert json.loads(got) == json.loads(whatif.json_text(changed, whatif.summarise(changes)))
    jsonschema.validate(json.loads(got), schema("what-if"))
    assert json.loads(got)["schools"], "the stricter boundary changes a school"
    same = _ok(client.post("/what-if", json={**body, "base": strict}))
    assert json.loads(same)["schools"] == []


def test_what_if_names_a_bad_history_by_its_place(client: httpx.Client) -> None:
    bad = _history("first-award")
    bad["school"] = {"id": "URN-1"}
    body = {"histories": [_history("first-award"), bad], "as_of": "2026-01-01", "proposed": {}}
    response = client.post("/what-if", json=body)
    assert response.status_code == 422
    assert response.json()["path"] == "histories[1].school.name"


def test_a_request_policy_is_used(client: httpx.Client) -> None:
    policy = {
        "format": "iqm-rules/policy@1",
        "policies": [{"id": "strict-2020", "effective_from": "2000-01-01", "grace_months": 0}],
    }
    body = {"history": _history("first-award"), "as_of": AS_OF, "policy": policy}
    assert json.loads(_ok(client.post("/status", json=body)))["policy_id"] == "strict-2020"


def test_get_endpoints(client: httpx.Client) -> None:
    listed = json.loads(_ok(client.get("/rules")))
    assert [r["id"] for r in listed] == [r.id for r in rules()]
    assert json.loads(_ok(client.get("/examples"))) == list(examples())
    for name in examples():
        assert _ok(client.get(f"/examples/{name}")) == dump_history(
            load_history(example_text(name))
        )
    for shipped in SHIPPED:
        assert json.loads(_ok(client.get(f"/schemas/{shipped}"))) == schema(shipped)
    assert json.loads(_ok(client.get("/health"))) == {"status": "ok"}
    assert json.loads(_ok(client.get("/version")))["iqm_rules"] == VERSION
    assert json.loads(_ok(client.get("/openapi.json"))) == document()


def test_responses_are_canonical(client: httpx.Client) -> None:
    text = _ok(client.get("/version"))
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))


def _logged(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def test_every_request_is_logged_as_a_json_line(server: Server, client: httpx.Client) -> None:
    client.get("/health?probe=log")
    client.get("/no-such-page")
    wanted = {("GET", "/health", 200), ("GET", "/no-such-page", 404)}
    # The server writes a request's line once the response is on its way, so the client may
    # read the log before the last line is there: wait for it, a few seconds at most.
    deadline = time.monotonic() + 10
    lines = _logged(server.log)
    while not wanted <= {(x["method"], x["path"], x["status"]) for x in lines}:
        assert time.monotonic() < deadline, f"not logged: {wanted}; the log: {lines}"
        time.sleep(0.05)
        lines = _logged(server.log)
    assert all(line["duration_ms"] >= 0 for line in lines)


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    response = client.get("/health", headers={"Origin": "https://tool.example"})
    assert "access-control-allow-origin" not in response.headers


def test_the_openapi_document_is_valid() -> None:
    validate(document())


def _operations() -> Iterator[tuple[str, dict[str, object]]]:
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def _validator(reference: dict[str, str]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**reference, "components": document()["components"]})


@pytest.mark.parametrize(("name", "operation"), list(_operations()))
def test_every_example_of_the_openapi_document_fits_its_schema(
    name: str, operation: dict[str, object]
) -> None:
    body = operation.get("requestBody")
    if isinstance(body, dict):
        content = body["content"]["application/json"]
        _validator(content["schema"]).validate(content["example"])
        broken = {**content["example"], "unexpected": 1}
        assert not _validator(content["schema"]).is_valid(broken)
    answer = operation["responses"]["200"]["content"]["application/json"]  # type: ignore[index]
    if "example" in answer:
        _validator(answer["schema"]).validate(answer["example"])


def test_a_bad_answer_fails_its_schema() -> None:
    wrong = json.loads(
        dump_status(
            status(
                load_history(example_text("first-award")), __import__("datetime").date(2025, 1, 1)
            )
        )
    )
    wrong["level"] = "platinum"
    assert not _validator({"$ref": "#/components/schemas/status"}).is_valid(wrong)
