"""A one-file command loads only what it runs: no pool, no temporary files, no progress bar, no
web service, no package metadata, none of the other commands' modules, no TOML parser, no
hashing and no database (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NOT_NEEDED = (
    "multiprocessing",
    "concurrent.futures",
    "tempfile",
    "tqdm",
    "starlette",
    "uvicorn",
    "importlib.metadata",
    "iqm_rules.cli.batching",
    "iqm_rules.server.service",
    "iqm_rules.auditing.audit_report",
    "iqm_rules.auditing.cases",
    "iqm_rules.auditing.case_files",
    "iqm_rules.office.rows",
    "iqm_rules.office.policy_files",
    "tomllib",
    "hashlib",
    "csv",
    "sqlite3",
    "iqm_rules.decision_log.sqlite",
)

_SCRIPT = """
import json, sys
from iqm_rules.cli.app import main
code = main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
raise SystemExit(code)
"""


def _modules_after(*argv: str) -> set[str]:
    unmeasured = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *argv],
        capture_output=True,
        text=True,
        check=True,
        env=unmeasured,  # coverage, measuring subprocesses, would load modules of its own
    )
    loaded: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return set(loaded)


def test_status_of_one_file_imports_only_what_it_runs() -> None:
    loaded = _modules_after("status", "--example", "flagship-journey", "--as-of", "2025-09-01")
    assert "iqm_rules.lifecycle.replay" in loaded
    assert sorted(name for name in NOT_NEEDED if name in loaded) == []


def test_the_version_is_read_only_when_asked_for() -> None:
    script = (
        "import sys, iqm_rules; before = 'importlib.metadata' in sys.modules; "
        "print(before, iqm_rules.__version__ == __import__('importlib.metadata')"
        ".metadata.version('iqm-rules'))"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_a_record_still_loads_what_it_needs(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    loaded = _modules_after(
        "status", "--example", "flagship-journey", "--as-of", "2025-09-01", "--record", str(target)
    )
    assert {"iqm_rules.auditing.record", "hashlib"} <= loaded
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "iqm-rules/record@2"


def test_the_audit_report_class_is_loaded_when_first_asked_for() -> None:
    script = (
        "import sys, iqm_rules; before = 'iqm_rules.auditing.audit_report' in sys.modules; "
        "from iqm_rules.auditing.audit_report import AuditReport; "
        "print(before, iqm_rules.AuditReport is AuditReport, 'AuditReport' in dir(iqm_rules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True", "True"]


def test_a_log_is_opened_only_when_asked_for(tmp_path: Path) -> None:
    log = tmp_path / "office.log"
    loaded = _modules_after(
        "status", "--example", "flagship-journey", "--as-of", "2025-09-01", "--log", str(log)
    )
    assert {"sqlite3", "iqm_rules.decision_log.sqlite"} <= loaded
    assert "starlette" not in loaded
    script = (  # coverage, measuring the tests, may have imported sqlite3 itself already
        "import sys; before = 'sqlite3' in sys.modules; import iqm_rules; "
        "print('sqlite3' in sys.modules and not before, "
        "any(m.startswith('iqm_rules.decision_log') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"]
