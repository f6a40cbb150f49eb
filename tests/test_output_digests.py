"""Output is byte-identical to what was recorded before the reading path and replay were sped up.

``tests/data/output_digests.json`` holds SHA-256 digests of every output of
``tests/output_digests.py``; regenerate it only for a change meant to alter output.
"""

from __future__ import annotations

import json

from output_digests import DIGESTS, digests


def test_every_output_is_byte_identical_to_the_recorded_digests() -> None:
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    found = digests()
    assert sorted(found) == sorted(recorded)
    changed = [name for name, digest in found.items() if recorded[name] != digest]
    assert changed == []


def test_the_recorded_digests_cover_examples_and_benchmark_histories() -> None:
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    kinds = {name.split("/")[0] for name in recorded}
    assert kinds == {"example", "long", "scheme"}
    assert any(name.startswith("long/1000/status@") for name in recorded)
