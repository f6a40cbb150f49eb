"""Every kind of JSON the project writes has a shipped JSON Schema, and every one validates."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from iqm_rules.interchange import SCHEMAS, schema
from output_corpus import corpus

CORPUS = list(corpus())


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    loaded = schema(name)  # type: ignore[arg-type]
    Draft202012Validator.check_schema(loaded)
    return Draft202012Validator(loaded, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_corpus_holds_every_kind_written() -> None:
    found = {name for name, _ in CORPUS}
    assert found == set(SCHEMAS) - {"planned", "readiness", "what-if", "policy"}, found


@pytest.mark.parametrize("name", sorted({name for name, _ in CORPUS}))
def test_every_document_of_a_kind_validates_against_its_schema(name: str) -> None:
    documents = [document for kind, document in CORPUS if kind == name]
    assert documents
    for document in documents:
        errors = [e.message for e in _validator(name).iter_errors(document)]
        assert errors == [], (name, document if len(str(document)) < 400 else "…")


@pytest.mark.parametrize(
    ("name", "embedded"),
    [
        ("evidence", "history"),
        ("policy-settings", "policy"),
        ("log-status", "record"),
    ],
)
def test_an_embedded_schema_is_the_shipped_one(name: str, embedded: str) -> None:
    loaded: dict[str, Any] = schema(name)  # type: ignore[arg-type]
    assert loaded["$defs"][embedded] == schema(embedded)  # type: ignore[arg-type]


def test_a_line_with_an_unknown_value_is_refused() -> None:
    line = next(document for kind, document in CORPUS if kind == "upcoming")
    assert list(_validator("upcoming").iter_errors({**line, "what": "soon"}))
    held = next(document for kind, document in CORPUS if kind == "register")
    assert list(_validator("register").iter_errors({**held, "extra": 1}))
    shown = next(document for kind, document in CORPUS if kind == "policy-settings")
    wrong = {**shown, "parameters": [{**shown["parameters"][0], "value": "x"}]}
    assert list(_validator("policy-settings").iter_errors(wrong))
