"""Kind errors for the usual mistakes: a misspelt value or key, a file name as text, a date as
text, JSON Lines where one document is read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.replay import replay, status, upcoming


def first_award() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(example_text("first-award"))
    return data


@pytest.mark.parametrize(
    ("change", "path", "meant"),
    [
        (lambda d: d["events"][0]["judgements"].update(curriculum="embeded"), "", "embedded"),
        (lambda d: d["events"][0].update(kind="ful"), "events[0].kind", "full"),
        (lambda d: d.update(evnts=d.pop("events")), "evnts", "events"),
        (
            lambda d: d["events"][0]["judgements"].update(
                curriculm=d["events"][0]["judgements"].pop("curriculum")
            ),
            "events[0].judgements.curriculm",
            "curriculum",
        ),
    ],
)
def test_a_misspelling_suggests_the_nearest_allowed(change: Any, path: str, meant: str) -> None:
    data = first_award()
    change(data)
    with pytest.raises(InvalidRecord) as raised:
        load_history(data)
    assert str(raised.value).endswith(f'; did you mean "{meant}"?')
    assert raised.value.path.startswith(path)


def test_nothing_close_suggests_nothing() -> None:
    data = first_award()
    data["events"][0]["kind"] = "zzzzzz"
    with pytest.raises(InvalidRecord) as raised:
        load_history(data)
    assert "did you mean" not in str(raised.value)


def test_a_file_name_as_text_says_to_pass_a_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidRecord, match=r"looks like a file name.*pass a pathlib\.Path"):
        load_history("school.json")
    path = tmp_path / "school.json"
    path.write_text(example_text("first-award"), encoding="utf-8")
    assert load_history(path) == load_history(example_text("first-award"))


def test_json_lines_for_one_document_says_so() -> None:
    text = example_text("first-award").replace("\n", "") + "\n"
    with pytest.raises(InvalidRecord, match=r"looks like JSON Lines \(one document a line\)"):
        load_history(text * 2)


def test_a_date_as_text_is_a_type_error_naming_the_fix() -> None:
    history = load_history(example_text("first-award"))
    with pytest.raises(TypeError, match=r"as_of must be a datetime.date, got str: use date"):
        status(history, "2025-09-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"got int$"):
        upcoming(history, 20250901)  # type: ignore[arg-type]
    assert replay(history).status(date(2025, 9, 1)) == status(history, date(2025, 9, 1))
