"""``iqm-rules serve``: the library as a web service with an OpenAPI 3.1 description.

Needs the ``server`` extra (``pip install 'iqm-rules[server]'``): Starlette and uvicorn. The
application is importable for any ASGI server, as ``iqm_rules.server:app`` (configured by the
``IQM_RULES_*`` environment variables) or built by :func:`create_app`. Importing this package
imports neither until ``app`` or ``create_app`` is asked for, so that the command line can offer
``serve`` without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from iqm_rules.server.service import create_app

    app: Starlette

__all__ = ["app", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from iqm_rules.server.service import create_app

        return create_app
    if name == "app":
        from iqm_rules.server.service import from_environment

        globals()["app"] = built = from_environment()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
