"""The pages' templates (Jinja2, autoescaped) and what every page is sent with.

The templates are in ``templates/``; the report page's template (``iqm_rules.office``'s
``report.html.j2``) is found beside them, so that the school page shows a report from the one
template ``iqm-rules report`` fills. Every page is HTML in the reader's language, with a
Content-Security-Policy that lets nothing load from another host and no script run.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Final

import jinja2
from markupsafe import Markup
from starlette.responses import HTMLResponse

from iqm_rules.office.report import Page
from iqm_rules.server.site.texts import texts
from iqm_rules.words import words

__all__ = ["HEADERS", "page", "report_parts"]

HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Vary": "Accept-Language",
}
"""The headers of every page: nothing from another host, no script, no framing."""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("iqm_rules.server.site", "templates"),
                jinja2.PackageLoader("iqm_rules.office", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _report_environment(language: str) -> jinja2.Environment:
    """The report's template as ``iqm-rules report`` fills it: its texts in ``language``."""
    said = words(language)
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("iqm_rules.office", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        said.gettext, said.ngettext, newstyle=True, pgettext=said.pgettext
    )
    return environment


def report_parts(data: Page, language: str) -> tuple[Markup, Markup]:
    """The style and the body of the report page of ``data``, from its own template's
    ``style`` and ``report`` blocks, in ``language`` (the page was made in it)."""
    template = _report_environment(language).get_template("report.html.j2")
    context = template.new_context({"page": data})
    style = Markup("".join(template.blocks["style"](context)))
    body = Markup("".join(template.blocks["report"](context)))
    return style, body


def page(
    name: str,
    language: str,
    status_code: int = 200,
    errors: Mapping[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """The page of template ``name`` in ``language``, with ``errors`` by field id."""
    text = (
        _environment()
        .get_template(name)
        .render(
            t=texts(language),
            lang=language,
            other="cy" if language == "en" else "en",
            errors=dict(errors or {}),
            **values,
        )
    )
    headers = {**HEADERS, "Content-Language": language}
    return HTMLResponse(text, status_code, headers)
