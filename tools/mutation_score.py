"""Print the mutation score per module from ``mutmut results --all true`` output.

Each line of that output is ``MUTANT_NAME: STATUS``, the name starting with the module's dotted path
(``iqm_rules.decisions.rules.x_ev_1__mutmut_3``). Killed (and timed-out) mutants count as caught;
survivors, and mutants no selected test ran (``no tests``), count against the score and are listed
so that each gets a test or a line in docs/testing.md. The mutants named in
``tools/mutation_equivalent.toml`` (no test can tell them from the original, each with why) are left
out of the score and listed apart; one of them that was killed is reported as a stale entry. Exit
status 1 if a module scores below ``--floor`` (default 97) or a mutant was left unchecked.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

_LINE = re.compile(r"\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)")
_CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
_MISSED = {"survived", "no tests", "suspicious", "skipped"}
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.toml")


def equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    """Mutant name -> why no test can tell it from the original."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))["equivalent"]
    return {str(name): str(reason) for name, reason in table.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--floor", type=float, default=97.0)
    args = parser.parse_args(argv)
    excluded = equivalent()
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    missed: list[str] = []
    stale: list[str] = []
    seen: set[str] = set()
    for line in args.results.read_text(encoding="utf-8").splitlines():
        found = _LINE.fullmatch(line)
        if not found:
            continue
        name, status = found["name"], found["status"].strip()
        module = name.rsplit(".", 1)[0]
        seen.add(name)
        if name in excluded:
            per_module[module]["equivalent"] += 1
            if status in _CAUGHT:
                stale.append(f"{name}: {status}")
            continue
        per_module[module][status] += 1
        if status in _MISSED:
            missed.append(f"{name}: {status}")
    failed = False
    for module, counts in sorted(per_module.items()):
        caught = sum(counts[s] for s in _CAUGHT)
        judged = caught + sum(counts[s] for s in _MISSED)
        score = 100 * caught / judged if judged else 100.0
        failed |= score < args.floor or counts["not checked"] > 0
        print(
            f"{module}: {score:.1f}% killed ({caught} of {judged}; {dict(sorted(counts.items()))})"
        )
    for entry in missed:
        print(f"not killed: {entry}")
    for name in sorted(set(excluded) & seen):
        print(f"equivalent: {name}: {excluded[name]}")
    for entry in stale:
        print(f"stale equivalent entry (killed): {entry}")
    for name in sorted(set(excluded) - seen):
        print(f"stale equivalent entry (no such mutant): {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
