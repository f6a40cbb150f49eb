"""``iqm-rules conformance export|run|adapter``: the conformance suite for other implementations.

``export`` writes every case to a new directory and checks that the generated corpus shows
every rule passing and failing, every outcome, award state and change kind; ``run`` runs an
exported suite on a program or a service; ``adapter`` answers one request with this library.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence

from iqm_rules._shown import shown
from iqm_rules.auditing.case_files import CaseError
from iqm_rules.auditing.cases import Coverage
from iqm_rules.cli.commands import write
from iqm_rules.cli.exits import ExitStatus, Failure
from iqm_rules.cli.files import written_in
from iqm_rules.conformance.corpus import (
    Case,
    coverage,
    example_cases,
    generated_cases,
    rule_cases,
)
from iqm_rules.conformance.generated import COUNT, SEED
from iqm_rules.conformance.protocol import BadRequest, answer, protocol_schema
from iqm_rules.conformance.runner import (
    INDEX,
    BadSuite,
    by_command,
    by_url,
    load_suite,
    run_suite,
)
from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import schema
from iqm_rules.interchange._jsontext import canonical_json

INDEX_FORMAT = "iqm-rules/conformance-index@1"
PROTOCOL_SCHEMAS = ("request", "response", "case")
FORMAT_SCHEMAS = ("history", "policy", "status", "decision", "timeline")


def run(args: argparse.Namespace) -> int:
    action: str = args.action
    if action == "export":
        return _export(args)
    if action == "run":
        return _run(args)
    return _adapter()


# --- export ---------------------------------------------------------------------------------------


def _cases(paths: Sequence[str]) -> list[Case]:
    try:
        cases = [*rule_cases(paths), *example_cases(), *generated_cases()]
    except CaseError as error:
        raise Failure(f"--cases: {error.where}: {error.problem}") from None
    except (InvalidRecord, OSError) as error:
        raise Failure(f"--cases: {error}") from None
    seen = Counter(case.id for case in cases)
    repeated = [id for id, count in seen.items() if count > 1]
    if repeated:
        raise Failure(f"--cases: two cases would be {repeated[0]}; give files of other names")
    return cases


def _coverage_json(seen: Coverage) -> dict[str, list[str]]:
    return {
        "rules_passing": list(seen.passing),
        "rules_failing": list(seen.failing),
        "outcomes": [o.value for o in seen.outcomes],
        "states": [s.value for s in seen.states],
        "changes": [c.value for c in seen.changes],
    }


def _gaps(seen: Coverage) -> list[str]:
    return [
        *(f"{rule} never passes" for rule in seen.never_passing),
        *(f"{rule} never fails" for rule in seen.never_failing),
        *(f"outcome {o.value} never occurs" for o in seen.never_outcomes),
        *(f"state {s.value} never occurs" for s in seen.never_states),
        *(f"change {c.value} never occurs" for c in seen.never_changes),
    ]


def _index(cases: Sequence[Case], generated: Coverage, whole: Coverage) -> str:
    return canonical_json(
        {
            "format": INDEX_FORMAT,
            "generated": {"seed": SEED, "histories": COUNT},
            "coverage": {"generated": _coverage_json(generated), "all": _coverage_json(whole)},
            "cases": [
                {"id": c.id, "file": f"cases/{c.id}.json", "source": c.source, "ask": c.ask}
                for c in cases
            ],
        }
    )


def _schema_text(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _export(args: argparse.Namespace) -> int:
    cases = _cases(args.cases)
    generated = coverage(c for c in cases if c.source == "generated")
    gaps = _gaps(generated)
    if gaps:
        raise Failure(f"the generated corpus is incomplete: {'; '.join(gaps)}")
    whole = coverage(cases)
    folder: str = args.directory
    for case in cases:
        with written_in(folder, f"cases/{case.id}.json") as out:
            out.write(case.document() + "\n")
    for name in PROTOCOL_SCHEMAS:
        with written_in(folder, f"schemas/conformance-{name}.schema.json") as out:
            out.write(_schema_text(protocol_schema(name)))
    for name in FORMAT_SCHEMAS:
        with written_in(folder, f"schemas/{name}.schema.json") as out:
            out.write(_schema_text(schema(name)))  # type: ignore[arg-type]
    with written_in(folder, INDEX) as out:
        out.write(_index(cases, generated, whole) + "\n")
    write(_export_text(folder, cases, generated))
    return ExitStatus.OK


def _export_text(folder: str, cases: Sequence[Case], generated: Coverage) -> str:
    sources = Counter(case.source for case in cases)
    asks = Counter(case.ask for case in cases)
    refused = sum('"iqm-rules/conformance-refusal@1"' in case.expected for case in cases)
    return "\n".join(
        [
            shown(f"{len(cases)} cases written to {folder}"),
            f"  {sources['rule case']} from rule cases, {sources['example']} from the examples, "
            f"{sources['generated']} from {COUNT} generated histories (seed {SEED})",
            f"  {asks['status']} status, {asks['decision']} decision and {asks['timeline']} "
            f"timeline questions; {refused} refused documents",
            "generated corpus:",
            f"  rules passing: {', '.join(generated.passing)}",
            f"  rules failing: {', '.join(generated.failing)}",
            f"  outcomes: {', '.join(o.value for o in generated.outcomes)}",
            f"  award states: {', '.join(s.value for s in generated.states)}",
            f"  changes: {', '.join(c.value for c in generated.changes)}",
        ]
    )


# --- run ------------------------------------------------------------------------------------------


def _selected(
    cases: Iterable[dict[str, object]], patterns: Sequence[str]
) -> list[dict[str, object]]:
    if not patterns:
        return list(cases)
    return [c for c in cases if any(fnmatch.fnmatchcase(str(c["id"]), p) for p in patterns)]


def _run(args: argparse.Namespace) -> int:
    try:
        cases = _selected(load_suite(args.suite), args.case)
    except BadSuite as error:
        raise Failure(str(error)) from None
    if not cases:
        raise Failure(f"--case: no case of {args.suite} matches {', '.join(args.case)}")
    if args.program is not None:
        if not args.program.strip():
            raise Failure("--command: give the program to run")
        ask = by_command(args.program, args.timeout)
    else:
        ask = by_url(args.url, args.timeout)
    passed = failed = 0
    for result in run_suite(cases, ask, jobs=args.jobs, strict=args.strict):
        if result.passed:
            passed += 1
            continue
        failed += 1
        write(shown(f"FAIL {result.case}: {result.problem}"))
    write(f"{passed} passed, {failed} failed")
    return ExitStatus.DISAGREEMENT if failed else ExitStatus.OK


# --- adapter --------------------------------------------------------------------------------------


def _adapter() -> int:
    text = sys.stdin.buffer.read()
    try:
        request = json.loads(text.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Failure(f"standard input: not a JSON document ({error})") from None
    try:
        response = answer(request)
    except BadRequest as error:
        raise Failure(f"standard input: {error}") from None
    write(response)
    return ExitStatus.OK
