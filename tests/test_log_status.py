"""Status on request: which logged status record covers a date, and what the answer says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from iqm_rules import Award, dump_record, example_text, load_history, record_decision
from iqm_rules.auditing.record import record_status
from iqm_rules.decision_log.entries import LogProblem
from iqm_rules.decision_log.sqlite import SQLiteStore
from iqm_rules.decision_log.standing import Standing, Unanswered, standing
from logs import sql, written

SCHOOL = "URN-140876"  # flagship-journey


def _status(on: date, name: str = "flagship-journey") -> str:
    return dump_record(record_status(load_history(example_text(name)), on))


def _asked(path: Path, on: date, school: str = SCHOOL) -> Standing | Unanswered:
    with SQLiteStore.read_only(str(path)) as store:
        return standing(store.entries(school), school, on)


def test_a_status_covers_its_date_to_the_day_before_the_first_lapse(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [_status(date(2025, 9, 1))])
    for day in (date(2025, 9, 1), date(2026, 1, 1), date(2026, 9, 30)):
        answer = _asked(path, day)
        assert isinstance(answer, Standing), day
        assert answer.held == (Award.INCLUSIVE_SCHOOL, Award.CENTRE_OF_EXCELLENCE, Award.FLAGSHIP)
        assert answer.covers_until == date(2026, 9, 30)
        assert answer.entry.sequence == 1
    for day in (date(2025, 8, 31), date(2026, 10, 1)):
        missing = _asked(path, day)
        assert isinstance(missing, Unanswered), day
        assert missing.known
        assert missing.reason() == (
            f"no status record of school {SCHOOL} covers {day}; the latest logged, entry 1, "
            "covers 2025-09-01 to 2026-09-30"
        )


def test_of_the_records_that_cover_a_date_the_latest_logged_answers(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [_status(date(2025, 10, 1)), _status(date(2025, 9, 1))])
    answer = _asked(path, date(2025, 12, 1))
    assert isinstance(answer, Standing)
    assert answer.entry.sequence == 2
    assert answer.record_as_of == date(2025, 9, 1)
    earlier = _asked(path, date(2025, 9, 15))  # only the status of 1 September covers it
    assert isinstance(earlier, Standing)
    assert earlier.entry.sequence == 2


def test_a_school_the_log_does_not_know_and_one_with_only_decisions(tmp_path: Path) -> None:
    path = tmp_path / "log"
    history = load_history(example_text("first-award"))
    written(path, [dump_record(record_decision(history, "HB-2024-01")), _status(date(2025, 9, 1))])
    unknown = _asked(path, date(2025, 9, 1), "URN-000000")
    assert isinstance(unknown, Unanswered)
    assert not unknown.known
    assert unknown.reason() == "the log holds no record of school URN-000000"
    decided = _asked(path, date(2025, 9, 1), history.school.id)
    assert isinstance(decided, Unanswered)
    assert decided.reason() == f"the log holds no status record of school {history.school.id}"


def test_a_status_with_nothing_held_covers_every_later_date(tmp_path: Path) -> None:
    path = tmp_path / "log"
    history = load_history(example_text("coe-lapsed"))
    written(path, [_status(date(2031, 1, 1), "coe-lapsed")])
    answer = _asked(path, date(2040, 1, 1), history.school.id)
    assert isinstance(answer, Standing)
    assert answer.held == ()
    assert answer.covers_until is None
    assert answer.document()["covers_until"] is None


def test_the_answer_s_document_holds_the_record_and_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "log"
    (entry,) = written(path, [_status(date(2025, 9, 1))])
    answer = _asked(path, date(2025, 9, 2))
    assert isinstance(answer, Standing)
    document = answer.document()
    assert document["format"] == "iqm-rules/log-status@1"
    assert document["held"] == ["inclusive_school", "centre_of_excellence", "flagship"]
    assert document["entry"] == {
        "sequence": 1,
        "written_at": entry.written_at,
        "hash": entry.hash,
        "signature": None,
    }
    assert document["record"]["question"] == {"kind": "status", "as_of": "2025-09-01"}


def test_an_answering_entry_that_no_longer_gives_its_hash_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log"
    written(path, [_status(date(2025, 9, 1))])
    sql(path, ("UPDATE entries SET written_at = '2025-01-01T00:00:00.000000Z'", ()))
    with pytest.raises(LogProblem, match="entry 1 does not give its own hash; run iqm-rules log"):
        _asked(path, date(2025, 9, 2))
