"""The message catalogs: extract, update and compile them (``make messages``), or check them.

Babel extracts every message of the package (``babel.cfg``: each call of a
:class:`~iqm_rules.words.Words` method) and adds the title of every vocabulary term, with its
type as the context, and every text of the command line's help (context ``help``). The
template ``locale/iqm_rules.pot`` is written; each language's ``LC_MESSAGES/iqm_rules.po`` is
updated from it (new messages empty, gone ones dropped, every
translation kept) and compiled to ``iqm_rules.mo``, which is committed so that a clone runs
without Babel. ``--check`` changes nothing and exits 1 if any of the three is not current.

    python tools/messages.py           # extract, update, compile
    python tools/messages.py --check   # is everything current?
"""

from __future__ import annotations

import argparse
import importlib
import io
import pkgutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import iqm_rules
from iqm_rules._terms import Term
from iqm_rules.cli.help import help_texts
from iqm_rules.cli.parser import build
from iqm_rules.decisions.rules import rules
from iqm_rules.lifecycle.rules import lifecycle_rules
from iqm_rules.words import _MONTHS, DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).parent.parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
_FIXED = datetime(2026, 1, 1, tzinfo=UTC)
"""The creation date written in the template, so that extracting twice writes the same file."""
_WIDTH = 96


def _terms() -> Iterator[type[Term]]:
    """Every vocabulary type of the package (each module imported to find them)."""
    for found in pkgutil.walk_packages(iqm_rules.__path__, "iqm_rules."):
        if not found.name.endswith("__main__"):
            importlib.import_module(found.name)
    seen: list[type[Term]] = []
    waiting: list[type[Term]] = [Term]
    while waiting:
        kind = waiting.pop()
        for sub in kind.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                waiting.append(sub)
    yield from sorted((kind for kind in seen if list(kind)), key=lambda kind: kind.__name__)


def template() -> Catalog:
    """Every message of the code and every term's title, as a gettext template."""
    catalog = Catalog(
        project="iqm_rules",
        domain=DOMAIN,
        creation_date=_FIXED,
        revision_date=_FIXED,
        msgid_bugs_address="https://github.com/iqm-rules/iqm-rules/issues",
        copyright_holder="The iqm_rules contributors",
        fuzzy=False,
    )
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, locations=[(filename, 0)], auto_comments=comments, context=context)
    for kind in _terms():
        where = f"src/{kind.__module__.replace('.', '/')}.py"
        for member in kind:
            catalog.add(
                member.title,
                locations=[(where, 0)],
                auto_comments=[f"the title of {kind.__name__}.{member.name} ({member.value})"],
                context=kind.__name__,
            )
    titled: list[tuple[str, str, str]] = [
        (entry.id, entry.title, "src/iqm_rules/decisions/rules.py") for entry in rules()
    ] + [(entry.id, entry.title, "src/iqm_rules/lifecycle/rules.py") for entry in lifecycle_rules()]
    for rule_id, title, where in titled:
        catalog.add(
            title,
            locations=[(where, 0)],
            auto_comments=[f"the title of rule {rule_id}"],
            context="rule",
        )
    for month in _MONTHS:
        catalog.add(month, locations=[("src/iqm_rules/words/__init__.py", 0)], context="month")
    for text in help_texts(build([])):
        catalog.add(text, locations=[("src/iqm_rules/cli/parser.py", 0)], context="help")
    return catalog


def _po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=_WIDTH, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _updated(language: str, made: Catalog) -> Catalog:
    path = _po_path(language)
    if path.exists():
        with path.open("rb") as file:
            catalog = read_po(file, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="iqm_rules", fuzzy=False)
        catalog.creation_date = _FIXED
        catalog.revision_date = _FIXED
    catalog.update(made, no_fuzzy_matching=True, update_header_comment=False)
    return catalog


def stale() -> list[str]:
    """The files that ``make messages`` would change."""
    made = template()
    found = []
    if not TEMPLATE.exists() or TEMPLATE.read_bytes() != _po_text(made):
        found.append(str(TEMPLATE.relative_to(ROOT)))
    for language in LANGUAGES[1:]:
        catalog = _updated(language, made)
        po = _po_path(language)
        if not po.exists() or po.read_bytes() != _po_text(catalog):
            found.append(str(po.relative_to(ROOT)))
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            found.append(str(mo.relative_to(ROOT)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for name in found:
            print(f"not current: {name} (run make messages)", file=sys.stderr)
        return 1 if found else 0
    made = template()
    TEMPLATE.write_bytes(_po_text(made))
    for language in LANGUAGES[1:]:
        catalog = _updated(language, made)
        po = _po_path(language)
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(_po_text(catalog))
        po.with_suffix(".mo").write_bytes(_mo_bytes(catalog))
        missing = sum(1 for message in catalog if message.id and not message.string)
        print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
