"""``iqm-rules readiness``: how ready a school is for a planned assessment, level by level;
exit status 1 when the level sought is not met yet (something is missing)."""

from __future__ import annotations

import argparse

from attrs import evolve

from iqm_rules.cli import inputs
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import Input
from iqm_rules.cli.readiness_text import readiness_text
from iqm_rules.decisions.readiness import ReadinessState
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import parse_json
from iqm_rules.office.plans import dump_readiness, load_evidence_csv, load_plan, plan_readiness


def run(args: argparse.Namespace) -> int:
    text = Input.given(args.file, args.example).read()
    data = parse_json(text)
    if not isinstance(data, dict):
        raise InvalidRecord("", "a plan must be a JSON object")
    plan = load_plan(data)
    if args.evidence is not None:
        raw = inputs.read(args.evidence)
        plan = evolve(plan, evidence=load_evidence_csv(raw, args.evidence))
    result = plan_readiness(plan, inputs.PolicySource.named(args.policy).load())
    if args.json:
        write(dump_readiness(plan, result))
    else:
        write(readiness_text(plan, result, inputs.words(args)))
    if result.level(plan.level_sought).state is ReadinessState.NOT_MET:
        return ExitStatus.DISAGREEMENT  # the level sought is not met yet
    return ExitStatus.OK
