"""``serve --log LOG`` over real HTTP: status on request and the head, read-only."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import jsonschema
import pytest

from iqm_rules import dump_record, example_text, load_history, record_status
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.standing import Standing, standing
from iqm_rules.server.openapi import document
from logs import read, written
from serving import Server, started

SCHOOL = "URN-140876"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("office") / "office.log"
    history = load_history(example_text("flagship-journey"))
    written(path, [dump_record(record_status(history, date(2025, 9, 1)))])
    return path


@pytest.fixture(scope="module")
def server(log: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with started(tmp_path_factory.mktemp("server") / "server.log", "--log", str(log)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as opened:
        yield opened


def _valid(answer: object, name: str) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    jsonschema.Draft202012Validator(schema).validate(answer)


def test_a_school_s_status_is_the_library_s_answer(client: httpx.Client, log: Path) -> None:
    response = client.get(f"/schools/{SCHOOL}/status", params={"as_of": "2025-10-01"})
    assert response.status_code == 200, response.text
    with SQLiteStore.read_only(str(log)) as store:
        expected = standing(store.entries(SCHOOL), SCHOOL, date(2025, 10, 1))
    assert isinstance(expected, Standing)
    assert response.json() == expected.document()
    _valid(response.json(), "LogStatus")
    assert response.json()["entry"]["signature"] is None


def test_without_as_of_the_status_is_today_s(client: httpx.Client) -> None:
    response = client.get(f"/schools/{SCHOOL}/status")
    today = date.today().isoformat()
    if response.status_code == 200:  # the log's one record covers to 2026-09-30
        assert response.json()["as_of"] == today
    else:
        assert f"covers {today}" in response.json()["message"]


def test_a_school_the_log_does_not_know_is_404(client: httpx.Client) -> None:
    response = client.get("/schools/URN-000000/status", params={"as_of": "2025-10-01"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/docs#problem-not_found",
        "title": "No such resource",
        "status": 404,
        "detail": "the log holds no record of school URN-000000",
        "error": "not_found",
        "document": "request",
        "path": "id",
        "message": "the log holds no record of school URN-000000",
    }
    uncovered = client.get(f"/schools/{SCHOOL}/status", params={"as_of": "2030-01-01"})
    assert uncovered.status_code == 404
    assert "covers 2025-09-01 to 2026-09-30" in uncovered.json()["message"]


def test_a_bad_date_is_422(client: httpx.Client) -> None:
    response = client.get(f"/schools/{SCHOOL}/status", params={"as_of": "2025-02-30"})
    assert response.status_code == 422
    assert response.json()["path"] == "as_of"


def test_the_head_is_the_log_s(client: httpx.Client, log: Path) -> None:
    (entry,) = read(log)
    answer = client.get("/log/head").json()
    assert answer == {"sequence": 1, "hash": entry.hash, "written_at": entry.written_at}
    _valid(answer, "LogHead")


def test_nothing_a_client_sends_writes_to_the_log(client: httpx.Client, log: Path) -> None:
    before = log.read_bytes()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/log/head", f"/schools/{SCHOOL}/status", "/log"):
            response = client.request(method, path, json={"record": "x"})
            assert response.status_code in (404, 405), (method, path)
    assert log.read_bytes() == before


def test_entries_appended_meanwhile_are_seen_by_the_next_request(tmp_path: Path, log: Path) -> None:
    path = tmp_path / "live.log"
    history = load_history(example_text("flagship-journey"))
    written(path, [dump_record(record_status(history, date(2025, 9, 1)))])
    with (
        started(tmp_path / "server.log", "--log", str(path)) as running,
        httpx.Client(base_url=running.url, timeout=10) as client,
    ):
        assert client.get("/log/head").json()["sequence"] == 1
        written(path, [dump_record(record_status(history, date(2025, 9, 2)))])
        assert client.get("/log/head").json()["sequence"] == 2
        answer = client.get(f"/schools/{SCHOOL}/status", params={"as_of": "2025-09-05"})
        assert answer.json()["entry"]["sequence"] == 2


def test_without_a_log_the_endpoints_are_absent(tmp_path: Path) -> None:
    with (
        started(tmp_path / "server.log") as running,
        httpx.Client(base_url=running.url, timeout=10) as client,
    ):
        assert client.get("/log/head").status_code == 404
        assert client.get(f"/schools/{SCHOOL}/status").status_code == 404


def test_a_file_that_is_not_a_log_stops_the_service_before_it_starts(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("no log here\n" * 50, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "iqm_rules", "serve", "--log", str(notes), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"iqm-rules: error: --log: {notes}: not a decision log (not a SQLite database)\n"
    )


def test_the_openapi_document_describes_the_log_endpoints() -> None:
    paths = document()["paths"]
    status = paths["/schools/{id}/status"]["get"]
    assert [p["name"] for p in status["parameters"]] == ["id", "as_of"]
    assert "422" in status["responses"]
    example = status["responses"]["200"]["content"]["application/json"]["example"]
    assert example["school_id"] == SCHOOL
    assert json.loads(json.dumps(paths["/log/head"]["get"]["responses"]["200"]))
