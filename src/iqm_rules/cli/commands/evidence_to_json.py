"""``iqm-rules evidence-to-json``: an evidence log kept as CSV, as JSON for tools."""

from __future__ import annotations

import argparse
import os
import sys

from iqm_rules.cli import inputs
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.plans import evidence_json, load_evidence_csv


def run(args: argparse.Namespace) -> int:
    from iqm_rules.cli.batching import replaced  # atomic -o; loaded only when run

    source: str = args.csv
    if args.output is not None and source != "-" and _same(source, args.output):
        raise Failure(f"-o {args.output}: would write over the input {source}")
    raw = sys.stdin.buffer.read() if source == "-" else inputs.read(source)
    text = evidence_json(load_evidence_csv(raw, "<stdin>" if source == "-" else source))
    with replaced(args.output) as out:
        out.write(text)
    return ExitStatus.OK


def _same(one: str, other: str) -> bool:
    """Whether two names are one file (the output may not exist yet)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.abspath(one) == os.path.abspath(other)
