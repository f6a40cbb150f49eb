"""From the errors cattrs gathers while structuring to one :class:`InvalidRecord`.

With ``detailed_validation`` cattrs raises a tree of errors, each branch noting the key or index
it was under. Every leaf becomes a problem at its JSON path; the first in document order is
raised and the others ride along as notes (see
:func:`~iqm_rules.interchange._paths.first_in_order`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from iqm_rules.errors import InvalidRecord
from iqm_rules.interchange._converter import CONVERTER, json_keys
from iqm_rules.interchange._paths import Part, Problem, first_in_order, parts
from iqm_rules.interchange._values import suggestion

__all__ = ["structured"]

T = TypeVar("T")


def _leaves(error: BaseException, path: tuple[Part, ...]) -> Iterator[Problem]:
    """Every problem inside a cattrs error, with its path as parts and what is wrong."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from _leaves(sub, (*path, part))
        for sub in without:
            yield from _leaves(sub, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        keys = json_keys(error.cl)
        allowed = ", ".join(keys)
        for key in error.extra_fields:
            hint = suggestion(key, keys)
            yield (*path, key), f"unknown key (§7.10); allowed keys: {allowed}{hint}"
    elif isinstance(error, InvalidRecord):
        yield (*path, *parts(error.path)), error.problem
    elif isinstance(error, KeyError):
        yield path, "required key missing"
    else:
        yield path, f"cannot be read: {error}"


def structured(document: object, cls: type[T], converter: cattrs.Converter = CONVERTER) -> T:
    """``document`` as an instance of ``cls``; any problem is one :class:`InvalidRecord`."""
    try:
        result: T = converter.structure(document, cls)
    except Exception as error:
        raise first_in_order(document, _leaves(error, ())) from None
    return result
