"""``iqm-rules audit``: recorded outcomes compared with the rules, over one school or many.

``SOURCE`` is one history, a JSON Lines file of histories, a directory of history files or
``-``; the schools are audited in input order with ``--jobs`` workers and a progress bar (see
:mod:`iqm_rules.cli.batching`), and the report is rendered by
:mod:`iqm_rules.auditing.audit_report`.
Exit status 1 when any recorded outcome disagrees or any input could not be read.
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from iqm_rules.auditing.audit_report import (
    AuditReport,
    BadInput,
    SchoolAudit,
    audit_school,
    report_csv,
    report_json,
    report_jsonl,
    report_text,
    summarise,
)
from iqm_rules.cli import batching, inputs
from iqm_rules.cli.batching import Done, Failed, Item, Run
from iqm_rules.cli.exits import ExitStatus
from iqm_rules.cli.inputs import Input, PolicySource
from iqm_rules.cli.text import columns
from iqm_rules.interchange import load_history


def run(args: argparse.Namespace) -> int:
    policy = PolicySource.named(args.policy)
    policy.load()
    work = functools.partial(school_audit, policy)
    if args.file is not None and args.file != "-" and Path(args.file).is_dir():
        directory = Path(args.file)
        items = batching.files_in(directory)
        with batching.over(
            items, batching.files_size(directory), args.output, work, args.jobs
        ) as run_:
            report = _reported(run_, args)
    else:
        source = Input.given(
            args.file,
            args.example,
            name="SOURCE",
            wanted="a history, a JSON Lines file, a directory",
        )
        name = args.example or ("stdin" if args.file == "-" else args.file)
        split = functools.partial(documents, name)
        with batching.running(source, args.output, work, args.jobs, split) as run_:
            report = _reported(run_, args)
    return ExitStatus.OK if report.clean else ExitStatus.DISAGREEMENT


def _reported(run: Run[SchoolAudit], args: argparse.Namespace) -> AuditReport:
    """The report of the run, written to its output in the format asked for."""
    report = summarise(_located(run.results()))
    render = _renderer(args)
    if render is report_text:
        text = report_text(report, columns(run.out), inputs.words(args))
    elif render is report_csv:
        text = report_csv(report, inputs.words(args))
    else:
        text = render(report)
    run.out.write(text if not text or text.endswith("\n") else text + "\n")
    if render is not report_text:
        for bad in report.bad:
            run.progress.say(f"{bad.location}: {bad.error}")
    return report


def _renderer(args: argparse.Namespace) -> Callable[[AuditReport], str]:
    if args.json:
        return report_json
    if args.jsonl:
        return report_jsonl
    if args.csv:
        return report_csv
    return report_text


def _located(results: Iterable[Done[SchoolAudit] | Failed]) -> Iterator[SchoolAudit | BadInput]:
    for result in results:
        if isinstance(result, Done):
            yield result.value.located(result.where)
        else:
            yield BadInput(result.where, result.problem)


def documents(name: str, stream: IO[bytes]) -> Iterator[Item]:
    """The histories of a file: JSON Lines (``NAME:LINE`` each) when its first non-blank line
    is a JSON document by itself, else the whole file as one document (``NAME``)."""
    number = 0
    for number, first in enumerate(stream, start=1):  # noqa: B007
        if first.strip():
            break
    else:
        return
    try:
        json.loads(first)
    except (ValueError, RecursionError):  # not one document by itself (or too deep to tell)
        yield Item(name, first + stream.read())
        return
    yield Item(f"{name}:{number}", first)
    for number, line in enumerate(stream, start=number + 1):  # noqa: B020
        if line.strip():
            yield Item(f"{name}:{number}", line)


def school_audit(policy: PolicySource, text: bytes) -> SchoolAudit:
    """The audit of one history document (run in a worker with ``--jobs``)."""
    return audit_school(load_history(text), policy.load())
