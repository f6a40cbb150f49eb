"""Coverage measures the ``--jobs`` pool workers: a line only a worker runs is reported covered.

The workers are forked by :mod:`multiprocessing` and end with ``os._exit``, which skips
coverage's own saving at exit; ``patch = ["subprocess", "fork", "_exit"]`` in
``[tool.coverage.run]`` restarts measurement in each forked worker and saves it at
``os._exit``. This test runs a real ``batch --jobs 2`` under ``coverage run`` with the project's
configuration and reads the data it leaves.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from coverage import CoverageData

from iqm_rules.cli import pool
from iqm_rules.interchange.examples import example_text, examples

ROOT = Path(__file__).resolve().parents[1]


def _lines_of(function: Callable[..., object], *texts: str) -> set[int]:
    """The line numbers in ``function``'s module of its lines holding each of ``texts``."""
    lines, first = inspect.getsourcelines(function)
    found = {first + n for n, line in enumerate(lines) for text in texts if text in line}
    assert len(found) == len(texts), (texts, found)
    return found


def test_batch_jobs_2_workers_are_measured_by_coverage(tmp_path: Path) -> None:
    histories = [json.dumps(json.loads(example_text(name))) for name in examples()] * 8
    source = tmp_path / "schools.jsonl"
    source.write_text("".join(line + "\n" for line in histories), encoding="utf-8")
    data = tmp_path / ".coverage"
    # The run is measured by its own coverage only, not by any the tests run under.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    coverage = [sys.executable, "-m", "coverage"]
    subprocess.run(
        [
            *coverage,
            "run",
            f"--rcfile={ROOT / 'pyproject.toml'}",
            f"--data-file={data}",
            "-m",
            "iqm_rules",
            "batch",
            str(source),
            "-o",
            str(tmp_path / "statuses.jsonl"),
            "--jobs",
            "2",
            "--as-of",
            "2025-01-01",
        ],
        check=True,
        env=environment,
        cwd=tmp_path,
        capture_output=True,
    )
    subprocess.run(
        [*coverage, "combine", f"--rcfile={ROOT / 'pyproject.toml'}", f"--data-file={data}"],
        check=True,
        env=environment,
        cwd=tmp_path,
        capture_output=True,
    )
    measured = CoverageData(basename=str(data))
    measured.read()
    covered = set(measured.lines(str(Path(pool.__file__).resolve())) or ())
    only_in_workers = _lines_of(
        pool._worker_started, "signal.signal(number, signal.SIG_IGN)", "_die_with_parent()"
    ) | _lines_of(pool._guarded, "return Done(")
    assert only_in_workers <= covered, sorted(only_in_workers - covered)
    in_the_parent = _lines_of(pool.mapped, "pool = multiprocessing.Pool(")
    assert in_the_parent <= covered
