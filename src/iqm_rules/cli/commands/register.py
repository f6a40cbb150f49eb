"""``iqm-rules register``: one row per school and award held on a date, across schools."""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

from iqm_rules.cli import batching, inputs, office_text
from iqm_rules.cli.inputs import PolicySource
from iqm_rules.office import rows as office_rows


def run(args: argparse.Namespace) -> int:
    as_of = inputs.as_of(args.as_of)
    policy = PolicySource.named(args.policy)
    policy.load()
    items, size = batching.documents_in(Path(args.input))
    work = functools.partial(office_rows.holding_rows, as_of, policy)
    with batching.over(items, size, args.output, work, args.jobs) as run:
        rows = (row for found in run.values() for row in found)
        if args.json:
            lines = office_rows.rows_json(rows)
        elif args.csv:
            lines = office_rows.rows_csv(office_rows.holding_header(), rows)
        else:
            kept = list(rows)
            lines = iter(
                [office_text.register_text(kept, as_of, run.total - run.failed, inputs.words(args))]
            )
        for line in lines:
            run.out.write(line if line.endswith("\n") else line + "\n")
    return batching.finished(run)
