"""``iqm-rules test``: run rule case files; each mismatch named, exit status 1 on any failure."""

from __future__ import annotations

import argparse

from iqm_rules.auditing.cases import coverage, run_cases
from iqm_rules.cli import inputs, office_text
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus


def run(args: argparse.Namespace) -> int:
    results = run_cases(args.paths)
    write(
        office_text.case_results_text(
            results, coverage(results) if args.coverage else None, inputs.words(args)
        )
    )
    return ExitStatus.DISAGREEMENT if any(not r.passed for r in results) else ExitStatus.OK
