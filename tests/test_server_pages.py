"""``/`` and ``/docs``: HTML pages for developers, every link working, nothing from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import html5lib
import httpx
import pytest

from iqm_rules.server.endpoints import PROBLEM_TITLES, VERSION
from iqm_rules.server.openapi import document
from serving import started


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("pages") / "server.log"
    with started(log) as running, httpx.Client(base_url=running.url, timeout=30) as opened:
        yield opened


def _page(client: httpx.Client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(answer.text)  # raises on any parse error
    return answer.text


HREF = re.compile(r'(?:href|src)="([^"]*)"')


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_each_page_is_html_in_english_whose_links_all_answer(
    client: httpx.Client, path: str, tmp_path: Path
) -> None:
    text = _page(client, path)
    assert '<html lang="en">' in text
    assert VERSION in text
    links = HREF.findall(text)
    assert links
    ids = set(re.findall(r'id="([^"]+)"', text))
    for link in links:
        assert not link.startswith(("http:", "https:", "//")), f"{link}: from another host"
        where, _, anchor = link.partition("#")
        if where:
            assert client.get(where).status_code == 200, link
        if anchor and where in ("", path):
            assert anchor in ids, link


def test_the_reference_shows_every_endpoint_with_its_examples(client: httpx.Client) -> None:
    text = _page(client, "/docs")
    for path, methods in document()["paths"].items():
        for method in methods:
            assert f'<span class="method">{method}</span> <code>{path}</code>' in text
    assert text.count("<h3>Example request</h3>") == sum(
        "requestBody" in op for methods in document()["paths"].values() for op in methods.values()
    )
    assert "Its answer (200)" in text


def test_every_problem_type_is_an_entry_of_the_reference(client: httpx.Client) -> None:
    text = _page(client, "/docs")
    for error, title in PROBLEM_TITLES.items():
        assert f'<tr id="problem-{error}"><td><code>{error}</code></td><td>{title}</td>' in text
    refused = client.post("/status", json={"history": 1, "as_of": "2025-09-01"})
    problem = refused.json()
    assert refused.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "/docs#problem-invalid_record"
    assert f'id="{problem["type"].partition("#")[2]}"' in text


@pytest.mark.parametrize(
    ("accept", "language"),
    [("cy", "cy"), ("cy-GB, en;q=0.5", "cy"), ("fr, en;q=0.9, cy;q=0.8", "en"), (None, "en")],
)
def test_the_home_page_is_in_the_language_the_request_accepts(
    client: httpx.Client, accept: str | None, language: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    answer = client.get("/", headers=headers)
    assert answer.status_code == 200
    assert f'<html lang="{language}">' in answer.text
    assert answer.headers["content-language"] == language
    assert "accept-language" in answer.headers["vary"].lower()
    assert ("Cyfeirnod" in answer.text) is (language == "cy")
    assert client.get("/health", headers=headers).json() == client.get("/health").json()
