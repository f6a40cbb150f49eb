"""Write the seed corpus of ``make fuzz``: every bundled example, one file each."""

from __future__ import annotations

import sys
from pathlib import Path

from iqm_rules.interchange.examples import example_text, examples

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for name in examples():
        (folder / f"{name}.json").write_text(example_text(name), encoding="utf-8")
