"""Every text of the pages under ``/app``, in the reader's language.

Each text is a whole sentence of the message catalogs (:mod:`iqm_rules.words`), so that
``make messages`` finds it and the Welsh catalog translates it; the templates name them by key
(``t.school_title``). A sentence with a value takes it by a named placeholder, filled in here
by :func:`said`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from iqm_rules.words import Words, words

__all__ = ["said", "texts"]


@cache
def texts(language: str) -> Mapping[str, str]:
    """The fixed texts of the pages in ``language``, by key."""
    w = words(language)
    return MappingProxyType(
        {
            "site": w.gettext("Inclusion Quality Mark: awards, rule by rule"),
            "skip": w.gettext("Skip to the main content"),
            "nav": w.gettext("Pages"),
            "home": w.gettext("Start"),
            "language": w.gettext("Language"),
            "api": w.gettext("For developers: the API reference"),
            "home_title": w.gettext("Pages for assessors, the awards office and school leaders"),
            "home_lead": w.gettext(
                "Look at a school, check a decision record, read the rules, see how ready a "
                "school is, or try a policy change. Nothing you upload is kept."
            ),
            "school_title": w.gettext("A school"),
            "school_what": w.gettext(
                "A school's status on a date, what to do next, its journey and every decision."
            ),
            "verify_title": w.gettext("Verify a decision record"),
            "verify_what": w.gettext(
                "Whether a decision record is what the rules decide, and who signed it."
            ),
            "rulebook_title": w.gettext("The rulebook"),
            "rulebook_what": w.gettext(
                "Every rule, the parameters it reads and their values on a date."
            ),
            "readiness_title": w.gettext("Readiness for an assessment"),
            "readiness_what": w.gettext(
                "What a school still needs before a planned assessment, and by when."
            ),
            "whatif_title": w.gettext("What if the policy changed"),
            "whatif_what": w.gettext(
                "Which schools a proposed policy would affect, and the rules behind each change."
            ),
            "problem": w.gettext("There is a problem"),
            "error_prefix": w.gettext("Error:"),
            "submit": w.gettext("Continue"),
            "optional": w.gettext("(optional)"),
            "history_file": w.gettext("Upload a history file"),
            "history_file_hint": w.gettext(
                "An iqm-rules/history@1 document, as JSON. Give one history: a file, a pasted "
                "one or an example."
            ),
            "history_text": w.gettext("Or paste a history"),
            "example": w.gettext("Or pick a bundled example"),
            "no_example": w.gettext("No example"),
            "as_of": w.gettext("Date"),
            "as_of_hint": w.gettext("The day to look at the school on, written YYYY-MM-DD."),
            "policy_file": w.gettext("Policy file"),
            "policy_hint": w.gettext(
                "An iqm-rules/policy@1 document, TOML or JSON. Without one, the service's own "
                "policy applies."
            ),
            "downloads": w.gettext("Downloads"),
            "download_report": w.gettext("Download the report page"),
            "download_json": w.gettext("Download the status as JSON"),
            "another": w.gettext("Look at another school"),
            "record_file": w.gettext("Upload a decision record"),
            "record_hint": w.gettext(
                "An iqm-rules/record@2 (or @1) document, or JSON Lines of records."
            ),
            "verdict": w.gettext("Verdict"),
            "passes": w.gettext("This record passes: the rules decide today what it records."),
            "fails": w.gettext("This record does not pass."),
            "record_unreadable": w.gettext("This record cannot be read."),
            "details": w.gettext("What the check found"),
            "policy_on": w.gettext("Show the values in force on"),
            "show": w.gettext("Show"),
            "rules_decisions": w.gettext("Decisions: what each level needs (section 3)"),
            "rules_lifecycle": w.gettext("The award's life: dates and renewals (section 4)"),
            "rule_id": w.gettext("Rule"),
            "rule_text": w.gettext("What it says"),
            "rule_reads": w.gettext("Parameters it reads, and their values"),
            "reads_nothing": w.gettext("No parameter"),
            "judgement": w.gettext("Needs the assessors' judgement"),
            "parameters": w.gettext("Parameters"),
            "parameter": w.gettext("Parameter"),
            "meaning": w.gettext("What it means"),
            "value": w.gettext("Value"),
            "set_by": w.gettext("Set by"),
            "default": w.gettext("the default"),
            "history_of": w.gettext("A parameter's history across the book"),
            "history_pick": w.gettext("Parameter"),
            "from": w.gettext("From"),
            "policy_id": w.gettext("Policy"),
            "plan_file": w.gettext("Upload a plan"),
            "plan_hint": w.gettext(
                "An iqm-rules/planned@1 document, or a history whose last assessment is planned."
            ),
            "evidence_file": w.gettext("Evidence log"),
            "evidence_hint": w.gettext(
                "A CSV file, to use instead of the plan's evidence: the columns of "
                "iqm-rules evidence-to-json."
            ),
            "checklist": w.gettext("Checklist"),
            "missing": w.gettext("Still missing"),
            "by_when": w.gettext("By when"),
            "state": w.gettext("State"),
            "histories_file": w.gettext("Upload the schools"),
            "histories_hint": w.gettext("JSON Lines: one iqm-rules/history@1 document a line."),
            "proposed_file": w.gettext("Upload the proposed policy"),
            "base_file": w.gettext("Policy in force"),
            "base_hint": w.gettext("Without one, the service's own policy applies."),
            "summary": w.gettext("Summary"),
            "changed_schools": w.gettext("Schools that change"),
            "school": w.gettext("School"),
            "change": w.gettext("What changes, and why"),
            "download_csv": w.gettext("Download the changes as CSV"),
            "none_changed": w.gettext("No school changes under the proposed policy."),
        }
    )


def said(w: Words, key: str, **values: object) -> str:
    """A text with values, in the language of ``w``."""
    if key == "too_large":
        return w.gettext("The upload is larger than %(limit)s bytes", **values)
    if key == "no_history":
        return w.gettext("Choose a history file, paste one, or pick an example")
    if key == "two_histories":
        return w.gettext("Give one history: a file, a pasted one or an example, not more")
    if key == "no_file":
        return w.gettext("Choose a file to upload")
    if key == "schools_read":
        return w.ngettext(
            "%(n)s school compared", "%(n)s schools compared", int(str(values.pop("n"))), **values
        )
    raise KeyError(key)
