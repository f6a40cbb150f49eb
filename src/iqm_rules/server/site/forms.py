"""What a page's form sent, read in memory: fields and uploads, the language asked for.

A form posted as ``multipart/form-data`` (a file upload) or ``application/x-www-form-urlencoded``
is read as the API reads a body: in chunks, refused once it passes the service's size limit,
and never written to disk (the standard library's :mod:`email` parser splits the parts, held
as bytes). A :class:`Form` holds what was sent; a :class:`Refused` is one field's one-line
error, shown beside that field and in the page's error summary.
"""

from __future__ import annotations

import email.parser
import email.policy
from collections.abc import Mapping
from datetime import date
from typing import Final
from urllib.parse import parse_qsl

from attrs import frozen
from starlette.requests import Request

from iqm_rules._dates import parse_date
from iqm_rules.words import LANGUAGES

__all__ = ["Form", "Refused", "TooLarge", "as_of", "form_of", "language", "text_of"]


class Refused(Exception):
    """A field that cannot be used: its ``field`` (the form control's id) and the one line
    the command line would print for it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TooLarge(Exception):
    """The form is larger than the service's body limit (``limit`` bytes)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@frozen
class Upload:
    """One file sent: the name the browser gave it and its bytes."""

    filename: str
    data: bytes


@frozen
class Form:
    """The fields of a form (text) and its uploads (a file field left empty is absent)."""

    fields: Mapping[str, str]
    files: Mapping[str, Upload]

    def text(self, name: str) -> str:
        """A text field's value, ``""`` when it was not sent."""
        return self.fields.get(name, "")


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def form_of(request: Request, limit: int) -> Form:
    """The form ``request`` posted, at most ``limit`` bytes (:class:`TooLarge` beyond)."""
    body = await _body(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        return _multipart(content_type, body)
    pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return Form(dict(pairs), {})


def _multipart(content_type: str, body: bytes) -> Form:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    if not message.is_multipart():
        return Form(fields, files)
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        elif filename or data:
            files[name] = Upload(filename or name, data)
    return Form(fields, files)


def text_of(upload: Upload, field: str) -> str:
    """An upload's text; :class:`Refused` if it is not UTF-8."""
    try:
        return upload.data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(field, f"{upload.filename}: is not UTF-8 text") from None


def as_of(text: str, field: str = "as_of") -> date:
    """The date a date field holds, written ``YYYY-MM-DD``; :class:`Refused` otherwise."""
    given = text.strip()
    try:
        day = parse_date(given)
    except ValueError:
        raise Refused(field, f"{given} is not a calendar date") from None
    if day is None:
        raise Refused(field, f"must be a date written YYYY-MM-DD, got {given!r}")
    return day


_QUALITY: Final = "q="


def language(request: Request) -> str:
    """The page's language: ``?lang=`` if given, else the best of ``Accept-Language`` with a
    catalog (RFC 9110 section 12.5.4: by quality, then order), else English."""
    chosen = request.query_params.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, *parameters = item.strip().split(";")
        quality = 1.0
        for parameter in parameters:
            parameter = parameter.strip()
            if parameter.startswith(_QUALITY):
                try:
                    quality = float(parameter[len(_QUALITY) :])
                except ValueError:
                    quality = 0.0
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGES and quality > 0:
            ranked.append((-quality, index, code))
    return min(ranked)[2] if ranked else "en"
