"""``iqm-rules decide``: one assessment's decision, replayed in its place (§7.8); with
``--record FILE``, also its decision record, and with ``--log LOG`` that record appended to a
decision log."""

from __future__ import annotations

import argparse

from iqm_rules.assessment import Assessment
from iqm_rules.auditing.audit import compare
from iqm_rules.cli import inputs, school_text
from iqm_rules.cli.commands import (
    history,
    keep_record,
    signer,
    write,
    write_disagreements,
)
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.inputs import PolicySource
from iqm_rules.interchange import dump_decision
from iqm_rules.lifecycle.replay import status


def run(args: argparse.Namespace) -> int:
    key = signer(args, records=args.record is not None or args.log is not None).load()
    school = history(args)
    wanted: str = args.assessment
    try:
        assessment = school.assessment(wanted)
    except KeyError:
        ids = [event.id for event in school.events if isinstance(event, Assessment)]
        raise Failure(
            f"--assessment: no assessment {wanted!r} in this history; "
            f"the assessments are {', '.join(ids) or 'none'}"
        ) from None
    policy = PolicySource.named(args.policy).load()
    report = status(school, assessment.held_on, policy)
    decision = next(d for d in report.decisions if d.assessment_id == wanted)
    audited = compare(school, (decision,))
    if args.record or args.log:
        from iqm_rules.auditing.record import record_decision  # only when a record is asked for

        keep_record(args, record_decision(school, wanted, policy, signer=key), key)
    if args.json:
        write(dump_decision(decision))
        write_disagreements(audited.disagreements)
    else:
        write(school_text.decision_text(school, assessment, decision, audited, inputs.words(args)))
    return ExitStatus.DISAGREEMENT if audited.disagreements else ExitStatus.OK
