"""A seeded corpus of mutated documents on which the JSON Schemas and the library must agree.

Used by ``tests/test_schema_corpus.py`` (library against ``jsonschema``) and by
``make schema-check`` (the same, and ``ajv``): ``python tests/schema_corpus.py DIR`` writes one
file per document to ``DIR/history`` and ``DIR/policy`` and the library's verdicts to
``DIR/verdicts.json``; ``python tests/schema_corpus.py --compare DIR AJV_OUTPUT`` counts
agreements.

Documents that break a rule no schema can state (RULEBOOK §7.12: uniqueness, dates after
``held_on``, the review check, an event of another school) are left out of the comparison.
"""

from __future__ import annotations

import copy
import json
import random
import re
import sys
from pathlib import Path
from typing import Any, Literal

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange import dump_policy, load_history, load_policy
from iqm_rules.interchange.examples import example_text, examples
from iqm_rules.policy import DEFAULT_POLICY, Policy, PolicyBook

Kind = Literal["history", "policy"]

SEED = 20_261_129
SIZE = 400

_UNSTATABLE = re.compile(
    r"duplicate|repeated|is after held_on|after held_on|review .*needs|needs centre_of|"
    r"event of another school|another policy already|already takes effect|a review needs"
)
"""Library messages of rules that no JSON Schema states (§7.12)."""

_IDS = (
    "\ufeff",
    "\x1c",
    "\x1f",
    "\x85",
    "A\x85",
    "A\x7f",
    " ",
    "\u3000",
    "\u2028",
    "\u00a0X",
    "",
    "x" * 200,
    "x" * 201,
    "\U0001f600" * 200,
    "URN 1",
    "A\tB",
)
_DATES = (
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-1-01",
    "2024-01-01\n",
    " 2024-01-01",
    "2024-01-01T00:00:00",
)
_NUMBERS = (2.0, 2.5, -1, 0, 1000, 1001, 1200, 1201, 100, 101, 0.0, -0.0, 1e300, True, "2", None)
_ENUM_TYPOS = ("Full", "full ", "reviews", "centre-of-excellence", "EMBEDDED", "")


def bases() -> list[tuple[Kind, Any]]:
    """The valid documents mutated: every bundled example and two policy books."""
    found: list[tuple[Kind, Any]] = [
        ("history", json.loads(example_text(name))) for name in examples()
    ]
    book = PolicyBook((DEFAULT_POLICY, Policy(id="later", effective_from=_day("2026-01-01"))))
    found.append(("policy", json.loads(dump_policy(book))))
    found.append(
        (
            "policy",
            {
                "format": "iqm-rules/policy@1",
                "policies": [{"id": "p", "effective_from": "2024-09-01"}],
            },
        )
    )
    return found


def _day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _mutate(rng: random.Random, document: Any) -> Any:
    """One schema-stateable mutation at a random fitting place."""
    paths = _paths(document)
    ids = [p for p in paths if p and p[-1] in ("id", "school_id")]
    dates = [p for p in paths if p and p[-1] in ("held_on", "on", "collected_on", "effective_from")]
    numbers = [
        p
        for p in paths
        if p
        and isinstance(_at(document, p), int | float)
        and not isinstance(_at(document, p), bool)
    ]
    enums = [
        p
        for p in paths
        if p
        and isinstance(_at(document, p), str)
        and p[-1]
        not in (
            "id",
            "school_id",
            "name",
            "summary",
            "reason",
            "format",
            "held_on",
            "on",
            "collected_on",
            "effective_from",
        )
    ]
    objects = [p for p in paths if isinstance(_at(document, p), dict)]
    events = [p for p in paths if len(p) == 2 and p[0] == "events"]
    how = rng.choice(
        [
            "id",
            "id",
            "id",
            "date",
            "date",
            "number",
            "number",
            "enum",
            "drop",
            "add",
            "school_id",
            "school_id",
            "type",
        ]
    )
    choices: dict[str, list[tuple[Any, ...]]] = {
        "id": ids,
        "date": dates,
        "number": numbers,
        "enum": enums,
        "drop": paths[1:],
        "add": objects,
        "school_id": events,
        "type": paths[1:],
    }
    where = choices[how]
    if not where:
        return document
    path = rng.choice(where)
    parent: Any = _at(document, path[:-1]) if path else None
    if how == "id":
        parent[path[-1]] = rng.choice(_IDS)
    elif how == "date":
        parent[path[-1]] = rng.choice(_DATES)
    elif how == "number":
        parent[path[-1]] = rng.choice(_NUMBERS)
    elif how == "enum":
        parent[path[-1]] = rng.choice(_ENUM_TYPOS)
    elif how == "drop":
        del parent[path[-1]]
    elif how == "add":
        _at(document, path)[rng.choice(["x", "Id", "summary", "reason"])] = rng.choice(
            ["", 1, None]
        )
    elif how == "school_id":
        school = document.get("school", {}).get("id", "S")
        _at(document, path)["school_id"] = rng.choice([None, school, school, "\x85", "", 3])
    else:
        parent[path[-1]] = rng.choice([[], {}, 1, "x", None, True])
    return document


def corpus(seed: int = SEED, size: int = SIZE) -> list[tuple[str, Kind, Any]]:
    """``size`` documents, each a base with one to three mutations, named ``NNNN``."""
    rng = random.Random(seed)
    found: list[tuple[str, Kind, Any]] = []
    everything = bases()
    for number in range(size):
        kind, base = everything[number % len(everything)]
        document = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            document = _mutate(rng, document)
        found.append((f"{number:04d}", kind, document))
    return found


def library_verdict(kind: Kind, document: Any) -> bool | None:
    """Whether the library reads ``document``; ``None`` if it refuses it for a rule that no
    schema states."""
    load = load_history if kind == "history" else load_policy
    try:
        load(json.dumps(document, ensure_ascii=False))
    except InvalidRecord as error:
        return None if _UNSTATABLE.search(str(error)) else False
    return True


def _write(folder: Path) -> None:
    verdicts: dict[str, Any] = {}
    for kind in ("history", "policy"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    for name, kind, document in corpus():
        path = folder / kind / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        verdicts[f"{kind}/{name}.json"] = library_verdict(kind, document)
    (folder / "verdicts.json").write_text(json.dumps(verdicts, indent=1), encoding="utf-8")


def _compare(folder: Path, ajv_output: Path) -> int:
    """Count how the library, ``jsonschema`` and ``ajv`` agree; exit status 1 on any split."""
    from jsonschema import Draft202012Validator

    from iqm_rules.interchange import schema

    verdicts: dict[str, bool | None] = json.loads((folder / "verdicts.json").read_text())
    ajv: dict[str, bool] = {}
    for line in ajv_output.read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"(\S+) (valid|invalid)", line)
        if found:
            written = Path(found.group(1))
            ajv[f"{written.parent.name}/{written.name}"] = found.group(2) == "valid"
    counts: dict[str, int] = {}
    splits: list[str] = []
    for name, verdict in sorted(verdicts.items()):
        kind: Kind = "history" if name.startswith("history") else "policy"
        if verdict is None:
            counts["left out (a rule no schema states)"] = (
                counts.get("left out (a rule no schema states)", 0) + 1
            )
            continue
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        checker = Draft202012Validator(
            schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        three = (verdict, checker.is_valid(document), ajv.get(name))
        key = "all three agree" if len(set(three)) == 1 else "split"
        counts[key] = counts.get(key, 0) + 1
        counts[f"{kind} {'accepted' if verdict else 'refused'}"] = (
            counts.get(f"{kind} {'accepted' if verdict else 'refused'}", 0) + 1
        )
        if len(set(three)) != 1:
            splits.append(f"{name}: library {three[0]}, jsonschema {three[1]}, ajv {three[2]}")
    print(f"documents: {len(verdicts)}")
    for key, number in sorted(counts.items()):
        print(f"{key}: {number}")
    for split in splits:
        print(split)
    return 1 if splits else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(_compare(Path(sys.argv[2]), Path(sys.argv[3])))
    _write(Path(sys.argv[1]))
