"""The command line pauses the garbage collector around its work and restores it after; the
library never touches it, from any thread."""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from iqm_rules.cli import app
from iqm_rules.cli.collector import paused
from iqm_rules.cli.commands import status as status_command
from iqm_rules.interchange import dump_history, dump_status, load_history
from iqm_rules.interchange.examples import example_text
from iqm_rules.lifecycle.replay import replay, status, timeline, upcoming


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


def _library_calls() -> None:
    history = load_history(example_text("flagship-journey"))
    report = status(history, date(2025, 9, 1))
    dump_status(report)
    dump_history(history)
    timeline(history)
    upcoming(history, date(2025, 9, 1), months=12)
    replay(history).status(date(2025, 9, 1))


def test_library_calls_leave_the_collector_alone_even_from_threads() -> None:
    before = (gc.isenabled(), gc.get_threshold())
    seen: list[tuple[bool, tuple[int, ...]]] = []

    def call() -> None:
        for _ in range(3):
            _library_calls()
            seen.append((gc.isenabled(), gc.get_threshold()))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    call()
    for thread in threads:
        thread.join(30)
    assert set(seen) == {before}
    assert (gc.isenabled(), gc.get_threshold()) == before


def test_the_library_never_imports_gc() -> None:
    source = Path(__file__).parent.parent / "src" / "iqm_rules"
    users = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if path.parts[len(source.parts)] not in ("cli", "server")
        and re.search(r"^\s*(import gc|from gc import)", path.read_text(encoding="utf-8"), re.M)
    ]
    assert users == []


def test_a_one_file_command_runs_with_the_collector_paused_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def failing(args: object) -> int:
        seen.append(gc.isenabled())
        raise RuntimeError("boom")

    monkeypatch.setattr(status_command, "run", failing)
    with pytest.raises(RuntimeError):
        app.main(["status", "--example", "flagship-journey", "--as-of", "2025-09-01"])
    assert seen == [False]
    assert gc.isenabled()
