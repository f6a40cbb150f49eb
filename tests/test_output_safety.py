"""No output is ever lost: encoding, ``batch -o`` targets, write failures, killed batches."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iqm_rules.examples import example_text, examples
from strategies_interchange import minimal_history

HISTORIES = tuple(json.dumps(json.loads(example_text(name))) for name in examples())


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``iqm-rules ARGS`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "iqm_rules", *args],
        capture_output=True,
        input=None if stdin is None else stdin.encode("utf-8"),
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def _lines(path: Path, count: int = 1) -> Path:
    path.write_text("".join(h + "\n" for h in HISTORIES * count), encoding="utf-8")
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_defect_3_json_output_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    document = minimal_history()
    document["school"] = {"id": "URN-École-学校", "name": "École Ørsted — 学校"}
    source = tmp_path / "h.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    ascii_locale = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    done = run("status", str(source), "--as-of", "2024-06-01", "--json", env=ascii_locale)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["school_id"] == "URN-École-学校"
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    done = run("batch", str(lines), "--as-of", "2024-06-01", env=ascii_locale)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["school_id"] == "URN-École-学校"
    done = run("timeline", str(source), env=ascii_locale)
    assert done.returncode == 0, done.stderr


def test_defect_4_batch_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = _lines(tmp_path / "schools.jsonl")
    before = source.read_bytes()
    done = run("batch", str(source), "-o", str(source), "--as-of", "2025-01-01")
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert b"is the input" in done.stderr
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    done = run("batch", str(source), "-o", str(link), "--as-of", "2025-01-01")
    assert done.returncode == 2
    assert b"is the input" in done.stderr
    assert source.read_bytes() == before
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("target", [".", "folder"])
def test_defect_4_batch_refuses_a_directory_before_any_work(tmp_path: Path, target: str) -> None:
    (tmp_path / "folder").mkdir()
    source = _lines(tmp_path / "in.jsonl")
    done = subprocess.run(
        [sys.executable, "-m", "iqm_rules", "batch", str(source), "-o", target],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert b"is a directory" in done.stderr
    assert b"Traceback" not in done.stderr


def _full_device(folder: Path) -> Path:
    """A private node of the full device (1, 7): a wrong implementation replaces only it."""
    node = folder / "full"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except (PermissionError, AttributeError):
        pytest.skip("needs permission to make a device node")
    return node


def test_defect_4_a_full_device_is_one_line_and_exit_2(tmp_path: Path) -> None:
    full = _full_device(tmp_path)
    source = _lines(tmp_path / "in.jsonl", 20)
    done = run("batch", str(source), "-o", str(full), "--as-of", "2025-01-01")
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().count("\n") == 1
    assert b"No space left" in done.stderr
    assert full.is_char_device()
    with open(full, "wb") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "iqm_rules", "status", "--example", "first-award", "--json"],
            stdout=sink,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_defect_4_a_folder_without_write_permission_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    source = _lines(tmp_path / "in.jsonl")
    done = run("batch", str(source), "-o", str(locked / "out.jsonl"))
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1


def test_defect_5_a_later_run_removes_stale_temporary_files_of_a_killed_one(
    tmp_path: Path,
) -> None:
    source = _lines(tmp_path / "in.jsonl", 300)
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "iqm_rules", "batch", str(source), "-o", str(target), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not _leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    process.kill()
    _, err = process.communicate(timeout=60)
    time.sleep(0.5)  # orphaned workers, if any, would write now
    assert b"Traceback" not in err
    assert _leftovers(tmp_path), "the killed run had started writing"
    done = run("batch", str(_lines(tmp_path / "small.jsonl")), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert _leftovers(tmp_path) == []
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(HISTORIES)


def test_defect_5_a_busy_jobs_2_batch_ends_on_every_sigterm(tmp_path: Path) -> None:
    source = _lines(tmp_path / "in.jsonl", 200)
    target = tmp_path / "out.jsonl"
    for attempt in range(8):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "iqm_rules",
                "batch",
                str(source),
                "-o",
                str(target),
                "--jobs",
                "2",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(0.3 + 0.15 * attempt)
        os.killpg(process.pid, signal.SIGTERM)  # parent and workers alike, as a shell's kill would
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"attempt {attempt}: batch hung after SIGTERM")
        assert b"Traceback" not in err, err
        assert process.returncode in (0, 143, -signal.SIGTERM), (process.returncode, err)
        assert _leftovers(tmp_path) == []
