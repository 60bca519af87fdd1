"""The ``MISSING`` marker: a value that leaves its key out of a resource's output.

Laravel's ``MissingValue``. ``when()``, ``when_loaded()`` and ``when_not_null()`` return it when
their condition fails; serialization drops every key (or list item) holding it, so a resource
can describe its whole shape in one dict literal.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Final, Literal, TypeVar

__all__ = ["MISSING", "Missing", "value_of"]

V = TypeVar("V")


class Missing(Enum):
    """The type of :data:`MISSING` (an enum, so ``Literal[Missing.MISSING]`` narrows)."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> Literal[False]:
        return False


MISSING: Final = Missing.MISSING


def value_of(value: V | Callable[[], V]) -> V:
    """``value``, or what it returns when it is a zero-argument callable (evaluated lazily)."""
    if callable(value):
        return value()
    return value
