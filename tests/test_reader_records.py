"""Evidence items built by the reader skip only the checks its lookups imply; the public way
still checks everything."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from iqm_rules.errors import InvalidRecord
from iqm_rules.evidence import EvidenceItem, EvidenceKind
from iqm_rules.interchange._fast import evidence_item
from iqm_rules.principles import Element, Principle
from iqm_rules.testing import evidence_items

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
