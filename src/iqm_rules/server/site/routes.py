"""The routes under ``/app``: each page's form (GET) and its answer (POST).

Every handler reads the form in memory (:func:`~iqm_rules.server.site.forms.form_of`), within
the service's body limit; a page whose inputs are wrong is answered 422 with the form again,
each field's one-line error beside it and an error summary at the top; a form over the limit
is answered 413 the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iqm_rules.errors import IQMRulesError
from iqm_rules.interchange.examples import examples
from iqm_rules.office.report import page as report_page
from iqm_rules.policy import Policy, PolicyBook
from iqm_rules.server.endpoints import VERSION
from iqm_rules.server.site import rulebook, school, verifying
from iqm_rules.server.site.forms import Form, Refused, TooLarge, as_of, form_of, language
from iqm_rules.server.site.render import page, report_parts
from iqm_rules.server.site.texts import said
from iqm_rules.words import words

__all__ = ["routes"]

Handler = Callable[[Request], Awaitable[Response]]


def _example_options() -> list[tuple[str, str]]:
    return [(name, name) for name in examples()]


def routes(policy: Policy | PolicyBook, limit: int) -> list[Route]:
    """The pages, deciding with ``policy`` when a form brings none, reading at most ``limit``
    bytes of a form."""

    async def read(request: Request, field: str) -> Form | Response:
        try:
            return await form_of(request, limit)
        except TooLarge:
            lang = language(request)
            message = said(words(lang), "too_large", limit=limit)
            return _school_form(lang, {field: message}, status_code=413)

    async def home(request: Request) -> Response:
        return page("index.html.j2", language(request), here="", version=VERSION)

    async def school_form(request: Request) -> Response:
        return _school_form(language(request), {})

    async def school_answer(request: Request) -> Response:
        form = await read(request, "history_file")
        if isinstance(form, Response):
            return form
        lang = language(request)
        got = school.inputs_of(form, lang, policy)
        if got.errors:
            return _school_form(lang, got.errors, form, 422)
        assert got.history is not None
        assert got.as_of is not None
        assert got.policy is not None
        history, as_of, book = got.history, got.as_of, got.policy
        try:
            said = words(lang)
            data = await anyio.to_thread.run_sync(lambda: report_page(history, as_of, book, said))
        except IQMRulesError as error:  # a rule error of the history (section 7.1)
            return _school_form(lang, {"history_file": str(error)}, form, 422)
        style, body = report_parts(data, lang)
        return page(
            "school.html.j2",
            lang,
            here="school",
            version=VERSION,
            report=body,
            report_style=style,
            school=history.school.name or history.school.id,
            history_text=got.history_text,
            policy_text=got.policy_text,
            pasted="",
            example="",
            examples=_example_options(),
            as_of=as_of.isoformat(),
        )

    def download(make: Callable[[school.Inputs], Response]) -> Handler:
        async def handle(request: Request) -> Response:
            form = await read(request, "history_file")
            if isinstance(form, Response):
                return form
            lang = language(request)
            got = school.inputs_of(form, lang, policy)
            if got.errors:
                return _school_form(lang, got.errors, form, 422)
            return await anyio.to_thread.run_sync(make, got)

        return handle

    async def verify_form(request: Request) -> Response:
        return page("verify.html.j2", language(request), here="verify", version=VERSION, results=[])

    async def verify_answer(request: Request) -> Response:
        lang = language(request)
        try:
            form = await form_of(request, limit)
            results = await anyio.to_thread.run_sync(verifying.checked, form, lang)
        except TooLarge:
            errors = {verifying.FIELD: said(words(lang), "too_large", limit=limit)}
            return page(
                "verify.html.j2", lang, 413, errors, here="verify", version=VERSION, results=[]
            )
        except Refused as refused:
            errors = {refused.field: refused.message}
            return page(
                "verify.html.j2", lang, 422, errors, here="verify", version=VERSION, results=[]
            )
        return page("verify.html.j2", lang, here="verify", version=VERSION, results=results)

    def rules_page(lang: str, form: Form, status_code: int = 200, **errors: str) -> Response:
        found = dict(errors)
        try:
            on = as_of(form.text("on") or date.today().isoformat(), "on")
        except Refused as refused:
            found[refused.field] = refused.message
            on = date.today()
        book, text = policy, ""
        if "policy_file" not in found:
            try:
                book, text = school.policy_of(form, "policy_file", policy)
            except Refused as refused:
                found[refused.field] = refused.message
        shown = rulebook.shown(book, on, form.text("parameter"), lang)
        return page(
            "rulebook.html.j2",
            lang,
            422 if found and status_code == 200 else status_code,
            found,
            here="rulebook",
            version=VERSION,
            shown=shown,
            on=form.text("on") or on.isoformat(),
            policy_text=text,
            parameters=[(name, name) for name in rulebook.PARAMETER_NAMES],
        )

    async def rules_form(request: Request) -> Response:
        return rules_page(language(request), Form(dict(request.query_params), {}))

    async def rules_answer(request: Request) -> Response:
        lang = language(request)
        try:
            form = await form_of(request, limit)
        except TooLarge:
            too_large = said(words(lang), "too_large", limit=limit)
            return rules_page(lang, Form({}, {}), 413, policy_file=too_large)
        return rules_page(lang, form)

    return [
        Route("/app", home, methods=["GET"]),
        Route("/app/rulebook", rules_form, methods=["GET"]),
        Route("/app/rulebook", rules_answer, methods=["POST"]),
        Route("/app/verify", verify_form, methods=["GET"]),
        Route("/app/verify", verify_answer, methods=["POST"]),
        Route("/app/school", school_form, methods=["GET"]),
        Route("/app/school", school_answer, methods=["POST"]),
        Route("/app/school/report", download(school.report_download), methods=["POST"]),
        Route("/app/school/status.json", download(school.status_download), methods=["POST"]),
    ]


def _school_form(
    lang: str, errors: dict[str, str], form: Form | None = None, status_code: int = 200
) -> Response:
    values: dict[str, Any] = {
        "pasted": form.text("history_text") if form else "",
        "example": form.text("example") if form else "",
        "as_of": form.text("as_of") if form else date.today().isoformat(),
    }
    return page(
        "school.html.j2",
        lang,
        status_code,
        errors,
        here="school",
        version=VERSION,
        report=None,
        examples=_example_options(),
        **values,
    )
