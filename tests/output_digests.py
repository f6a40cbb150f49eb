"""SHA-256 digests of what the library writes, to prove that a change keeps output byte-identical.

For every bundled example and for seeded benchmark histories (``benchmarks/generate.py``): the
canonical history after reading it, the status document and text, the decision documents (one
digest for them all) and the timeline document and text. ``python tests/output_digests.py`` writes
``tests/data/output_digests.json``; ``tests/test_output_digests.py`` compares against it. The file
was recorded before the reading path and the replay were made faster, and must not change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

from iqm_rules.auditing.audit import compare
from iqm_rules.cli import school_text
from iqm_rules.history import SchoolHistory, event_date
from iqm_rules.interchange import (
    dump_decision,
    dump_history,
    dump_status,
    load_history,
)
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.interchange.formats import timeline_document
from iqm_rules.lifecycle.replay import status, timeline
from scripts import module_at

__all__ = ["DIGESTS", "digests", "generator", "sources"]

DIGESTS = Path(__file__).parent / "data" / "output_digests.json"
AS_OF = date(2025, 9, 1)
LONG = (10, 100, 1_000)
SCHOOLS = 60


def generator() -> ModuleType:
    """``benchmarks/generate.py``, which is not a package module."""
    path = Path(__file__).parent.parent / "benchmarks" / "generate.py"
    return module_at(path, "iqm_rules_bench_generate")


def sources() -> Iterator[tuple[str, str]]:
    """Every history read, by name: the examples, long histories and a slice of the scheme."""
    for name in examples():
        yield f"example/{name}", example_text(name)
    generate = generator()
    for events in LONG:
        yield f"long/{events}", json.dumps(generate.long_history(events))
    for number, line in enumerate(generate.scheme(SCHOOLS), start=1):
        yield f"scheme/{number}", line


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _outputs(history: SchoolHistory) -> Iterator[tuple[str, str]]:
    last = max((event_date(event) for event in history.events), default=AS_OF)
    for as_of in sorted({AS_OF, last}):
        report = status(history, as_of)
        day = as_of.isoformat()
        yield f"status@{day}", dump_status(report)
        audited = compare(history, report.decisions)
        yield f"status-text@{day}", school_text.status_text(history, report, audited)
        yield f"decisions@{day}", "\n".join(dump_decision(d) for d in report.decisions)
    changes = timeline(history)
    yield "timeline", timeline_document(history.school.id, changes)
    yield "timeline-text", school_text.timeline_text(history, changes)


def digests() -> dict[str, str]:
    """``source/output`` to the SHA-256 of that output's UTF-8 text."""
    found: dict[str, str] = {}
    for name, text in sources():
        history = load_history(text)
        found[f"{name}/history"] = _sha(dump_history(history))
        for output, written in _outputs(history):
            found[f"{name}/{output}"] = _sha(written)
    return found


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}", file=sys.stderr)
