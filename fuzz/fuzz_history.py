"""Coverage-guided fuzzing of reading, replaying and writing a history (``make fuzz``).

Each input is read with ``load_history``; a history that loads is replayed, its status on
several dates computed and dumped, and dumped back to a document that must load to the same
history. Only :class:`~iqm_rules.errors.IQMRulesError` naming a path (or a whole-document
problem) may come out; anything else is a crash, which libFuzzer writes to ``crash-*`` for a
regression test.

    python fuzz/fuzz_history.py CORPUS_DIR -max_total_time=300
"""

from __future__ import annotations

import sys
from datetime import date

import atheris

with atheris.instrument_imports():
    from iqm_rules.errors import InvalidRecord, IQMRulesError
    from iqm_rules.interchange import dump_history, dump_status, load_history
    from iqm_rules.lifecycle.replay import replay

_WHOLE_DOCUMENT = (
    "malformed JSON",
    "not UTF-8 text",
    "a history document must be",
    "the input is",
)
_DAYS = (date(1, 1, 1), date(2024, 7, 1), date(9999, 12, 31))


def _check(error: IQMRulesError) -> None:
    if isinstance(error, InvalidRecord) and error.path:
        return
    if not str(error).startswith(_WHOLE_DOCUMENT):
        raise AssertionError(f"error without a path: {error}")


def test_one_input(data: bytes) -> None:
    """Read, replay, report and write back one input."""
    try:
        history = load_history(data)
    except IQMRulesError as error:
        _check(error)
        return
    try:
        replayed = replay(history)
    except IQMRulesError as error:
        _check(error)
        return
    for day in _DAYS:
        dump_status(replayed.status(day)).encode("utf-8")
        replayed.upcoming(day, days=10**9)
    if load_history(dump_history(history)) != history:
        raise AssertionError("a dumped history reads back differently")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
