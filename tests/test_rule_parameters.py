"""Each rule of §3 and §4 declares exactly the policy parameters its functions read.

A policy that notes every parameter read, and which function read it, runs through whole
decisions and replays (the bundled examples and generated histories under generated policies).
A read belongs to the innermost function on the stack that carries out a rule: a §3 rule's
check, or a function marked as carrying out a §4 rule (:func:`iqm_rules._registry.carries_out`).
A fact that ``decide`` derives from the policy for the checks (the recent evidence) counts as
read by each check that reads it. What ``decide`` reads outside every check and every such fact
belongs to no rule, and there is none.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import CodeType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iqm_rules.decisions import decision as decision_module
from iqm_rules.decisions import facts as facts_module
from iqm_rules.decisions.rules import rules
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.interchange import load_history
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.lifecycle.parameters import PARAMETERS
from iqm_rules.lifecycle.replay import replay
from iqm_rules.lifecycle.rules import lifecycle_rule, lifecycle_rules
from iqm_rules.policy import DEFAULT_POLICY, Policy
from iqm_rules.testing import policies, school_histories

OUTSIDE = "decide, outside every rule"

_OWNERS: dict[CodeType, tuple[str, ...]] = defaultdict(tuple)
for _rule in rules():
    _OWNERS[_rule.check.__code__] += (_rule.id,)
for _entry in lifecycle_rules():
    for _function in _entry.functions:
        _OWNERS[getattr(_function, "__code__")] += (_entry.id,)  # noqa: B009
_OWNERS[decision_module.decide.__code__] = (OUTSIDE,)
_DERIVED = {"recent_evidence": "the fact recent_evidence"}
"""The facts of a rule's input that ``decide`` derives from the policy, by field."""
_OWNERS[facts_module.recent_evidence.__code__] = (_DERIVED["recent_evidence"],)

_READS: dict[str, set[str]] = defaultdict(set)
"""Rule id (or :data:`OUTSIDE`) → the parameters read while one of its functions ran."""

_RECORDING = [False]


def _note(read: str) -> None:
    """Note ``read`` for the innermost function on the caller's stack that carries out a rule."""
    frame = sys._getframe(2)
    while frame is not None:
        owners = _OWNERS.get(frame.f_code)
        if owners:
            for owner in owners:
                _READS[owner].add(read)
            return
        frame = frame.f_back  # type: ignore[assignment]


class _Noting(Policy):
    """A policy that notes, while recording, each parameter read and who read it."""

    def __getattribute__(self, name: str) -> Any:
        if name in PARAMETERS and _RECORDING[0]:
            _note(name)
        return object.__getattribute__(self, name)


class _NotingInput(facts_module.RuleInput):
    """A rule's input that notes, while recording, which check reads a derived fact."""

    def __getattribute__(self, name: str) -> Any:
        if name in _DERIVED and _RECORDING[0]:
            _note(_DERIVED[name])
        return object.__getattribute__(self, name)


def _noting(policy: Policy) -> Policy:
    values: dict[str, Any] = {
        str(field.alias): getattr(policy, field.name) for field in attrs.fields(Policy)
    }
    return _Noting(**values)


@contextmanager
def _recording() -> Iterator[None]:
    _RECORDING[0] = True
    setattr(decision_module, "RuleInput", _NotingInput)  # noqa: B010
    try:
        yield
    finally:
        _RECORDING[0] = False
        setattr(decision_module, "RuleInput", facts_module.RuleInput)  # noqa: B010


def _run(history: SchoolHistory, policy: Policy, as_of: date) -> None:
    replayed = replay(history, _noting(policy))
    replayed.status(as_of)
    replayed.upcoming(as_of, months=60)


@pytest.fixture(scope="module")
def reads() -> dict[str, set[str]]:
    """Every read of a run over the examples and generated histories and policies."""
    _READS.clear()
    with _recording():
        for name in examples():
            history = load_history(example_text(name))
            for as_of in (date(2019, 1, 1), date(2025, 9, 1), date(2040, 1, 1)):
                _run(history, DEFAULT_POLICY, as_of)

        @settings(
            max_examples=150,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(school_histories(max_events=6), policies(), st.integers(0, 30))
        def run(history: SchoolHistory, policy: Policy, years: int) -> None:
            if history.events:
                first = min(event_date(event) for event in history.events)
                _run(history, policy, date(min(first.year + years, 9000), 1, 1))

        run()
    found = {owner: set(names) for owner, names in _READS.items()}
    for names in found.values():
        for fact in set(names) & set(_DERIVED.values()):
            names.discard(fact)
            names |= found.get(fact, set())
    return found


@pytest.mark.parametrize("rule_id", [entry.id for entry in rules()])
def test_a_section_3_rule_declares_what_its_check_reads(
    rule_id: str, reads: dict[str, set[str]]
) -> None:
    declared = next(entry.parameters for entry in rules() if entry.id == rule_id)
    assert reads.get(rule_id, set()) == set(declared)


@pytest.mark.parametrize("rule_id", [entry.id for entry in lifecycle_rules()])
def test_LC_rule_declares_what_its_functions_read(rule_id: str, reads: dict[str, set[str]]) -> None:
    assert reads.get(rule_id, set()) == set(lifecycle_rule(rule_id).parameters)


def test_decide_reads_no_parameter_outside_its_rules(reads: dict[str, set[str]]) -> None:
    assert reads.get(OUTSIDE, set()) == set()


def test_every_parameter_is_read_by_some_rule(reads: dict[str, set[str]]) -> None:
    rule_ids = {entry.id for entry in rules()} | {entry.id for entry in lifecycle_rules()}
    read = set().union(*(names for owner, names in reads.items() if owner in rule_ids))
    assert read == set(PARAMETERS)
