"""Benchmarks of ``iqm_rules`` (``make bench``), measured as users run it: every figure is a ratio
to a baseline of the same run, so results compare across machines.

Method: CPU time (``time.process_time``; for commands, the children's CPU time from
``resource.getrusage(RUSAGE_CHILDREN)``) with the garbage collector **on**, as the command line and
embedding applications run, and the collector-off figure beside it. Every run of a section is
timed once per round, the rounds interleaved, so a slow spell of a shared machine falls on every
run alike; a figure is the fastest round and the *noise* is how much slower the median round was.

1. One history of 10, 100, 1,000 and 10,000 events: ``json.loads`` of its text (the floor),
   ``load_history`` and ``status``. Targets: load + status ≤ 5x ``json.loads`` at 100, 1,000 and
   10,000 events and ≤ 6x at 10; ``status`` of 10x the events costs ≤ 11x the time.
2. ``decide`` of one flagship assessment with 16 evidence items: ≤ 50 µs.
3. ``iqm-rules status --example flagship-journey``, wall time against ``python -c pass``: ≤ 6x.
4. ``iqm-rules batch`` on 6,500 generated histories (one per school of the scheme) against a
   ``json.loads`` + ``json.dumps`` loop over the same lines: ``--jobs 1`` ≤ 3x in CPU time;
   ``--jobs 2`` at least 1.7x faster than ``--jobs 1`` (see :func:`batch` for how that is
   measured on a shared machine); peak memory (``ru_maxrss``) over 40,000 lines against 4,000
   lines at most 1.25x (batch streams). The memory runs use schools new to the scheme.
5. ``iqm-rules audit`` of the same histories against ``batch``, in CPU time: ≤ 1.5x.
6. ``iqm-rules what-if`` over the same histories (a proposed policy changing the FS-4 boundary)
   against two ``batch`` runs, in CPU time: ≤ 1.2x (what-if replays under two policies).
7. ``iqm-rules upcoming`` and ``register`` over the same histories against ``batch``, in CPU
   time: ≤ 1.5x each.

Prints a table with PASS/FAIL per target, writes ``docs/benchmarks.md`` and exits 1 if a target
is missed. ``--quick`` (or ``BENCH_QUICK=1`` in the environment) runs a smoke test ten times
smaller and writes no docs.
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from attrs import evolve, frozen

sys.path.insert(0, str(Path(__file__).parent))

import iqm_rules
from generate import long_history, newcomers, scheme
from iqm_rules.assessment import Assessment
from iqm_rules.awards import Award
from iqm_rules.decisions.decision import decide
from iqm_rules.decisions.facts import Prior
from iqm_rules.history import event_date
from iqm_rules.interchange import load_history
from iqm_rules.lifecycle.replay import status

DOCS = Path(__file__).parent.parent / "docs" / "benchmarks.md"
AS_OF = "2025-09-01"
SCHOOLS = 6_500
MEMORY_LINES = (4_000, 40_000)
LOAD_LIMIT = 5.0
SMALL_LOAD_LIMIT = 6.0
SCALING_LIMIT = 11.0
DECIDE_LIMIT = 50e-6
STARTUP_LIMIT = 6.0
BATCH_LIMIT = 3.0
JOBS_LIMIT = 1.7
MEMORY_LIMIT = 1.25
AUDIT_LIMIT = 1.5
WHATIF_LIMIT = 1.2
OFFICE_LIMIT = 1.5
SAMPLE = 0.02
"""Seconds a timed sample should last at least: short runs are repeated within a sample."""


@frozen
class Target:
    """One target: what is measured, the figure, the limit and whether it is met.

    ``at_least`` marks a floor (a speed-up) rather than a ceiling.
    """

    name: str
    figure: float
    limit: float
    at_least: bool = False

    @property
    def passed(self) -> bool:
        return self.figure >= self.limit if self.at_least else self.figure <= self.limit


@frozen
class Timing:
    """The rounds of one run, in seconds per call: collector on and collector off."""

    on: tuple[float, ...]
    off: tuple[float, ...]

    @property
    def best(self) -> float:
        """The fastest round, collector on (the figure of every target)."""
        return min(self.on)

    @property
    def best_off(self) -> float:
        return min(self.off)

    @property
    def noise(self) -> float:
        """How much slower the median round was than the fastest, collector on (0.05 = 5%)."""
        return statistics.median(self.on) / min(self.on) - 1


def _sample(run: Callable[[], object], number: int, collector: bool) -> float:
    """CPU seconds per call of ``number`` calls, the collector on or paused (then restored)."""
    gc.collect()
    if not collector:
        gc.disable()
    try:
        start = time.process_time()
        for _ in range(number):
            run()
        return (time.process_time() - start) / number
    finally:
        gc.enable()


def measure(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, Timing]:
    """Each run timed in ``rounds`` interleaved rounds, collector on and off, in CPU time.

    A run that takes less than :data:`SAMPLE` is called several times per sample.
    """
    numbers = {}
    for name, run in runs.items():
        once = _sample(run, 1, True)
        numbers[name] = max(1, round(SAMPLE / max(once, 1e-9)))
    on: dict[str, list[float]] = {name: [] for name in runs}
    off: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            on[name].append(_sample(run, numbers[name], True))
            off[name].append(_sample(run, numbers[name], False))
    return {name: Timing(tuple(on[name]), tuple(off[name])) for name in runs}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def _markdown(rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(rows[0]) + " |",
        "|" + " --- |" * len(rows[0]),
        *("| " + " | ".join(row) + " |" for row in rows[1:]),
    ]


def _say(what: str) -> None:
    print(f"  {what}", file=sys.stderr, flush=True)


# --- 1. one long history ----------------------------------------------------------------------


def one_history(sizes: Sequence[int], rounds: int) -> tuple[list[list[str]], list[Target]]:
    """load_history + status against json.loads of the same text, per size of history."""
    rows = [
        [
            "events",
            "text",
            "json.loads",
            "load_history",
            "status",
            "(load+status)/json",
            "collector off",
            "noise",
        ]
    ]
    targets: list[Target] = []
    replays: dict[int, float] = {}
    for events in sizes:
        text = json.dumps(long_history(events))
        history = load_history(text)
        as_of = max(event_date(event) for event in history.events)
        timed = measure(
            {
                "floor": lambda: json.loads(text),  # noqa: B023
                "load": lambda: load_history(text),  # noqa: B023
                "replay": lambda: status(history, as_of),  # noqa: B023
            },
            max(3, rounds if events < 10_000 else rounds // 2),
        )
        floor, load, replay = timed["floor"], timed["load"], timed["replay"]
        ratio = (load.best + replay.best) / floor.best
        ratio_off = (load.best_off + replay.best_off) / floor.best_off
        replays[events] = replay.best
        rows.append(
            [
                f"{events:,}",
                f"{len(text) / 1e6:,.2f} MB",
                _ms(floor.best),
                _ms(load.best),
                _ms(replay.best),
                f"{ratio:.2f}x",
                f"{ratio_off:.2f}x",
                _pct(max(t.noise for t in timed.values())),
            ]
        )
        limit = SMALL_LOAD_LIMIT if events < 100 else LOAD_LIMIT
        targets.append(
            Target(
                f"load_history + status ≤ {limit:g}x json.loads, {events:,} events", ratio, limit
            )
        )
        _say(f"{events:>6,} events: {rows[-1][2:]}")
    small, large = sorted(replays)[-2:]
    growth = replays[large] / replays[small]
    rows.append(
        [f"{large:,} / {small:,}", "", "", "", f"{growth:.1f}x", "", "", ""],
    )
    targets.append(
        Target(
            f"status of {large // small}x the events ({small:,} → {large:,}) ≤ "
            f"{SCALING_LIMIT:g}x the time",
            growth * 10 / (large // small),
            SCALING_LIMIT,
        )
    )
    return rows, targets


# --- 2. one decision ----------------------------------------------------------------------------


def sixteen_items() -> tuple[Assessment, Prior]:
    """A flagship assessment with 16 evidence items, and a prior under which every rule runs."""
    history = load_history(json.dumps(long_history(60)))
    sought = next(
        event
        for event in history.events
        if isinstance(event, Assessment)
        and event.level_sought is Award.FLAGSHIP
        and len(event.evidence) >= 16
    )
    assessment = evolve(sought, evidence=sought.evidence[:16])
    since = date(sought.held_on.year - 4, sought.held_on.month, 1)
    prior = Prior(frozenset({Award.INCLUSIVE_SCHOOL, Award.CENTRE_OF_EXCELLENCE}), since)
    return assessment, prior


def one_decision(rounds: int) -> tuple[list[list[str]], list[Target]]:
    assessment, prior = sixteen_items()
    timed = measure({"decide": lambda: decide(assessment, prior)}, rounds)["decide"]
    rows = [
        ["measure", "time", "collector off", "noise"],
        [
            "decide, flagship sought, 16 evidence items",
            _us(timed.best),
            _us(timed.best_off),
            _pct(timed.noise),
        ],
    ]
    _say(f"decide: {rows[1][1:]}")
    target = Target(
        f"decide of one assessment with 16 evidence items ≤ {DECIDE_LIMIT * 1e6:g} µs",
        timed.best * 1e6,
        DECIDE_LIMIT * 1e6,
    )
    return rows, [target]


# --- 3. a one-file command ----------------------------------------------------------------------


@frozen
class Ran:
    """One finished process: wall time, its (and its children's) CPU time, peak memory in KiB."""

    wall: float
    cpu: float
    peak: int


def run_process(command: list[str], ok: Iterable[int] = (0,)) -> Ran:
    """Run ``command`` to its end; CPU time is the ``RUSAGE_CHILDREN`` difference it made."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, code, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if os.waitstatus_to_exitcode(code) not in tuple(ok):
        raise SystemExit(f"{command} failed ({code}): {stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Ran(wall, cpu, usage.ru_maxrss)


def _command() -> list[str]:
    """``iqm-rules`` as installed beside this Python (as users run it), else ``-m iqm_rules``."""
    script = Path(sys.executable).parent / "iqm-rules"
    return [str(script)] if script.exists() else [sys.executable, "-m", "iqm_rules"]


def startup(rounds: int) -> tuple[list[list[str]], list[Target]]:
    """Wall and CPU time of a one-file command against an empty Python, interleaved rounds."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import attrs, cattrs' (the runtime dependencies alone)": [
            sys.executable,
            "-c",
            "import attrs, cattrs, cattrs.gen, cattrs.strategies",
        ],
        "iqm-rules status --example flagship-journey": [
            *_command(),
            *("status", "--example", "flagship-journey", "--as-of", AS_OF),
        ],
    }
    found: dict[str, list[Ran]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            found[name].append(run_process(command))
    rows = [["process", "wall", "CPU", "noise (wall)"]]
    for name, ran in found.items():
        walls = [r.wall for r in ran]
        rows.append(
            [
                name,
                _ms(min(walls)),
                _ms(min(r.cpu for r in ran)),
                _pct(statistics.median(walls) / min(walls) - 1),
            ]
        )
    empty, dependencies, ours = (found[name] for name in commands)
    wall = min(r.wall for r in ours) / min(r.wall for r in empty)
    cpu = min(r.cpu for r in ours) / min(r.cpu for r in empty)
    floor = min(r.wall for r in dependencies) / min(r.wall for r in empty)
    rows.append(["ratio of iqm-rules to python -c pass", f"{wall:.2f}x", f"{cpu:.2f}x", ""])
    rows.append(["ratio of the dependencies alone to python -c pass", f"{floor:.2f}x", "", ""])
    _say(f"startup: {rows[1:]}")
    name = f"iqm-rules status --example flagship-journey ≤ {STARTUP_LIMIT:g}x python -c pass (wall)"
    return rows, [Target(name, wall, STARTUP_LIMIT)]


# --- 4. batch -----------------------------------------------------------------------------------


def _write_lines(path: Path, lines: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            out.write("\n")


def _batch(source: Path, target: Path, jobs: int) -> Ran:
    """One ``iqm-rules batch`` process."""
    command = [*_command(), "batch", str(source), "-o", str(target)]
    return run_process([*command, "--as-of", AS_OF, "--jobs", str(jobs)])


def _round_trip(path: Path) -> None:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.dumps(json.loads(line))


def batch(
    directory: Path, schools: int, memory_lines: tuple[int, int], rounds: int
) -> tuple[list[list[str]], list[Target]]:
    """Batch figures: ``--jobs 1`` and ``--jobs 2`` in interleaved rounds, then peak memory.

    On a shared machine the wall time of ``--jobs 2`` says more about the other users than about
    the pool, so the speed-up is CPU-time-aware: ``2 x CPU(--jobs 1) / CPU(--jobs 2)``, what two
    free cores would give once the pool's own costs (its workers' start, the lines sent to them
    and back) are paid; the measured wall speed-up is shown beside it. Run first: a child's
    ``ru_maxrss`` starts from its parent's peak (the fork before exec), so this process must not
    have held anything large yet.
    """
    source = directory / "scheme.jsonl"
    _write_lines(source, scheme(schools))
    floor = measure({"floor": lambda: _round_trip(source)}, max(3, rounds // 2))["floor"]
    ones: list[Ran] = []
    twos: list[Ran] = []
    for _ in range(2 if rounds > 3 else 1):
        ones.append(_batch(source, directory / "out1.jsonl", 1))
        twos.append(_batch(source, directory / "out2.jsonl", 2))
    if not filecmp.cmp(directory / "out1.jsonl", directory / "out2.jsonl", shallow=False):
        raise SystemExit("--jobs 2 output differs from --jobs 1")
    one_cpu, two_cpu = min(r.cpu for r in ones), min(r.cpu for r in twos)
    one_wall, two_wall = min(r.wall for r in ones), min(r.wall for r in twos)
    speed_up = 2 * one_cpu / two_cpu
    rows = [["measure", "CPU", "wall", "ratio"]]
    rows.append(
        [
            f"json.loads + json.dumps, {schools:,} lines (collector off: {_ms(floor.best_off)})",
            _ms(floor.best),
            "",
            "1.0x",
        ]
    )
    rows.append(
        [
            f"batch --jobs 1, {schools:,} lines",
            _ms(one_cpu),
            _ms(one_wall),
            f"{one_cpu / floor.best:.2f}x",
        ]
    )
    rows.append(
        [
            f"batch --jobs 2, {schools:,} lines",
            _ms(two_cpu),
            _ms(two_wall),
            f"speed-up {speed_up:.2f}x (CPU-aware), {one_wall / two_wall:.2f}x (wall)",
        ]
    )
    _say(f"batch: {rows[1:]}")
    peaks = []
    for count in memory_lines:
        many = directory / f"many-{count}.jsonl"
        _write_lines(many, newcomers(count))
        ran = _batch(many, directory / "many.out", 2)
        peaks.append(ran.peak)
        rows.append(
            [
                f"batch --jobs 2, {count:,} one-event lines: peak {ran.peak / 1024:,.1f} MiB",
                _ms(ran.cpu),
                _ms(ran.wall),
                "",
            ]
        )
        many.unlink()
        _say(f"memory: {rows[-1]}")
    rows[-1][3] = f"{peaks[1] / peaks[0]:.2f}x memory"
    targets = [
        Target(
            f"batch --jobs 1 ≤ {BATCH_LIMIT:g}x json.loads + json.dumps (CPU)",
            one_cpu / floor.best,
            BATCH_LIMIT,
        ),
        Target(
            f"batch --jobs 2 ≥ {JOBS_LIMIT:g}x faster than --jobs 1 (CPU-aware)",
            speed_up,
            JOBS_LIMIT,
            at_least=True,
        ),
        Target(
            f"peak memory, {memory_lines[1]:,} / {memory_lines[0]:,} lines ≤ {MEMORY_LIMIT:g}",
            peaks[1] / peaks[0],
            MEMORY_LIMIT,
        ),
    ]
    return rows, targets


# --- 5. audit -----------------------------------------------------------------------------------


def audit(directory: Path, schools: int, rounds: int) -> tuple[list[list[str]], list[Target]]:
    """``iqm-rules audit`` of the scheme's histories against ``batch`` of the same lines, in CPU
    time, interleaved rounds."""
    source = directory / "audit-scheme.jsonl"
    _write_lines(source, scheme(schools))
    base = _command()
    batch_command = [*base, "batch", str(source), "--as-of", AS_OF, "-o", str(directory / "b")]
    audit_command = [*base, "audit", str(source), "--json", "-o", str(directory / "a")]
    batches: list[Ran] = []
    audits: list[Ran] = []
    for _ in range(rounds):
        batches.append(run_process(batch_command))
        audits.append(run_process(audit_command, (0, 1)))
    one, checked = min(r.cpu for r in batches), min(r.cpu for r in audits)
    rows = [["measure", "CPU", "ratio"]]
    rows.append([f"batch --jobs 1, {schools:,} lines", _ms(one), "1.0x"])
    rows.append([f"audit --jobs 1, {schools:,} lines", _ms(checked), f"{checked / one:.2f}x"])
    _say(f"audit: {rows[1:]}")
    return rows, [Target(f"audit ≤ {AUDIT_LIMIT:g}x batch (CPU)", checked / one, AUDIT_LIMIT)]


# --- 6. what-if ---------------------------------------------------------------------------------


def whatif(directory: Path, schools: int, rounds: int) -> tuple[list[list[str]], list[Target]]:
    """What-if CPU time against two batch runs over the same lines, interleaved rounds: what-if
    replays every history under two policies, so two batch runs are its floor."""
    source = directory / "scheme.jsonl"
    if not source.exists():
        _write_lines(source, scheme(schools))
    policy = directory / "proposed.toml"
    policy.write_text(
        'id = "proposed"\neffective_from = 2000-01-01\nflagship_boundary = "more_than"\n'
    )
    command = [*_command(), "what-if", str(source), "--policy", str(policy)]
    command += ["--as-of", AS_OF, "--jsonl", "-o", str(directory / "whatif.jsonl")]
    batches: list[Ran] = []
    whatifs: list[Ran] = []
    for _ in range(rounds):
        batches.append(_batch(source, directory / "batch.jsonl", 1))
        whatifs.append(run_process(command))
    one, compared = min(r.cpu for r in batches), min(r.cpu for r in whatifs)
    changed = sum(1 for _ in (directory / "whatif.jsonl").open(encoding="utf-8"))
    rows = [["measure", "CPU", "ratio"]]
    rows.append([f"2 x batch --jobs 1, {schools:,} lines", _ms(2 * one), "1.0x"])
    rows.append(
        [
            f"what-if --jobs 1, {schools:,} lines ({changed:,} schools changed)",
            _ms(compared),
            f"{compared / (2 * one):.2f}x",
        ]
    )
    _say(f"what-if: {rows[1:]}")
    target = Target(
        f"what-if ≤ {WHATIF_LIMIT:g}x two batch runs (CPU)", compared / (2 * one), WHATIF_LIMIT
    )
    return rows, [target]


# --- 7. the scheme office: upcoming and register ------------------------------------------------


def office(directory: Path, schools: int, rounds: int) -> tuple[list[list[str]], list[Target]]:
    """``upcoming`` and ``register`` over the scheme's histories, as ratios to ``batch`` on the
    same lines in the same run, in CPU time, interleaved rounds (target: at most 1.5x batch)."""
    source = directory / "office.jsonl"
    _write_lines(source, scheme(schools))
    out = directory / "office-out"
    runs = {
        name: [*_command(), name, str(source), "--as-of", AS_OF, *extra, "-o", f"{out}-{name}"]
        for name, extra in (("batch", []), ("upcoming", []), ("register", ["--csv"]))
    }
    found: dict[str, list[Ran]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, command in runs.items():
            found[name].append(run_process(command))
    timed = {name: min(r.cpu for r in ran) for name, ran in found.items()}
    rows = [["measure", "CPU", "ratio to batch"]]
    rows += [
        [f"{name}, {schools:,} lines", _ms(t), f"{t / timed['batch']:.2f}x"]
        for name, t in timed.items()
    ]
    _say(f"office: {rows[1:]}")
    targets = [
        Target(
            f"{name} ≤ {OFFICE_LIMIT:g}x batch (CPU)", timed[name] / timed["batch"], OFFICE_LIMIT
        )
        for name in ("upcoming", "register")
    ]
    return rows, targets


# --- report -------------------------------------------------------------------------------------


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def _compiled() -> None:
    """The package's modules compiled to bytecode, as an installer leaves them.

    pip writes bytecode when it installs a package; an editable install run with
    ``PYTHONDONTWRITEBYTECODE`` set would instead compile every module in every process started,
    which would measure the compiler, not the command.
    """
    compileall.compile_dir(Path(iqm_rules.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="ten times smaller; no docs written")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("BENCH_QUICK", "") not in ("", "0")
    scale = 10 if quick else 1
    rounds = 3 if quick else 9
    sizes = (10, 100, 1_000) if quick else (10, 100, 1_000, 10_000)
    machine = f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
    _compiled()
    load_before = _load()
    print(f"iqm_rules benchmarks ({machine}; load average {load_before})", file=sys.stderr)
    with tempfile.TemporaryDirectory() as directory:
        memory = (MEMORY_LINES[0] // scale, MEMORY_LINES[1] // scale)
        batch_rows, batch_targets = batch(Path(directory), SCHOOLS // scale, memory, rounds)
        audit_rows, audit_targets = audit(Path(directory), SCHOOLS // scale, 1 if quick else 2)
        whatif_rows, whatif_targets = whatif(Path(directory), SCHOOLS // scale, 1 if quick else 2)
        office_rows, office_targets = office(Path(directory), SCHOOLS // scale, 1 if quick else 2)
    startup_rows, startup_targets = startup(rounds + 1)
    decide_rows, decide_targets = one_decision(rounds)
    history_rows, history_targets = one_history(sizes, rounds)
    targets = history_targets + decide_targets + startup_targets + batch_targets + audit_targets
    targets += whatif_targets + office_targets
    target_rows = [["target", "figure", "limit", "result"]]
    target_rows += [
        [t.name, f"{t.figure:.2f}", f"{t.limit:g}", "PASS" if t.passed else "FAIL"] for t in targets
    ]
    load_after = _load()
    sections = [
        ("1. One history: load and status against json.loads", history_rows),
        ("2. One decision", decide_rows),
        ("3. A one-file command against an empty Python", startup_rows),
        ("4. Batch", batch_rows),
        ("5. Audit against batch", audit_rows),
        ("6. What-if against two batch runs", whatif_rows),
        ("7. upcoming and register against batch", office_rows),
        ("Targets", target_rows),
    ]
    for title, rows in sections:
        print(f"\n{title}")
        print("\n".join(_table(rows)))
    print(f"\nload average (1 / 5 / 15 min): {load_before} before, {load_after} after")
    if not quick:
        _write_docs(machine, f"{load_before} before the run, {load_after} after", sections)
    missed = [t for t in targets if not t.passed]
    return 1 if missed else 0


def _write_docs(machine: str, load: str, sections: list[tuple[str, list[list[str]]]]) -> None:
    """The figures of this run into ``docs/benchmarks.md``, between its ``figures`` markers."""
    page = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- figures: start -->", "<!-- figures: end -->"
    figures = [
        start,
        "",
        f"Measured on {machine}; load average (1 / 5 / 15 minutes): {load}.",
    ]
    for title, rows in sections:
        figures += ["", f"### {title}", "", *_markdown(rows)]
    figures += ["", end]
    head, _, rest = page.partition(start)
    _, _, tail = rest.partition(end)
    DOCS.write_text(head + "\n".join(figures) + tail, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
