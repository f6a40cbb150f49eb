"""The pages under ``/app`` over HTTP: forms, answers, refusals, escaping, languages."""

from __future__ import annotations

import html as markup
import json
import re
from collections.abc import Iterator
from datetime import date

import html5lib
import httpx
import pytest

from iqm_rules.auditing.record import dump_record, record_status
from iqm_rules.decisions.rules import rules
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.rules import lifecycle_rules
from serving import started

PAGES = ("/app", "/app/school", "/app/verify", "/app/rulebook")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("app") / "server.log"
    with (
        started(log, "--max-body-bytes", "200000") as running,
        httpx.Client(base_url=running.url, timeout=30) as opened,
    ):
        yield opened


def html(answer: httpx.Response, status: int = 200) -> str:
    """The page of ``answer``, checked: its status, HTML that parses strictly, its headers."""
    assert answer.status_code == status, answer.text[:2000]
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    html5lib.HTMLParser(strict=True).parse(answer.text)
    return answer.text


URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def elsewhere(text: str) -> list[str]:
    """Every URL of another host in a page (the SVG namespace names no place to load from)."""
    return [url for url in URL.findall(text) if url != "http://www.w3.org/2000/svg"]


def errors(text: str) -> list[str]:
    """The error summary's messages, as the page shows them."""
    summary = text.partition('class="error-summary"')[2].partition("</div>")[0]
    return re.findall(r'<li><a href="#[^"]+">([^<]*)</a></li>', summary)


def history(example: str = "first-award", **school: str) -> str:
    data = json.loads(example_text(example))
    data["school"].update(school)
    return json.dumps(data)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_english_with_nothing_from_another_host(
    client: httpx.Client, path: str
) -> None:
    text = html(client.get(path))
    assert '<html lang="en">' in text
    assert elsewhere(text) == []
    for link in re.findall(r'href="(/[^"#]*)', text):  # every link answers
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_welsh_when_the_browser_asks(client: httpx.Client, path: str) -> None:
    text = html(client.get(path, headers={"Accept-Language": "fr;q=0.9, cy-GB, en;q=0.5"}))
    assert '<html lang="cy">' in text
    assert "Iaith" in text  # "Language"
    assert html(client.get(path + "?lang=en", headers={"Accept-Language": "cy"})).count(
        '<html lang="en">'
    )


def test_the_home_page_of_the_service_links_to_the_pages(client: httpx.Client) -> None:
    assert '<a href="/app">' in client.get("/").text


def test_a_school_from_a_bundled_example(client: httpx.Client) -> None:
    form = {"example": "first-award", "as_of": "2025-09-01"}
    text = html(client.post("/app/school", files={"x": (None, "")}, data=form))
    assert errors(text) == []
    assert "<h1>Hollybrook Primary School</h1>" in text
    assert "Next steps" in text
    assert "Journey" in text
    assert "Decisions" in text
    assert "<svg" in text
    assert elsewhere(text) == []


def test_a_school_from_an_upload_with_its_downloads(client: httpx.Client) -> None:
    form = {"as_of": "2025-09-01"}
    upload = {"history_file": ("school.json", history().encode(), "application/json")}
    text = html(client.post("/app/school", data=form, files=upload))
    assert "<h1>Hollybrook Primary School</h1>" in text
    sent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text))
    fields = {name: markup.unescape(value) for name, value in sent.items()}
    report = client.post("/app/school/report", data=fields, files={"x": (None, "")})
    assert report.status_code == 200
    assert report.headers["content-disposition"].startswith("attachment;")
    assert "<h1>Hollybrook Primary School</h1>" in report.text
    status = client.post("/app/school/status.json", data=fields, files={"x": (None, "")})
    assert status.json()["as_of"] == "2025-09-01"


def test_a_pasted_history_and_a_policy(client: httpx.Client) -> None:
    policy = 'id = "strict"\neffective_from = 2000-01-01\ngrace_months = 1\n'
    text = html(
        client.post(
            "/app/school",
            data={"history_text": history(), "as_of": "2025-09-01"},
            files={"policy_file": ("strict.toml", policy.encode(), "text/plain")},
        )
    )
    assert "policy strict" in text


@pytest.mark.parametrize(
    ("form", "files", "field", "message"),
    [
        ({"as_of": "2025-09-01"}, {}, "history_file", "Choose a history file, paste one"),
        (
            {"as_of": "2025-09-01", "example": "first-award", "history_text": "{}"},
            {},
            "history_file",
            "Give one history",
        ),
        (
            {"as_of": "2025-09-01"},
            {"history_file": ("bad.json", b'{"school": {}}', "application/json")},
            "history_file",
            'bad.json: format: required key missing; allowed: "iqm-rules/history@1"',
        ),
        (
            {"as_of": "2025-09-01", "history_text": "nope"},
            {},
            "history_text",
            "history_text: malformed JSON at column 1: Expecting value",
        ),
        (
            {"as_of": "2025-13-01", "example": "first-award"},
            {},
            "as_of",
            "2025-13-01 is not a calendar date",
        ),
        (
            {"as_of": "2025-09-01", "example": "first-award"},
            {"policy_file": ("p.toml", b"x=\n", "text/plain")},
            "policy_file",
            "p.toml: malformed TOML: Invalid value (at line 1, column 3)",
        ),
        (
            {"as_of": "2025-09-01"},
            {"history_file": ("latin.json", b"\xff\xfe", "application/json")},
            "history_file",
            "latin.json: is not UTF-8 text",
        ),
    ],
)
def test_a_bad_school_form_shows_the_command_lines_error_by_its_field(
    client: httpx.Client,
    form: dict[str, str],
    files: dict[str, tuple[str, bytes, str]],
    field: str,
    message: str,
) -> None:
    text = html(client.post("/app/school", data=form, files=files or {"x": (None, "")}), 422)
    (shown,) = errors(text)
    assert shown.startswith(message.replace('"', "&#34;")), shown
    assert f'id="{field}-error"' in text
    assert f'aria-describedby="{field}-hint {field}-error"' in text or (
        f'aria-describedby="{field}-error"' in text
    )
    assert text.count("<title>Error:") == 1


def test_a_form_over_the_body_limit_is_refused_with_413(client: httpx.Client) -> None:
    big = {"history_file": ("big.json", b" " * 300_000, "application/json")}
    text = html(client.post("/app/school", data={"as_of": "2025-09-01"}, files=big), 413)
    assert errors(text) == ["The upload is larger than 200000 bytes"]


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_names_and_notes_are_shown_as_text(client: httpx.Client) -> None:
    data = json.loads(history(name=HOSTILE, id="URN-<b>1</b>"))
    data["events"].append({"type": "withdrawal", "on": "2025-01-01", "reason": HOSTILE})
    text = html(
        client.post(
            "/app/school",
            data={"history_text": json.dumps(data), "as_of": "2025-09-01"},
            files={"x": (None, "")},
        )
    )
    assert "<script" not in text
    assert "<img" not in text
    assert "<b>1" not in text
    assert "&lt;script&gt;" in text
    bad = html(
        client.post(
            "/app/school",
            data={"as_of": HOSTILE, "history_text": HOSTILE},
            files={"x": (None, "")},
        ),
        422,
    )
    assert "<script" not in bad
    assert "<img" not in bad


def _record() -> str:
    school = load_history(example_text("first-award"))
    return dump_record(record_status(school, date(2025, 9, 1)))


def test_verify_gives_each_records_verdict_in_words(client: httpx.Client) -> None:
    good = _record()
    upload = {"record_file": ("record.json", good.encode(), "application/json")}
    text = html(client.post("/app/verify", files=upload))
    assert "This record passes" in text
    assert "reproduces" in text
    forged = json.loads(good)
    forged["output"]["as_of"] = "2025-09-02"
    lines = f"{json.dumps(forged)}\n{good}\nnot json\n"
    upload = {"record_file": ("records.jsonl", lines.encode(), "application/json")}
    text = html(client.post("/app/verify", files=upload))
    assert "records.jsonl:1" in text
    assert "This record does not pass." in text
    assert "records.jsonl:2" in text
    assert "records.jsonl:3" in text
    assert "This record cannot be read." in text


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"x": (None, "")}, "Choose a file to upload"),
        (
            {"record_file": ("bad.json", b'{"school": {}}', "application/json")},
            "bad.json: unreadable: format: must be &#34;iqm-rules/record@2&#34;",
        ),
    ],
)
def test_a_bad_record_upload_shows_its_error_by_the_field(
    client: httpx.Client,
    files: dict[str, tuple[str | None, bytes | str, str] | tuple[None, str]],
    message: str,
) -> None:
    text = html(client.post("/app/verify", files=files), 422)
    (shown,) = errors(text)
    assert shown.startswith(message), shown
    assert 'id="record_file-error"' in text


def test_a_record_over_the_limit_is_413(client: httpx.Client) -> None:
    big = {"record_file": ("big.json", b" " * 300_000, "application/json")}
    assert errors(html(client.post("/app/verify", files=big), 413)) == [
        "The upload is larger than 200000 bytes"
    ]


BOOK = b"""
[[policies]]
id = "base"
effective_from = 2000-01-01
grace_months = 4
[[policies]]
id = "later"
effective_from = 2026-09-01
grace_months = 6
"""


def test_the_rulebook_shows_every_rule_and_its_parameters_values(client: httpx.Client) -> None:
    text = html(client.get("/app/rulebook?on=2025-09-01&parameter=grace_months"))
    for rule_id in [r.id for r in rules()] + [r.id for r in lifecycle_rules()]:
        assert f'<tr id="rule-{rule_id}">' in text
    assert "<code>grace_months</code> = <code>3</code>" in text


def test_the_rulebook_under_an_uploaded_book_and_a_parameters_history(
    client: httpx.Client,
) -> None:
    upload = {"policy_file": ("book.toml", BOOK, "text/plain")}
    form = {"on": "2026-09-01", "parameter": "grace_months"}
    text = html(client.post("/app/rulebook", data=form, files=upload))
    assert "<strong>later</strong>" in text
    assert "<code>grace_months</code> = <code>6</code>" in text
    assert "<td>base</td><td>2000-01-01</td><td><code>4</code>" in text
    assert "<td>later</td><td>2026-09-01</td><td><code>6</code>" in text


def test_a_bad_rulebook_form_shows_its_errors(client: httpx.Client) -> None:
    assert errors(html(client.get("/app/rulebook?on=2025-02-30"), 422)) == [
        "2025-02-30 is not a calendar date"
    ]
    upload = {"policy_file": ("p.toml", b"x=\n", "text/plain")}
    text = html(client.post("/app/rulebook", data={"on": "2025-09-01"}, files=upload), 422)
    assert errors(text)[0].startswith("p.toml: malformed TOML")
    big = {"policy_file": ("big.toml", b"#" * 300_000, "text/plain")}
    assert errors(html(client.post("/app/rulebook", files=big), 413)) == [
        "The upload is larger than 200000 bytes"
    ]
