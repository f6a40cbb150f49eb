"""The library and the published JSON Schemas agree on a seeded corpus of mutated documents.

The corpus (``tests/schema_corpus.py``) mutates the bundled examples and two policy books with
what a schema can state: ids (control characters, U+FEFF, U+0085, white space, length), dates
(year 0000, impossible days, trailing text), whole numbers written ``2.0`` or ``2.5``, bounds,
misspelt enum values, dropped and added keys, ``school_id`` null or wrong. ``make
schema-check`` runs the same corpus through ``ajv`` too.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from iqm_rules.interchange import schema
from schema_corpus import Kind, corpus, library_verdict


@cache
def _validator(kind: Kind) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _jsonschema_accepts(kind: Kind, document: Any) -> bool:
    return _validator(kind).is_valid(document)


def test_library_and_jsonschema_agree_on_every_document_of_the_corpus() -> None:
    counts: Counter[str] = Counter()
    disagreements = []
    for name, kind, document in corpus():
        verdict = library_verdict(kind, document)
        if verdict is None:
            counts["left out: a rule no schema states"] += 1
            continue
        accepted = _jsonschema_accepts(kind, document)
        counts[f"{kind} {'accepted' if verdict else 'refused'}"] += 1
        if accepted != verdict:
            disagreements.append((name, kind, verdict, accepted, document))
    print(dict(counts))
    assert not disagreements, disagreements[:3]
    assert counts["history accepted"] >= 20, counts
    assert counts["history refused"] >= 100, counts
    assert counts["policy accepted"] >= 10, counts
    assert counts["policy refused"] >= 20, counts


def test_the_cases_the_validators_split_on() -> None:
    base: dict[str, Any] = {
        "format": "iqm-rules/policy@1",
        "policies": [{"id": "p", "effective_from": "2024-09-01", "grace_months": 2.0}],
    }
    for value, expected in [("\ufeff", True), ("\x1c", False), ("\x1f", False), ("\x85", False)]:
        document = {**base, "policies": [{**base["policies"][0], "id": value}]}
        assert library_verdict("policy", document) is expected
        assert _jsonschema_accepts("policy", document) is expected
    assert library_verdict("policy", base) is True
    half = {**base, "policies": [{**base["policies"][0], "grace_months": 2.5}]}
    assert library_verdict("policy", half) is _jsonschema_accepts("policy", half) is False
    year_0 = {**base, "policies": [{**base["policies"][0], "effective_from": "0000-01-01"}]}
    assert library_verdict("policy", year_0) is _jsonschema_accepts("policy", year_0) is False
