"""An adapter wrong on purpose: it reads FS-4's boundary as ``more_than`` under every policy.

Used by tests/test_conformance.py to show that the suite catches it.
"""

from __future__ import annotations

import json
import sys

from iqm_rules.conformance.protocol import answer
from iqm_rules.interchange.formats import POLICY_FORMAT


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    policy = request["policy"] or {
        "format": POLICY_FORMAT,
        "id": "iqm-2025.1",
        "effective_from": "0001-01-01",
    }
    for entry in policy.get("policies", [policy]):
        entry["flagship_boundary"] = "more_than"
    request["policy"] = policy
    sys.stdout.write(answer(request) + "\n")


if __name__ == "__main__":
    main()
