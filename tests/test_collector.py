"""The garbage collector is paused while a history is read or replayed, and restored after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from iqm_rules._collector import paused
from iqm_rules.errors import InvalidRecord
from iqm_rules.history import School, SchoolHistory
from iqm_rules.lifecycle import replay as lifecycle


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_pauses_and_restores() -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_restores_even_on_error() -> None:
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_restore_at_the_outermost() -> None:
    with paused():
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_concurrent_pauses_restore_after_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with paused():
        pass
    assert not gc.isenabled()
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_replay_pauses_the_collector_and_restores_it_after_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def failing(history: SchoolHistory, policy: object) -> None:
        seen.append(gc.isenabled())
        raise InvalidRecord("events[0]", "unreadable")

    monkeypatch.setattr(lifecycle, "_replay", failing)
    with pytest.raises(InvalidRecord):
        lifecycle.replay(SchoolHistory(School("URN-1", "A school")))
    assert seen == [False]
    assert gc.isenabled()
