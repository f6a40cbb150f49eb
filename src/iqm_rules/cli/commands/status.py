"""``iqm-rules status``: what a school holds on a date, what must happen next, and the audit of
what was applied; with ``--record FILE``, also its decision record, and with ``--log LOG`` that
record appended to a decision log."""

from __future__ import annotations

import argparse

from iqm_rules.auditing.audit import compare
from iqm_rules.cli import inputs, school_text
from iqm_rules.cli.commands import (
    history,
    keep_record,
    signer,
    write,
    write_disagreements,
)
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.interchange import dump_status
from iqm_rules.lifecycle.next_steps import next_steps
from iqm_rules.lifecycle.replay import replay


def run(args: argparse.Namespace) -> int:
    key = signer(args, records=args.record is not None or args.log is not None).load()
    school = history(args)
    as_of, policy = inputs.as_of(args.as_of), inputs.PolicySource.named(args.policy).load()
    replayed = replay(school, policy)
    report = replayed.status(as_of)
    steps = next_steps(replayed, as_of)
    audited = compare(school, report.decisions)
    if args.record or args.log:
        from iqm_rules.auditing.record import record_status  # only when a record is asked for

        keep_record(args, record_status(school, as_of, policy, signer=key), key)
    if args.json:
        write(dump_status(report, steps))
        write_disagreements(audited.disagreements)
    else:
        write(school_text.status_text(school, report, audited, steps, inputs.words(args)))
    return ExitStatus.DISAGREEMENT if audited.disagreements else ExitStatus.OK
