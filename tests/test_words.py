"""The message layer: the catalogs are current and complete, every human text goes through
them, and no raw vocabulary value or snake_case id reaches a person, in English or Welsh."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from builders import assessment, history, withdrawal
from iqm_rules import cli
from iqm_rules.awards import Award
from iqm_rules.interchange import dump_history
from iqm_rules.interchange.examples import examples
from iqm_rules.words import LOCALE_DIR, Words, language_of, words

ROOT = Path(__file__).parent.parent
WELSH = LOCALE_DIR / "cy" / "LC_MESSAGES" / "iqm_rules.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_the_catalogs_are_current() -> None:
    """``make messages`` would change nothing: template, Welsh catalog and its compiled form."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _welsh() -> Iterator[tuple[str | None, str, list[str], list[str]]]:
    with WELSH.open("rb") as file:
        catalog = read_po(file, locale="cy")
    for message in catalog:
        if not message.id:
            continue
        ids = [
            str(text) for text in (message.id if isinstance(message.id, tuple) else [message.id])
        ]
        given = message.string if isinstance(message.string, tuple) else [message.string]
        strings = [str(text or "") for text in given]
        yield message.context, ids[0], ids, strings


def test_every_message_has_a_welsh_entry_with_the_same_placeholders() -> None:
    for context, msgid, ids, strings in _welsh():
        assert all(strings), f"no Welsh for {context or ''} {msgid!r}"
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            assert found <= wanted, f"{msgid!r}: {text!r} has {found - wanted}"
            assert found >= wanted - {"n"}, f"{msgid!r}: {text!r} lacks {wanted - found}"


def test_the_welsh_catalog_has_every_plural_form_and_says_it_awaits_review() -> None:
    text = WELSH.read_text(encoding="utf-8")
    assert "awaits review by a Welsh-speaking assessor" in text
    assert "nplurals=6" in text
    for _, msgid, ids, strings in _welsh():
        if len(ids) > 1:
            assert len(strings) == 6, msgid


def test_welsh_dates_plurals_and_titles() -> None:
    welsh = words("cy")
    assert welsh.date(date(2026, 7, 1)) == "1 Gorffennaf 2026"
    assert welsh.title(Award.INCLUSIVE_SCHOOL) == "Gwobr Ysgol Gynhwysol"
    assert words("cy_GB.UTF-8").language == "cy"
    assert words("fr").language == words(None).language == "en"
    assert welsh.ngettext("%(n)s date", "%(n)s dates", 2) == "2 dyddiad"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANGUAGE": "cy"}, "cy"),
        ({"LANGUAGE": "", "LC_MESSAGES": "cy_GB.UTF-8"}, "cy"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "cy_GB"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_of_an_environment(environ: dict[str, str], language: str) -> None:
    assert language_of(environ) == language


class _Pseudo:
    """A catalog that wraps every message in ⟦…⟧, to find any text that escaped the catalogs."""

    def gettext(self, message: str, /) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str, /) -> str:
        return f"⟦{message}⟧"

    def npgettext(self, context: str, singular: str, plural: str, n: int, /) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


PSEUDO = Words("qps", _Pseudo())


def _generated(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Histories made for the test: one refused, one lapsed, one withdrawn, one granted lower."""
    made = {
        "refused": history(assessment("R-2024-01", sought=Award.INCLUSIVE_SCHOOL, meets=None)),
        "lapsed": history(assessment("L-2020-01", date(2020, 3, 10))),
        "withdrawn": history(
            assessment("W-2023-01", date(2023, 3, 10)), withdrawal(date(2024, 6, 1))
        ),
        "lower": history(
            assessment("G-2024-01", sought=Award.CENTRE_OF_EXCELLENCE, meets=Award.INCLUSIVE_SCHOOL)
        ),
    }
    for name, made_history in made.items():
        path = tmp_path / f"{name}.json"
        path.write_text(dump_history(made_history), encoding="utf-8")
        yield name, path


def _texts(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """Every text command on every bundled example, and on histories made refused, lapsed,
    withdrawn and granted lower, and the tables, the audit, what-if, verify, policy texts and
    the report page."""
    for name, path in _generated(tmp_path):
        for command in ("status", "timeline", "report"):
            yield f"{command} {name}", [command, str(path), "--as-of", "2025-09-01"]
        yield f"audit {name}", ["audit", str(path)]
    for name in examples():
        yield f"report {name}", ["report", "--example", name, "--as-of", "2025-09-01"]
    for name in examples():
        for day in ("2019-01-01", "2022-06-01", "2025-09-01", "2030-01-01"):
            yield f"status {name} {day}", ["status", "--example", name, "--as-of", day]
        yield f"timeline {name}", ["timeline", "--example", name, "--as-of", "2025-09-01"]
    yield "decide", ["decide", "--example", "flagship-revoked", "--assessment", "MF-2023-01"]
    yield "readiness", ["readiness", "--example", "inclusive-to-coe"]
    yield "audit", ["audit", str(ROOT / "docs" / "examples" / "schools.jsonl")]
    examples_dir = ROOT / "src" / "iqm_rules" / "interchange" / "examples"
    strict = ["--policy", str(ROOT / "docs" / "examples" / "strict.json")]
    for day in ("2025-09-01", "2026-01-01"):
        yield f"what-if {day}", ["what-if", str(examples_dir), *strict, "--as-of", day]
    records = sorted((ROOT / "docs" / "examples").glob("*.record.json"))
    yield "verify", ["verify", *map(str, records)]
    trusted = ["--trust", str(ROOT / "docs" / "examples" / "body.pub")]
    yield "verify --trust", ["verify", *map(str, records), *trusted]
    yield "keys generate", ["keys", "generate", "--out", str(tmp_path / f"k{len(records)}.key")]
    book, stricter = ROOT / "docs" / "examples" / "book.toml", strict[1]
    yield "policy show", ["policy", "show", str(book)]
    yield "policy diff", ["policy", "diff", str(book), stricter]
    yield "policy diff same", ["policy", "diff", stricter, stricter]
    yield "rules", ["rules"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    cli.main(argv)
    return capsys.readouterr().out


def _visible(page: str) -> str:
    """The text a reader of a page sees, tooltips (``<title>``) included: no markup, no style."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


RAW = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
"""A snake_case word: a raw vocabulary value or id (``parents_carers_guardians``)."""

_PARAMETERS = re.compile(r"^\s+\w+ = .*$", re.M)

_SETTING = re.compile(r"^\s*\w+(?: +=|:) ")
"""The lines of ``policy show`` and ``policy diff`` that name a parameter as a policy file does."""
"""The lines of ``rules`` that list parameters by their names in a policy file (ids)."""


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_raw_value_reaches_a_person(
    language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, argv in _texts(tmp_path):
        text = _run(["--lang", language, *argv], capsys).replace(str(tmp_path), "")
        text = text.replace(str(ROOT), "")
        if argv[0] == "report":
            text = _visible(text)
        if argv[0] == "policy":
            text = "\n".join(line for line in text.splitlines() if not _SETTING.match(line))
        if argv[0] == "rules":
            text = "\n".join(
                line for line in text.splitlines() if not re.match(r"^\s{6}\w+ = ", line)
            )
        assert not RAW.findall(text), (name, RAW.findall(text))


def test_every_human_text_goes_through_the_catalogs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the pseudo-locale, nothing but layout, marks and input (ids, names) is printed
    outside the brackets."""
    from iqm_rules.cli import inputs

    monkeypatch.setattr(inputs, "words", lambda args: PSEUDO)
    monkeypatch.setenv("COLUMNS", "1000")
    for name, argv in _texts(tmp_path):
        if argv[0] == "rules":
            continue  # its parameter lines are a policy file's names and values
        text = _run(argv, capsys).replace(str(tmp_path), "")
        if argv[0] == "policy":
            text = "\n".join(line for line in text.splitlines() if not _SETTING.match(line))
        text = re.sub(r"\b[0-9a-f]{16}\b", "", text)  # key ids
        if argv[0] == "report":  # less the school's name (its heading), years and rule ids
            text = _visible(re.sub(r"<h1>.*?</h1>", "", text))
            text = re.sub(r"\b(19|20)\d\d\b|[·┆│]|\b[A-Z]{2}-\d\b", "", text)
        # a line that cannot be read: its location and the reader's error (docs/languages.md)
        text = "\n".join(line for line in text.splitlines() if not line.startswith(str(ROOT)))
        outside, before = text, ""
        while outside != before:
            before, outside = outside, re.sub(r"⟦[^⟦⟧]*⟧", "", outside)
        outside = re.sub(r"URN-\d+ \([^)]*\)", "", outside)
        leftover = re.sub(
            r"[\s✓✗?—\-(),:;]|URN-\d+(?: \([^)]*\))?|[A-Z]{2}-\d{4}-\d{2}|iqm-2025\.1", "", outside
        )
        assert leftover == "", (name, leftover[:200])


@pytest.mark.parametrize(("language", "example"), [("en", "Example:"), ("cy", "Enghraifft:")])
def test_every_command_help_is_in_the_language_and_ends_with_an_example(
    language: str, example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from iqm_rules.cli.help import EXAMPLES
    from iqm_rules.cli.parser import COMMANDS

    assert set(EXAMPLES) == set(COMMANDS)
    for name, wanted in EXAMPLES.items():
        assert cli.main([name, "--help", "--lang", language]) == 0
        text = capsys.readouterr().out
        assert text.rstrip().splitlines()[-2:] == [example, f"  {wanted}"], name
        if language == "cy":
            assert "show this help message" not in text, name
            assert text.startswith("defnydd: "), name
