"""``iqm-rules evidence-to-json``: an evidence log kept as CSV, as JSON for tools."""

from __future__ import annotations

import argparse
import sys

from iqm_rules.cli import inputs
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.files import written
from iqm_rules.office.plans import evidence_json, load_evidence_csv


def run(args: argparse.Namespace) -> int:
    source: str = args.csv
    raw = sys.stdin.buffer.read() if source == "-" else inputs.read(source)
    text = evidence_json(load_evidence_csv(raw, "<stdin>" if source == "-" else source))
    with written(args.output) as out:
        out.write(text)
    return ExitStatus.OK
