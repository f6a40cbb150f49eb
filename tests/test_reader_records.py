"""Records built by the reader are the records the public constructors build, and their
invariants hold; evidence items built by the reader skip only the checks its lookups imply, and
the public way still checks everything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

import attrs
import pytest
from hypothesis import given

from iqm_rules.decisions.decision import Decision
from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.history import SchoolHistory
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_policy,
    dump_status,
    load_decision,
    load_history,
    load_policy,
    load_status,
)
from iqm_rules.interchange._fast import evidence_item
from iqm_rules.lifecycle.replay import StatusReport
from iqm_rules.policy import PolicyBook
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import (
    decisions,
    evidence_items,
    policy_books,
    school_histories,
    status_reports,
)

_DAY = date(2024, 3, 10)


@given(evidence_items())
def test_the_reader_builds_the_item_the_public_way_builds(item: EvidenceItem) -> None:
    built = evidence_item(
        item.id, item.element, item.principles, item.kind, item.collected_on, item.summary
    )
    assert built == item
    assert hash(built) == hash(item)


@pytest.mark.parametrize(
    ("item_id", "principles", "summary", "message"),
    [
        ("", frozenset({Principle.RAISING_ACHIEVEMENT}), "", "id: must be non-empty text"),
        ("E1", frozenset(), "", "principles: must name at least one Principle"),
    ],
)
def test_the_reader_raises_what_the_public_way_raises(
    item_id: str, principles: frozenset[Principle], summary: str, message: str
) -> None:
    args = (item_id, Element.ASSESSMENT, principles, EvidenceKind.DATA, _DAY, summary)
    with pytest.raises(InvalidRecord, match=message) as public:
        EvidenceItem(*args)
    with pytest.raises(InvalidRecord) as reader:
        evidence_item(*args)
    assert str(reader.value) == str(public.value)


def test_the_public_way_still_checks_the_vocabulary() -> None:
    with pytest.raises(InvalidRecord, match="element: must be a Element"):
        EvidenceItem("E1", "assessment", {Principle.RAISING_ACHIEVEMENT}, EvidenceKind.DATA, _DAY)  # type: ignore[arg-type]


def _records(value: object) -> Iterator[object]:
    """Every record in ``value``: itself if it is one, and every record its fields hold."""
    if attrs.has(type(value)):
        yield value
        for attribute in attrs.fields(type(value)):  # type: ignore[arg-type]
            yield from _records(getattr(value, attribute.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _records(key)
            yield from _records(item)
    elif isinstance(value, tuple | frozenset | list):
        for item in value:
            yield from _records(item)


def _hashable(record: object) -> bool:
    try:
        hash(record)
    except TypeError:  # a frozen record holding a mapping
        return False
    return True


def _same_as_built_publicly(read: object, built: object) -> None:
    """``read`` equals ``built``; each record in it passes its validators and equals the record
    its public constructor builds from the same values (same type, same hash where hashable)."""
    assert read == built
    for record in _records(read):
        attrs.validate(record)  # type: ignore[arg-type]
        rebuilt = attrs.evolve(record)  # type: ignore[misc]
        assert type(rebuilt) is type(record)
        assert rebuilt == record
        if _hashable(record):
            assert hash(rebuilt) == hash(record)


@given(school_histories())
def test_a_history_read_is_the_history_its_public_constructors_build(
    history: SchoolHistory,
) -> None:
    _same_as_built_publicly(load_history(dump_history(history)), history)


@given(policy_books())
def test_a_policy_book_read_is_the_book_its_public_constructors_build(book: PolicyBook) -> None:
    read = load_policy(dump_policy(book))
    in_order = sorted(book.policies, key=lambda policy: read.policies.index(policy))
    _same_as_built_publicly(read, PolicyBook(tuple(in_order)))  # a book is read in date order


@given(decisions())
def test_a_decision_read_is_the_decision_its_public_constructors_build(decision: Decision) -> None:
    _same_as_built_publicly(load_decision(dump_decision(decision)), decision)


@given(status_reports())
def test_a_status_read_is_the_status_its_public_constructors_build(report: StatusReport) -> None:
    _same_as_built_publicly(load_status(dump_status(report)), report)
