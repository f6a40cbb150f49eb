"""MkDocs hooks: publish the package's JSON Schemas with the site, from the package itself.

The schemas live in ``iqm_rules/interchange/schemas``; :func:`on_files` adds each as
``schemas/NAME.json`` so pages link to them (``[history schema](schemas/history.schema.json)``) and
``--strict`` checks those links, without a second copy in ``docs/``.
"""

from __future__ import annotations

from importlib import resources

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


def schema_files() -> dict[str, str]:
    """``{"schemas/history.schema.json": text, ...}`` for every schema the package ships."""
    folder = resources.files("iqm_rules.interchange").joinpath("schemas")
    return {
        f"schemas/{entry.name}": entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".schema.json")
    }


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Add the package's schemas to the site."""
    for uri, text in schema_files().items():
        files.append(File.generated(config, uri, content=text))
    return files
