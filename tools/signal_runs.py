"""``make signals``: ``batch``, ``what-if`` and ``audit`` with ``--jobs 2``, signalled at random.

    python tools/signal_runs.py                 # 200 runs of each command, two busy loops
    python tools/signal_runs.py --runs 20 --busy 0

Each run sends SIGTERM, SIGINT or SIGKILL, to the parent or to its whole process group, at a moment
drawn uniformly over the time a whole run takes: measured first, unsignalled, under the same load,
then followed as the load changes (each run that finished before its signal says how long a whole
run takes now), and is judged by ``tests/signalling.py``: it ends (none hangs), with no traceback,
the input intact, nothing under the output's name unless complete, and no process left. Prints a
table of runs and problems by command and signal; exits 1 if any run fell short.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from signalling import COMMANDS, KINDS, Workspace, busy_loops, signalled


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=200, help="runs of each command")
    options.add_argument("--busy", type=int, default=2, help="busy loops loading the cores")
    options.add_argument("--seed", type=int, default=None, help="seed of the random moments")
    chosen = options.parse_args()
    seed = chosen.seed if chosen.seed is not None else int.from_bytes(os.urandom(4), "big")
    draw = random.Random(seed)
    loops = busy_loops(chosen.busy)
    started = time.monotonic()
    runs: Counter[tuple[str, str]] = Counter()
    failed: list[str] = []
    outcomes: Counter[tuple[str, str]] = Counter()
    try:
        with tempfile.TemporaryDirectory(prefix="iqm-signals-") as folder:
            space = Workspace.made(Path(folder))
            print(
                f"seed {seed}; {chosen.busy} busy loops; {len(space.inputs())} input files; "
                "unsignalled run: " + ", ".join(f"{c} {s:.2f} s" for c, s in space.seconds.items()),
                flush=True,
            )
            span = dict(space.seconds)
            for n in range(chosen.runs):
                for command in COMMANDS:
                    kind, to = KINDS[draw.randrange(len(KINDS))]
                    delay = draw.uniform(0, span[command])
                    target = Path(folder) / f"out-{command}-{n}"
                    done = signalled(space, command, kind, to, delay, target)
                    label = f"{kind} to {to}"
                    runs[(command, label)] += 1
                    ended = "finished" if done.returncode in (0, 1) else "stopped"
                    if ended == "finished":  # the whole run took this long, at today's load
                        span[command] = 0.7 * span[command] + 0.3 * done.seconds
                    outcomes[(command, ended)] += 1
                    if done.problems:
                        failed.append(done.describe())
                        print("FAIL", done.describe(), flush=True)
                    target.unlink(missing_ok=True)
                    for part in Path(folder).glob(f".{target.name}.*.part"):
                        part.unlink()
                if (n + 1) % 20 == 0:
                    print(f"{n + 1} runs of each command, {len(failed)} problems", flush=True)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    print(f"\n{sum(runs.values())} runs in {time.monotonic() - started:.0f} s, seed {seed}")
    print(f"{'command':<9} {'signal':<16} {'runs':>5}")
    for (command, label), count in sorted(runs.items()):
        print(f"{command:<9} {label:<16} {count:>5}")
    for command in COMMANDS:
        print(
            f"{command}: {outcomes[(command, 'stopped')]} stopped by the signal, "
            f"{outcomes[(command, 'finished')]} had finished first"
        )
    hangs = sum("hung" in line for line in failed)
    tracebacks = sum("traceback" in line for line in failed)
    print(f"problems: {len(failed)} ({hangs} hangs, {tracebacks} tracebacks)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
