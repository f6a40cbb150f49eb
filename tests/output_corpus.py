"""Every kind of JSON the project writes, from the bundled examples, each with its schema's name.

Used by ``tests/test_output_schemas.py`` (``jsonschema``) and by ``make schema-check`` (``ajv``):
``python tests/output_corpus.py DIR`` writes ``DIR/NAME/N.json`` for each schema ``NAME``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from iqm_rules.assessment import Assessment
from iqm_rules.auditing.record import dump_record, record_decision, record_status
from iqm_rules.auditing.signing import SigningKey
from iqm_rules.auditing.verify import dump_verifications, verify
from iqm_rules.cli import main
from iqm_rules.interchange import load_history
from iqm_rules.interchange.answers import decision_answer, status_answer, timeline_answer
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.office.policy_files import default_policy_text

ROOT = Path(__file__).resolve().parent.parent
DATES = (date(2019, 1, 1), date(2025, 9, 1), date(2031, 2, 28))


def _printed(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(argv)) in (0, 1), argv
    return out.getvalue()


def _evidence_csv(folder: Path, name: str) -> Path | None:
    history = load_history(example_text(name))
    assessments = [e for e in history.events if isinstance(e, Assessment) and e.evidence]
    if not assessments:
        return None
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "element", "principles", "kind", "collected on", "summary"])
        for i in assessments[-1].evidence:
            principles = ";".join(p.value for p in i.principles)
            writer.writerow(
                [i.id, i.element.title, principles, i.kind.title, i.collected_on, i.summary]
            )
    return path


def corpus() -> Iterator[tuple[str, Any]]:
    """(schema name, document) for every kind of JSON written, from every example."""
    key = SigningKey.generate()
    schools = str(ROOT / "docs" / "examples" / "schools.jsonl")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in examples():
            history = load_history(example_text(name))
            yield "history", json.loads(example_text(name))
            for on in DATES:
                yield "status", json.loads(status_answer(history, on))
                yield "timeline", json.loads(timeline_answer(history, as_of=on))
                record = record_status(history, on, signer=key)
                yield "record", json.loads(dump_record(record))
                yield "verification", json.loads(dump_verifications([verify(record)]))
            for event in history.events:
                if isinstance(event, Assessment):
                    yield "decision", json.loads(decision_answer(history, event.id))
                    yield "record", json.loads(dump_record(record_decision(history, event.id)))
            log = _evidence_csv(folder, name)
            if log is not None:
                yield "evidence", json.loads(_printed("evidence-to-json", str(log)))
        for day in ("2019-01-01", "2025-09-01", "2031-02-28"):
            for line in _printed(
                "upcoming", schools, "--as-of", day, "--within", "3650", "--json"
            ).splitlines():
                yield "upcoming", json.loads(line)
            for line in _printed("register", schools, "--as-of", day, "--json").splitlines():
                yield "register", json.loads(line)
            yield "audit-report", json.loads(_printed("audit", schools, "--json"))
        logs = ROOT / "docs" / "examples"
        for log in (logs / "decisions.sqlite", logs / "tampered.sqlite"):
            yield "log-verification", json.loads(_printed("log", "verify", str(log), "--json"))
            yield "log-head", json.loads(_printed("log", "head", str(log), "--json"))
            for line in _printed("log", "show", str(log), "--json").splitlines():
                yield "log-entry", json.loads(line)
        for school, day in (("URN-140876", "2026-01-15"), ("URN-131245", "2025-09-01")):
            decisions = str(logs / "decisions.sqlite")
            answer = _printed("log", "status", decisions, school, "--as-of", day, "--json")
            yield "log-status", json.loads(answer)
        default = folder / "default.toml"
        default.write_text(default_policy_text(), encoding="utf-8")
        books = [ROOT / "docs" / "examples" / "book.toml", ROOT / "docs/examples/strict.json"]
        for book in (*books, default):
            for day in ("2000-01-01", "2026-09-01", "2030-01-01"):
                shown = _printed("policy", "show", str(book), "--on", day, "--json")
                yield "policy-settings", json.loads(shown)


def write(folder: Path) -> dict[str, int]:
    """The corpus as files, ``folder/NAME/N.json``; how many of each."""
    counts: dict[str, int] = {}
    for name, document in corpus():
        counts[name] = counts.get(name, 0) + 1
        target = folder / name / f"{counts[name]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return counts


if __name__ == "__main__":
    print(json.dumps(write(Path(sys.argv[1])), sort_keys=True))
