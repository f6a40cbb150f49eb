"""Peak memory and time of reading and deciding big histories (docs/testing.md, "Limits").

    python tools/measure_memory.py 1000 10000 100000

For each count, a history with one assessment holding that many evidence items is written to a
temporary file, then read and decided in a fresh interpreter; prints the file size, peak
resident memory (above the interpreter's own), its ratio to the file size, and the seconds taken.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from iqm_rules.examples import example_text

_CHILD = """
import resource, sys, time
from datetime import date
from iqm_rules.interchange import load_history, dump_status
from iqm_rules.lifecycle import status
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
history = load_history(open(sys.argv[1], "rb").read())
dump_status(status(history, date(2030, 1, 1)))
seconds = time.perf_counter() - start
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, seconds)
"""


def _document(items: int) -> str:
    document = json.loads(example_text("first-award"))
    assessment = document["events"][0]
    template = assessment["evidence"][0]
    assessment["evidence"] = [{**template, "id": f"E{n}"} for n in range(items)]
    return json.dumps(document)


def main(counts: list[int]) -> None:
    print("| evidence items | file | peak memory | memory / file | seconds |")
    print("| --- | --- | --- | --- | --- |")
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "big.json"
            path.write_text(_document(count), encoding="utf-8")
            size = path.stat().st_size
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            before, peak, seconds = done.stdout.split()
            used = (int(peak) - int(before)) * 1024
            print(
                f"| {count:,} | {size / 1e6:.1f} MB | {used / 1e6:.0f} MB | "
                f"{used / size:.1f}x | {float(seconds):.1f} |"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]])
