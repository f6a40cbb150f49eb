"""A Griffe extension for the API reference: docstrings written for ``help()`` read as Markdown.

The docstrings use doctest examples and reST roles (``:func:`decide```). Doctest lines become
fenced ``pycon`` blocks, so their output is shown as code rather than read as Markdown (a list
such as ``['a', 'b']`` would otherwise be taken for a link), and roles become code spans.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def markdown(docstring: str) -> str:
    """``docstring`` with doctest blocks fenced and reST roles turned into code spans."""
    out: list[str] = []
    in_example = False
    for line in docstring.splitlines():
        starts = line.lstrip().startswith(">>>")
        if starts and not in_example:
            out.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            out.append("```")
            in_example = False
        out.append(line if in_example else _ROLE.sub(r"`\1`", line))
    if in_example:
        out.append("```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Rewrite every docstring with :func:`markdown` as Griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)
