"""Fuzzing: whatever a file holds, the library answers or raises its own error naming a path.

Inputs are arbitrary JSON values, random text and bytes, and the bundled examples (and the
default policy document) with one to three mutations each. Every input goes through
``load_history`` or ``load_policy``, then ``status``, ``decide`` and the dumpers, and through the
command line in-process. The only exception allowed out is :class:`IQMRulesError`, and its
message names a path (or says why the whole document is unreadable). The mutated-example tests
also count how far inputs get: a fuzz test that never gets past ``format`` tests nothing.

``HYPOTHESIS_PROFILE=fuzz`` runs many more examples (see ``tests/conftest.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from iqm_rules import cli
from iqm_rules.assessment import Assessment
from iqm_rules.decisions.decision import decide
from iqm_rules.errors import InvalidRecord, IQMRulesError
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_policy,
    dump_status,
    load_history,
    load_policy,
)
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.replay import replay
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook
from strategies import json_values, paths_in

_WHOLE_DOCUMENT = (
    "malformed JSON",
    "malformed TOML",
    "not UTF-8 text",
    "a history document must be",
    "a policy document must be",
    "the input is",
    "got the text ",
)
"""Messages about a document as a whole, which have no path inside it."""

_EXAMPLES = {name: json.loads(example_text(name)) for name in examples()}
_POLICY = json.loads(
    dump_policy(PolicyBook((DEFAULT_POLICY, Policy(id="later", effective_from=date(2026, 1, 1)))))
)
_FAR_DATES = ("0001-01-01", "0001-06-30", "0000-12-31", "9999-12-31", "9999-03-12", "10000-01-01")
_HUGE = (10**400, 2**63, -(2**63), 1e308, -1, 1_000_001, 2.0, 2.5)
_ODD_TEXT = ("\ud800", "A\udfff", "\x00", "\x1c", "\x85", "\ufeff", " ", "", "A\u2028B", "é" * 3)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HOW = (
    *("drop", "add", "type", "misspell", "date", "huge", "nan", "text", "deep", "long", "many"),
    *("swap", "shift", "shift", "shift", "shift", "shift", "shift"),
)
"""Mutations, date and number shifts weighted up so that a fair share of inputs stay valid."""
_DEEP = "@@deep@@"
_NAN = "@@nan@@"

MAX = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None


def _named(error: IQMRulesError) -> bool:
    """The error names a path, or says why the whole document cannot be read."""
    if isinstance(error, InvalidRecord) and error.path:
        return True
    return str(error).startswith(_WHOLE_DOCUMENT)


def _fits(how: str, node: Any) -> bool:
    """Whether mutation ``how`` applies to ``node`` (others apply anywhere)."""
    if how == "shift":
        return _day(node) is not None or type(node) is int
    if how in ("swap", "many"):
        return isinstance(node, list) and len(node) > 1
    if how == "add":
        return isinstance(node, dict)
    if how == "misspell":
        return isinstance(node, str) and bool(node)
    return True


def _mutate(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one mutation at a drawn path (the document is copied, not changed)."""
    document = json.loads(json.dumps(document))
    how = draw(st.sampled_from(_HOW))
    event(f"mutation: {how}")
    paths = [p for p in paths_in(document) if _fits(how, _at(document, p))] or [()]
    path = draw(st.sampled_from(paths))
    node = _at(document, path)
    replacement: Any
    if how == "add" and isinstance(node, dict):
        key = draw(st.sampled_from(["x", "Id", "school_id", "summary", "reason", "evidence"]))
        node[key] = draw(json_values(4))
        return document
    if how == "swap" and isinstance(node, list):
        node.reverse()
        return document
    if how == "many" and isinstance(node, list) and node:
        node.extend([node[-1]] * draw(st.integers(1, 300)))
        return document
    if how == "drop" and path:
        del _at(document, path[:-1])[path[-1]]
        return document
    day = _day(node)
    if how == "shift" and day is not None:
        ordinal = day.toordinal() + draw(st.integers(-800, 800))
        replacement = date.fromordinal(min(max(ordinal, 1), date.max.toordinal())).isoformat()
    elif how == "shift" and type(node) is int:
        replacement = node + draw(st.integers(-2, 2))
    elif how == "misspell" and isinstance(node, str):
        replacement = draw(st.sampled_from([node.upper(), node[:-1], node + "s", " " + node]))
    elif how == "date":
        replacement = draw(st.sampled_from(_FAR_DATES))
    elif how == "huge":
        replacement = draw(st.sampled_from(_HUGE))
    elif how == "nan":
        replacement = _NAN
    elif how == "text":
        replacement = draw(st.sampled_from(_ODD_TEXT))
    elif how == "deep":
        replacement = _DEEP
    elif how == "long":
        replacement = "x" * draw(st.sampled_from([201, 10_000, 100_000]))
    else:
        replacement = draw(json_values(6))
    if not path:
        return replacement
    _at(document, path[:-1])[path[-1]] = replacement
    return document


def _day(node: Any) -> date | None:
    """The date ``node`` writes, if it is a string writing one."""
    if not isinstance(node, str) or not _DATE.fullmatch(node):
        return None
    try:
        return date.fromisoformat(node)
    except ValueError:
        return None


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _text(document: Any, draw: st.DrawFn) -> str:
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    depth = draw(st.sampled_from([50, 2_000, 100_000]))
    text = text.replace(json.dumps(_DEEP), "[" * depth + "]" * depth)
    return text.replace(json.dumps(_NAN), draw(st.sampled_from(["NaN", "Infinity", "-Infinity"])))


@st.composite
def mutated_histories(draw: st.DrawFn) -> str:
    """A bundled example with one to three mutations, as JSON text."""
    document: Any = _EXAMPLES[draw(st.sampled_from(sorted(_EXAMPLES)))]
    for _ in range(draw(st.integers(1, 3))):
        document = _mutate(draw, document)
    return _text(document, draw)


@st.composite
def mutated_policies(draw: st.DrawFn) -> str:
    """The default policy book document with one to three mutations, as JSON text."""
    document: Any = _POLICY
    for _ in range(draw(st.integers(1, 3))):
        document = _mutate(draw, document)
    return _text(document, draw)


def _guarded(call: Callable[[], object]) -> bool:
    """Run ``call``: ``True`` if it returned, ``False`` if it raised the library's own error."""
    error = _refusal(call)
    assert error is None or _named(error), f"no path in {error!s}"
    return error is None


def _refusal(call: Callable[[], object]) -> IQMRulesError | None:
    try:
        call()
    except IQMRulesError as error:
        return error
    return None


def _through_the_rules(source: str | bytes) -> str:
    """Load, replay, decide and dump; the name of the last stage reached."""
    found: list[Any] = []
    if not _guarded(lambda: found.append(load_history(source))):
        return "refused on reading"
    history = found[0]
    if not _guarded(lambda: found.append(replay(history))):
        return "refused by the rules"
    replayed = found[1]
    days = sorted({e.held_on for e in history.events if isinstance(e, Assessment)})
    for day in [date(2000, 1, 1), *days[:3], date(9999, 12, 31)]:
        assert _guarded(partial(replayed.status, day))
        dump_status(replayed.status(day))
        replayed.upcoming(day, months=12)
    for item in history.events[:4]:
        if isinstance(item, Assessment):
            _guarded(partial(decide, item))
            if _refusal(partial(decide, item)) is None:
                dump_decision(decide(item))
    assert load_history(dump_history(history)) == history
    return "through the rules"


def _through_the_command_line(text: str, *command: str) -> int:
    """``iqm-rules COMMAND FILE`` in-process; standard error must be one line of our own."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "in.json")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as file:
            file.write(text)
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = cli.main([command[0], path, *command[1:]])
    assert code in (0, 1, 2), code
    if code == 2:
        assert err.getvalue().count("\n") == 1, err.getvalue()
    assert "Traceback" not in err.getvalue()
    return code


@settings(max_examples=MAX or 60)
@given(json_values(20))
def test_any_json_value_is_read_or_refused_with_a_path(value: Any) -> None:
    text = json.dumps(value)
    _through_the_rules(text)
    assert not _guarded(lambda: load_policy(text)) or isinstance(value, dict)


@settings(max_examples=MAX or 60)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_is_read_or_refused_with_a_path(text: str) -> None:
    _through_the_rules(text)
    _guarded(lambda: load_policy(text))


@settings(max_examples=MAX or 60)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_path(data: bytes) -> None:
    _through_the_rules(data)
    _guarded(lambda: load_policy(data))


def test_mutated_examples_reach_the_rules() -> None:
    stages: Counter[str] = Counter()

    @settings(max_examples=MAX or 150)
    @given(mutated_histories())
    def run(text: str) -> None:
        stage = _through_the_rules(text)
        event(stage)
        stages[stage] += 1

    run()
    total = sum(stages.values())
    assert stages["through the rules"] >= total // 10, stages
    assert stages["refused on reading"] >= total // 10, stages


def test_mutated_policies_reach_the_rules() -> None:
    loaded: Counter[bool] = Counter()

    @settings(max_examples=MAX or 100)
    @given(mutated_policies())
    def run(text: str) -> None:
        book: list[PolicyBook] = []
        ok = _guarded(lambda: book.append(load_policy(text)))
        event(f"policy loaded: {ok}")
        loaded[ok] += 1
        if ok:
            history = load_history(example_text("flagship-journey"))
            _guarded(lambda: dump_status(replay(history, book[0]).status(date(2026, 6, 1))))
            assert load_policy(dump_policy(book[0])) == book[0]

    run()
    assert loaded[True] >= sum(loaded.values()) // 10, loaded
    assert loaded[False] >= sum(loaded.values()) // 10, loaded


@settings(max_examples=MAX or 20, deadline=None)
@given(mutated_histories(), st.sampled_from(["status", "decide", "timeline", "audit", "batch"]))
def test_the_command_line_on_mutated_examples_answers_in_one_line(text: str, command: str) -> None:
    if command == "decide":
        _through_the_command_line(text, "decide", "--assessment", "A1")
    elif command == "status":
        _through_the_command_line(text, "status", "--as-of", "2025-01-01", "--json")
    elif command == "batch":
        _through_the_command_line(text.replace("\n", " "), "batch", "--as-of", "2025-01-01")
    else:
        _through_the_command_line(text, command)
