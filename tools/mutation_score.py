"""Print the mutation score per module from ``mutmut results --all true`` output.

Each line of that output is ``MUTANT_NAME: STATUS``, the name starting with the module's
dotted path (``iqm_rules.rules.x_ev_1__mutmut_3``). Killed (and timed-out) mutants count as
caught; survivors are listed so that each gets a test or a line in docs/testing.md.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

_LINE = re.compile(r"\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)")
_CAUGHT = {"killed", "timeout", "segfault"}


def main(path: Path) -> int:
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _LINE.fullmatch(line)
        if not found:
            continue
        module = found["name"].rsplit(".", 1)[0]
        status = found["status"].strip()
        per_module[module][status] += 1
        if status == "survived":
            survivors.append(found["name"])
    for module, counts in sorted(per_module.items()):
        caught = sum(counts[s] for s in _CAUGHT)
        judged = caught + counts["survived"]
        score = 100 * caught / judged if judged else 100.0
        print(f"{module}: {score:.1f}% killed ({caught} of {judged}; {dict(counts)})")
    for name in survivors:
        print(f"survived: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
