"""One document per answer: every surface gives the same JSON, byte for byte, to one question.

The surfaces: the command line (``status --json``, ``decide --json``, ``timeline --json``), a
``batch`` line, a record's output, and the web service (a real server over loopback). The
questions: every bundled example, and generated histories, at several dates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iqm_rules.assessment import Assessment
from iqm_rules.auditing.record import record_decision, record_status
from iqm_rules.cli import main
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import dump_history, load_history
from iqm_rules.interchange.answers import decision_answer, status_answer, timeline_answer
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.testing import school_histories
from serving import started
from strategies import last_date

DATES = (date(2019, 1, 1), date(2025, 9, 1), date(2031, 2, 28))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("answers") / "server.log"
    with (
        started(log, "--max-body-bytes", "4000000") as running,
        httpx.Client(base_url=running.url, timeout=30) as opened,
    ):
        yield opened


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return out.rstrip("\n")


def _served(client: httpx.Client, path: str, body: dict[str, object]) -> str:
    answer = client.post(path, json=body)
    assert answer.status_code == 200, answer.text
    return answer.content.decode("utf-8")


def _every_surface_agrees(
    history: SchoolHistory,
    on: date,
    folder: Path,
    client: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = dump_history(history)
    file = folder / "school.json"
    file.write_text(text, encoding="utf-8")
    document = json.loads(text)
    expected = status_answer(history, on)
    as_of = on.isoformat()
    assert _cli(capsys, "status", str(file), "--as-of", as_of, "--json") == expected
    lines = folder / "schools.jsonl"
    lines.write_text(text + "\n", encoding="utf-8")
    assert _cli(capsys, "batch", str(lines), "--as-of", as_of) == expected
    assert record_status(history, on).output == expected
    assert _served(client, "/status", {"history": document, "as_of": as_of}) == expected
    timeline = timeline_answer(history, as_of=on)
    assert _cli(capsys, "timeline", str(file), "--as-of", as_of, "--json") == timeline
    assert _served(client, "/timeline", {"history": document, "as_of": as_of}) == timeline
    for event in history.events:
        if not isinstance(event, Assessment):
            continue
        decision = decision_answer(history, event.id)
        assert _cli(capsys, "decide", str(file), "--assessment", event.id, "--json") == decision
        assert record_decision(history, event.id).output == decision
        body = {"history": document, "assessment": event.id}
        assert _served(client, "/decide", body) == decision


@pytest.mark.parametrize("name", examples())
def test_every_surface_gives_one_answer_for_every_example(
    name: str, tmp_path: Path, client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    history = load_history(example_text(name))
    for on in DATES:
        _every_surface_agrees(history, on, tmp_path, client, capsys)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=school_histories(), days=st.integers(-400, 2000))
def test_every_surface_gives_one_answer_for_generated_histories(
    history: SchoolHistory,
    days: int,
    tmp_path: Path,
    client: httpx.Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    on = date.fromordinal(last_date(history).toordinal() + days)
    try:
        status_answer(history, on)
    except InvalidRecord:
        return  # a history the rules refuse (§7.1) is refused alike everywhere (tested apart)
    _every_surface_agrees(history, on, tmp_path, client, capsys)
