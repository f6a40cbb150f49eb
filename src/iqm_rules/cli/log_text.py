"""The texts of ``iqm-rules log``: a verification, an entry a line, a status on request.

Every value that comes from the log (ids, reasons, record errors) passes through
:func:`~iqm_rules._shown.shown` before it reaches a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from iqm_rules._shown import shown
from iqm_rules.auditing.verify import Verification
from iqm_rules.decision_log.chain import LogVerification, Signature, SignatureCheck
from iqm_rules.decision_log.entries import Entry
from iqm_rules.decision_log.standing import Standing

__all__ = ["LISTED", "entry_line", "standing_text", "verification_text"]

LISTED = 10
"""The most failing records or signatures a verification lists one by one."""


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _listed(lines: Sequence[str]) -> list[str]:
    kept = [f"  {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        kept.append(f"  … and {len(lines) - LISTED} more (--json lists them all)")
    return kept


def _record_line(sequence: int, found: Verification | str) -> str:
    reason = found if isinstance(found, str) else found.lines()[0]
    return f"entry {sequence}: {reason}"


def _keys(checks: Sequence[SignatureCheck]) -> str:
    ids = sorted({str(c.key_id) for c in checks if c.state is Signature.SIGNED})
    return ", ".join(ids)


def _signatures(verification: LogVerification) -> list[str]:
    checks = verification.signatures
    signed = [c for c in checks if c.state is Signature.SIGNED]
    failing = [
        f"entry {c.sequence}: {c.state.value}" + (f" (key {c.key_id})" if c.key_id else "")
        for c in verification.failed_signatures
    ]
    if verification.trusted:
        head = f"signatures: {len(signed)} of {len(checks)} by a trusted key"
    elif not any(c.state is not Signature.UNSIGNED for c in checks):
        return ["signatures: none (entries are signed when appended with --sign-with)"]
    else:
        head = (
            f"signatures: {len(signed)} of {len(checks)} signed, not checked against a "
            "trusted key (give --trust)"
        )
    if signed:
        head += f"; key {_keys(signed)}"
    return [head, *_listed(failing)]


def verification_text(name: str, verification: LogVerification) -> str:
    """What ``log verify`` prints: the log's size and head, then the chain, the records and
    the signatures, each with its failures."""
    count = verification.count
    records = verification.failed_records
    lines = [
        f"{name}: {_plural(count, 'entry', 'entries')}, head {verification.head.text()}",
        "chain: holds" if verification.broken is None else f"chain: {verification.broken.line()}",
        f"records: {count - len(records)} of {count} reproduce",
        *_listed([_record_line(n, found) for n, found in records]),
        *_signatures(verification),
    ]
    return "\n".join(shown(line) for line in lines)


def _question(entry: Entry) -> str:
    about = entry.about()
    if about.kind == "status" and about.as_of is not None:
        return f"status on {about.as_of}"
    if about.kind == "decision":
        return "decision"
    return "(unreadable record)"


def entry_line(entry: Entry) -> str:
    """One entry, for ``log show``: sequence, time, school, question, hash and signer."""
    school = entry.about().school_id or "?"
    signer = f"signed {entry.key_id}" if entry.signed else "unsigned"
    return shown(
        f"{entry.sequence:>5}  {entry.written_at}  {school}  {_question(entry)}  "
        f"{entry.hash[:16]}  {signer}"
    )


def standing_text(answer: Standing) -> str:
    """What ``log status`` prints: the awards held, the record, the entry and its signer."""
    held = ", ".join(award.title for award in answer.held) or "no award"
    entry = answer.entry
    end = "on" if answer.covers_until is None else f"to {answer.covers_until}"
    lines = [f"{answer.school_id} on {answer.as_of}: holds {held}"]
    for award in answer.held:
        status = answer.awards[award.value]
        lines.append(
            f"  {award.title}: {status.get('state')} since {status.get('since')}, "
            f"due {status.get('due')}, lapses on {status.get('lapses_on')}"
        )
    lines += [
        f"as the status of {answer.record_as_of} shows it (it covers {answer.record_as_of} {end})",
        f"entry {entry.sequence}, written {entry.written_at}, hash {entry.hash}",
        f"entry signed by key {entry.key_id}" if entry.signed else "entry unsigned",
    ]
    return "\n".join(shown(line) for line in lines)
