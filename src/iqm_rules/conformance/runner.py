"""Running an exported suite against an implementation: a program, or a web service.

A **program** (``--command``) is started once per case: it reads the request on standard input
and writes the response on standard output, within a time limit. A program that exits with
another status than 0, prints nothing, or prints something that is not one JSON document
fails the case with what it did.

A **service** (``--url``) with this project's endpoints is asked ``POST /status``
(``history``, ``as_of``, ``policy``), ``POST /decide`` (``history``, ``assessment``,
``policy``) and ``POST /timeline`` (``history``, ``as_of``, ``policy``); its 422 answer naming the
``document`` and ``path`` of a refused history or policy is read as a refusal. A request with
no policy sends none: the service must run with the default policy.

Each case's answer is compared with the expected response by
:func:`~iqm_rules.conformance.compare.first_difference`.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from iqm_rules.conformance.compare import first_difference
from iqm_rules.conformance.protocol import REFUSAL_FORMAT
from iqm_rules.interchange._jsontext import canonical_json

__all__ = [
    "INDEX",
    "Answerer",
    "BadSuite",
    "NoAnswer",
    "Result",
    "by_command",
    "by_url",
    "load_suite",
    "run_suite",
]

INDEX: Final = "index.json"
"""The index of an exported suite, in its directory."""


class NoAnswer(Exception):
    """The implementation gave no response to compare: what it did instead."""


class BadSuite(ValueError):
    """A directory that is not an exported suite, and why."""


Answerer = Callable[[Mapping[str, Any]], object]
"""Gives the parsed response to a request, or raises :class:`NoAnswer`."""


@frozen
class Result:
    """One case's result: passed, or why not (the first difference, or no answer)."""

    case: str
    problem: str | None = None

    @property
    def passed(self) -> bool:
        return self.problem is None


def load_suite(directory: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The cases of an exported suite, in the order of its index."""
    folder = Path(directory)
    try:
        index = json.loads((folder / INDEX).read_text("utf-8"))
        listed = index["cases"]
        return [json.loads((folder / entry["file"]).read_text("utf-8")) for entry in listed]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadSuite(f"{directory} is not an exported suite: {error}") from None


def _last_line(text: bytes) -> str:
    lines = text.decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1][:200] if lines else "nothing"


def by_command(command: str, timeout: float) -> Answerer:
    """Ask a program started with ``command`` (split as a shell would), once per request."""
    argv = shlex.split(command)

    def ask(request: Mapping[str, Any]) -> object:
        try:
            done = subprocess.run(
                argv,
                input=canonical_json(request).encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise NoAnswer(f"no answer within {timeout:g} seconds") from None
        except OSError as error:
            raise NoAnswer(f"cannot run {argv[0]}: {error.strerror or error}") from None
        if done.returncode != 0:
            said = f": {_last_line(done.stderr)}" if done.stderr.strip() else ""
            raise NoAnswer(f"the program exited with status {done.returncode}{said}")
        try:
            return json.loads(done.stdout.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            shown = _last_line(done.stdout)
            raise NoAnswer(f"the program printed no JSON document: {shown}") from None

    return ask


def _endpoint(request: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    question = request["question"]
    body: dict[str, Any] = {"history": request["history"]}
    if request["policy"] is not None:
        body["policy"] = request["policy"]
    if question["ask"] == "status":
        return "/status", body | {"as_of": question["as_of"]}
    if question["ask"] == "decision":
        return "/decide", body | {"assessment": question["assessment"]}
    return "/timeline", body | ({"as_of": question["as_of"]} if "as_of" in question else {})


def by_url(url: str, timeout: float) -> Answerer:
    """Ask the service at ``url`` (``http://host:port``), one request per case."""
    base = url.rstrip("/")

    def ask(request: Mapping[str, Any]) -> object:
        path, body = _endpoint(request)
        sent = urllib.request.Request(
            base + path,
            data=canonical_json(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(sent, timeout=timeout) as answered:
                data = answered.read()
        except urllib.error.HTTPError as error:
            return _refusal(path, error.code, error.read())
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise NoAnswer(f"POST {path}: {reason}") from None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise NoAnswer(f"POST {path} answered no JSON document: {_last_line(data)}") from None

    return ask


def _refusal(path: str, code: int, data: bytes) -> object:
    """A 422 naming the refused document and path, as a refusal; any other error, no answer."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        body = None
    if code == 422 and isinstance(body, dict) and body.get("document") in ("history", "policy"):
        return {
            "format": REFUSAL_FORMAT,
            "document": body["document"],
            "path": body.get("path"),
            "message": body.get("message", body.get("detail")),
        }
    raise NoAnswer(f"POST {path} answered HTTP {code}: {_last_line(data)}")


def _result(case: Mapping[str, Any], ask: Answerer, strict: bool) -> Result:
    try:
        actual = ask(case["request"])
    except NoAnswer as error:
        return Result(case["id"], str(error))
    difference = first_difference(case["expected"], actual, strict=strict)
    return Result(case["id"], None if difference is None else str(difference))


def run_suite(
    cases: Iterable[Mapping[str, Any]], ask: Answerer, *, jobs: int = 1, strict: bool = False
) -> Iterator[Result]:
    """Each case's result, in the order of ``cases``; ``jobs`` cases are asked at once."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        yield from pool.map(lambda case: _result(case, ask, strict), cases)
