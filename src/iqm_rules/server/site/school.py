"""``/app/school``: a school's report, from an uploaded, pasted or bundled history.

The page shows what ``iqm-rules report`` writes (status, next steps, the journey, every
decision with its findings and what to fix), from the report's own template, and offers the
report page and the status JSON for download: the inputs travel back in the form, since
nothing uploaded is kept.
"""

from __future__ import annotations

from datetime import date

from starlette.responses import Response

from iqm_rules.errors import IQMRulesError
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import load_history, load_policy
from iqm_rules.interchange.answers import status_answer
from iqm_rules.interchange.examples import example_text
from iqm_rules.office.report import page, render_html
from iqm_rules.policy import Policy, PolicyBook
from iqm_rules.server.site.forms import Form, Refused, as_of, text_of
from iqm_rules.server.site.texts import said
from iqm_rules.words import words

__all__ = ["Inputs", "history_of", "inputs_of", "policy_of", "report_download", "status_download"]


def history_of(form: Form, language: str) -> tuple[str, str]:
    """The history's text and the name it goes by: an upload, a pasted text or an example."""
    upload = form.files.get("history_file")
    pasted = form.text("history_text").strip()
    example = form.text("example")
    given = [source for source in (upload, pasted, example) if source]
    if not given:
        raise Refused("history_file", said(words(language), "no_history"))
    if len(given) > 1:
        raise Refused("history_file", said(words(language), "two_histories"))
    if upload is not None:
        return text_of(upload, "history_file"), upload.filename
    if pasted:
        return pasted, "history_text"
    try:
        return example_text(example), example
    except IQMRulesError as error:
        raise Refused("example", str(error)) from None


def policy_of(
    form: Form, field: str, default: Policy | PolicyBook
) -> tuple[Policy | PolicyBook, str]:
    """The policy uploaded in ``field`` (or sent back as ``field + '_text'``), with its text;
    ``default`` and ``""`` if none was."""
    upload = form.files.get(field)
    text = text_of(upload, field) if upload is not None else form.text(f"{field}_text")
    if not text.strip():
        return default, ""
    name = upload.filename if upload is not None else field
    try:
        return load_policy(text), text
    except IQMRulesError as error:
        raise Refused(field, f"{name}: {error}") from None


class Inputs:
    """A school page's inputs, read field by field; ``errors`` holds each field's refusal."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        self.history: SchoolHistory | None = None
        self.history_text = ""
        self.as_of: date | None = None
        self.as_of_text = ""
        self.policy: Policy | PolicyBook | None = None
        self.policy_text = ""
        self.language = "en"


def inputs_of(form: Form, language: str, default: Policy | PolicyBook) -> Inputs:
    """Every input of the school form, or the one-line error of each field that is wrong."""
    got = Inputs()
    got.language = language
    try:
        text, name = history_of(form, language)
        got.history_text = text
        try:
            got.history = load_history(text)
        except IQMRulesError as error:
            raise Refused(
                "history_text" if name == "history_text" else "history_file", f"{name}: {error}"
            ) from None
    except Refused as refused:
        got.errors[refused.field] = refused.message
    got.as_of_text = form.text("as_of")
    try:
        got.as_of = as_of(got.as_of_text)
    except Refused as refused:
        got.errors[refused.field] = refused.message
    try:
        got.policy, got.policy_text = policy_of(form, "policy_file", default)
    except Refused as refused:
        got.errors[refused.field] = refused.message
    return got


def report_download(got: Inputs) -> Response:
    """The report page as ``iqm-rules report`` writes it, as a file to save."""
    assert got.history is not None
    assert got.as_of is not None
    assert got.policy is not None
    said = words(got.language)
    text = render_html(page(got.history, got.as_of, got.policy, said), said)
    return _attachment(text, "text/html; charset=utf-8", f"{_name(got)}-report.html")


def status_download(got: Inputs) -> Response:
    """The ``iqm-rules/status@1`` document, as ``iqm-rules status --json`` prints it."""
    assert got.history is not None
    assert got.as_of is not None
    assert got.policy is not None
    text = status_answer(got.history, got.as_of, got.policy)
    return _attachment(text, "application/json", f"{_name(got)}-status.json")


def _name(got: Inputs) -> str:
    assert got.history is not None
    assert got.as_of is not None
    safe = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in got.history.school.id
    )
    return f"{safe or 'school'}-{got.as_of.isoformat()}"


def _attachment(text: str, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(text.encode("utf-8"), 200, headers, media_type=media_type)
