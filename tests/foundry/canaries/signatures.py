"""Helpers for the canary tests: the parameter names of a callable, and who calls a hook."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["called_in", "parameters"]


def parameters(function: Callable[..., Any]) -> list[str]:
    """The parameter names of ``function``, in order, without ``self``."""
    return [name for name in inspect.signature(function).parameters if name != "self"]


def called_in(owner: type[Any], method: str) -> bool:
    """Whether the source of ``owner`` or one of its bases calls ``self.<method>(``.

    An override only takes effect while the library still calls the method it overrides.
    """
    needle = f"self.{method}("
    for cls in owner.__mro__:
        if cls is object:
            continue
        try:
            if needle in inspect.getsource(cls):
                return True
        except (OSError, TypeError):
            continue
    return False
