"""``iqm-rules what-if``: the schools a proposed policy would affect, streamed in input order."""

from __future__ import annotations

import argparse
import functools
from datetime import date
from pathlib import Path

from iqm_rules.auditing import whatif, whatif_said
from iqm_rules.cli import batching, inputs
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import Input, PolicySource
from iqm_rules.cli.text import PROG, columns
from iqm_rules.interchange import load_history


def run(args: argparse.Namespace) -> int:
    as_of = inputs.as_of(args.as_of)
    proposed = PolicySource.named(args.policy)
    base = PolicySource.named(args.base)
    proposed.load()
    base.load()
    work = functools.partial(school_change, as_of, base, proposed)
    path = Path(args.input)
    if args.input != "-" and path.is_dir():
        items = batching.files_in(path)
        size = batching.files_size(path)
        with batching.over(items, size, args.output, work, args.jobs) as batch:
            _write(batch, args)
    else:
        source = Input.given(args.input, None, name="IN.jsonl|DIR", wanted="IN.jsonl or a DIR")
        with batching.running(source, args.output, work, args.jobs) as batch:
            _write(batch, args)
    if batch.failed:
        batch.progress.say(
            f"{PROG}: {batch.failed} of {batch.total} histories could not be read; "
            "they are not compared"
        )
        return ExitStatus.LINE_FAILED
    return ExitStatus.OK


def _write(batch: batching.Run[whatif.SchoolChange], args: argparse.Namespace) -> None:
    """Each changed school as it comes (text, JSON Lines, CSV), then the summary or document."""
    changed: list[whatif.SchoolChange] = []
    unchanged = 0
    words, width = inputs.words(args), columns(batch.out)
    if args.csv:
        batch.out.write(whatif.csv_header())
    for change in batch.values():
        if change.unchanged:
            unchanged += 1
            continue
        if args.jsonl:
            batch.out.write(whatif.jsonl_line(change) + "\n")
        elif args.csv:
            batch.out.write(whatif.csv_rows(change))
        elif not args.json:
            batch.out.write(whatif_said.school_text(change, words, width))
        changed.append(change)
    summary = whatif.summarise(changed, unchanged)
    if args.json:
        batch.out.write(whatif.json_text(changed, summary))
    elif not (args.jsonl or args.csv):
        batch.out.write(whatif_said.summary_text(summary, words, width))


def school_change(
    as_of: date, base: PolicySource, proposed: PolicySource, text: bytes
) -> whatif.SchoolChange:
    """What ``proposed`` changes for the school of one history (run in a worker with --jobs)."""
    return whatif.compare_school(load_history(text), as_of, base.load(), proposed.load())
