"""The service's two pages for developers: ``/`` names it, ``/docs`` is its reference.

Both are plain HTML, made from the OpenAPI document (:mod:`iqm_rules.server.openapi`), with
their own small style sheet and no script: nothing is loaded from another host. ``/docs`` lists
every endpoint with its summary, an example request and the answer the service gives it (the
OpenAPI document's examples are the service's own answers), its error statuses, and every kind
of problem (``/docs#problem-invalid_record``), which a problem's ``type`` refers to.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from typing import Any, Final

from iqm_rules.server.endpoints import PROBLEM_MEDIA_TYPE, PROBLEM_TITLES, SHIPPED, VERSION
from iqm_rules.server.openapi import document
from iqm_rules.words import words

__all__ = ["docs_page", "home_page"]

_STYLE: Final = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;background:#fff}
a{color:#0b4f9c}a:focus{outline:3px solid #fd0;outline-offset:2px}
code,pre{font:14px/1.4 ui-monospace,monospace}
pre{background:#f3f3f3;padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
h2{border-top:1px solid #ccc;padding-top:1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.method{font-weight:bold;text-transform:uppercase}
"""


def _page(title: str, body: str, language: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


@cache
def home_page(language: str = "en") -> str:
    """``/``: the service's name, version and links, in ``language`` (``en``, ``cy``; the
    service chooses it by the request's ``Accept-Language``)."""
    said = words(language)
    links = [
        ("/app", said.gettext("Pages for assessors, the awards office and school leaders")),
        ("/docs", said.gettext("Reference: every endpoint with an example request and answer")),
        ("/openapi.json", said.gettext("The OpenAPI 3.1 document")),
        ("/health", said.gettext("Health and the formats this service speaks")),
        ("/examples", said.gettext("The bundled example histories")),
    ]
    items = "".join(f'<li><a href="{href}">{escape(what)}</a></li>\n' for href, what in links)
    schemas = ", ".join(f'<a href="/schemas/{escape(name)}">{escape(name)}</a>' for name in SHIPPED)
    every = escape(said.gettext("The JSON Schema of every document:"))
    items += f"<li>{every} {schemas}</li>\n"
    about = said.gettext(
        "Inclusion Quality Mark award eligibility and renewals, rule by rule: version %(version)s.",
        version=VERSION,
    )
    body = f"<h1>iqm-rules</h1>\n<p>{escape(about)}</p>\n<ul>\n{items}</ul>\n"
    return _page(f"iqm-rules {VERSION}", body, said.language)


def _json(value: object) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if len(text) > 4000:
        text = text[:4000] + "\n…"
    return f"<pre>{escape(text)}</pre>\n"


def _anchor(method: str, path: str) -> str:
    return f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}"


def _operation(method: str, path: str, operation: dict[str, Any]) -> str:
    out = [f'<h2 id="{_anchor(method, path)}"><span class="method">{escape(method)}</span> ']
    out.append(f"<code>{escape(path)}</code></h2>\n<p>{escape(operation['summary'])}</p>\n")
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if request is not None:
        out.append("<h3>Example request</h3>\n" + _json(request.get("example")))
    ok = operation["responses"]["200"]["content"]
    answer = next(iter(ok.values()))
    if "example" in answer:
        out.append("<h3>Its answer (200)</h3>\n" + _json(answer["example"]))
    errors = [
        (code, r["description"]) for code, r in operation["responses"].items() if code != "200"
    ]
    if errors:
        rows = "".join(
            f"<tr><td>{escape(code)}</td><td>{escape(why)}</td></tr>\n" for code, why in errors
        )
        out.append(
            f"<h3>Refusals ({escape(PROBLEM_MEDIA_TYPE)})</h3>\n"
            f"<table>\n<tr><th>status</th><th>when</th></tr>\n{rows}</table>\n"
        )
    return "".join(out)


@cache
def docs_page() -> str:
    """``/docs``: every endpoint of the OpenAPI document, then every kind of problem."""
    spec = document()
    contents, sections = [], []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            contents.append(
                f'<li><a href="#{_anchor(method, path)}">{escape(method.upper())} '
                f"<code>{escape(path)}</code></a></li>\n"
            )
            sections.append(_operation(method, path, operation))
    problems = "".join(
        f'<tr id="problem-{escape(error)}"><td><code>{escape(error)}</code></td>'
        f"<td>{escape(title)}</td></tr>\n"
        for error, title in PROBLEM_TITLES.items()
    )
    body = (
        f"<h1>iqm-rules {escape(VERSION)}: the reference</h1>\n"
        f"<p>{escape(spec['info'].get('description', ''))}</p>\n"
        '<p>Made from <a href="/openapi.json">the OpenAPI document</a>. Every request body is '
        "JSON, sent as <code>Content-Type: application/json</code>.</p>\n"
        f"<ul>\n{''.join(contents)}</ul>\n{''.join(sections)}"
        '<h2 id="problems">Problems</h2>\n'
        f"<p>Every refusal is an RFC 9457 problem details document, sent as "
        f"<code>{escape(PROBLEM_MEDIA_TYPE)}</code>: <code>type</code> refers to its kind below, "
        "<code>title</code>, <code>status</code> and <code>detail</code>, with the service's "
        "own <code>error</code>, <code>document</code>, <code>path</code> and "
        "<code>message</code>.</p>\n"
        f"<table>\n<tr><th><code>error</code></th><th>title</th></tr>\n{problems}</table>\n"
    )
    return _page(f"iqm-rules {VERSION}: reference", body)
