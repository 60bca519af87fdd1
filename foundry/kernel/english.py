"""The shared English inflection engine (plurals and singulars), loaded without its import cost.

inflect 7 decorates 23 methods of its engine with typeguard's ``@typechecked``, and typeguard
instruments each one by re-parsing and recompiling inflect's whole 4,000-line module: importing
inflect costs about 2.4 s of CPU (jaraco/inflect#212, still open). Every process that builds
the application's routes (``api_resource`` singularizes the resource names) or runs a generator
paid it, the server, each queue worker and each ``artisan`` command among them. The checks only
reject arguments that are not non-empty strings: our callers pass strings (mypy checks them), and
for an empty one inflect then answers ``""`` instead of raising, which they read as "no other
form". So inflect is imported with the decorator standing aside; the engine is otherwise the same.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import inflect

__all__ = ["english"]


@cache
def english() -> inflect.engine:
    """The process's inflect engine (built on first use: its lists are compiled then)."""
    engine: inflect.engine = _inflect().engine()
    return engine


def _inflect() -> ModuleType:
    loaded = sys.modules.get("inflect")
    if loaded is not None:
        return loaded
    import typeguard

    def unchecked(target: Any = None, **_options: Any) -> Any:
        # ``@typechecked`` and ``@typechecked(...)`` both leave the function as it is.
        return target if target is not None else unchecked

    checked = typeguard.typechecked
    setattr(typeguard, "typechecked", unchecked)
    try:
        return importlib.import_module("inflect")
    finally:
        setattr(typeguard, "typechecked", checked)
