"""A refusal of the service: an RFC 9457 problem details document (``application/problem+json``).

Every refusal has the standard members ``type`` (a reference to its kind's entry on ``/docs``),
``title`` (the same for every problem of a kind), ``status`` and ``detail``, and the service's
own ``error`` (the kind), ``document`` and ``path`` (where), ``message`` (the same text as
``detail``) and ``notes``, which clients written before problem details read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange._jsontext import canonical_json

__all__ = ["PROBLEM_MEDIA_TYPE", "PROBLEM_TITLES", "Problem", "problem_type"]


PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
"""The media type of every refusal: an RFC 9457 problem details document."""

PROBLEM_TITLES: Final[Mapping[str, str]] = {
    "invalid_record": "A document of the request is not valid",
    "malformed_json": "The request body is not JSON text",
    "too_large": "The request body is too large",
    "unsupported_media_type": "The request body is not sent as JSON",
    "not_found": "No such resource",
    "method_not_allowed": "The method is not allowed here",
    "timeout": "The request took too long",
    "overloaded": "The server is holding as many connections as it can",
    "internal": "The server failed",
}
"""The title of each kind of problem (``error``): the same for every occurrence of it."""


def problem_type(error: str) -> str:
    """The ``type`` of a problem: a reference to its entry on the service's ``/docs`` page.

    >>> problem_type("invalid_record")
    '/docs#problem-invalid_record'
    """
    return f"/docs#problem-{error}"


class Problem(Exception):
    """Input the service refuses: an HTTP status and one JSON error body, an RFC 9457 problem
    details document (``type``, ``title``, ``status``, ``detail``) whose ``error``,
    ``document``, ``path``, ``message`` and ``notes`` members are the service's own.

    ``document`` names the part of the request the ``path`` is inside: ``history``, ``policy``,
    ``plan``, ``record`` or ``request`` (the request body itself); ``headers`` go with the
    answer (``Accept`` with a 415).
    """

    def __init__(
        self,
        status_code: int,
        error: str,
        message: str,
        *,
        path: str = "",
        document: str = "request",
        notes: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.headers = dict(headers or {})
        self.status_code = status_code
        self.error = error
        self.message = message
        self.path = path
        self.document = document
        self.notes = tuple(notes)

    @classmethod
    def invalid(cls, error: InvalidRecord, document: str) -> Problem:
        """A 422 for an :class:`InvalidRecord`: the same path and message as the command line."""
        notes = [str(note) for note in getattr(error, "__notes__", ())]
        return cls(
            422, "invalid_record", str(error), path=error.path, document=document, notes=notes
        )

    def body(self) -> str:
        """The canonical JSON error body (``application/problem+json``)."""
        data: dict[str, Any] = {
            "type": problem_type(self.error),
            "title": PROBLEM_TITLES[self.error],
            "status": self.status_code,
            "detail": self.message,
            "error": self.error,
            "document": self.document,
            "path": self.path,
            "message": self.message,
        }
        if self.notes:
            data["notes"] = list(self.notes)
        return canonical_json(data)
