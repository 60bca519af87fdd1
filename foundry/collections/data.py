"""Reading a key or attribute out of an item, and Laravel's comparison operators.

``where``, ``pluck``, ``sort_by`` and friends accept a key given as a string; items may be
mappings (``item["key"]``) or objects (``item.key``), and dotted keys walk nested values.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal

__all__ = ["MISSING", "Operator", "compare", "data_get", "loose_equals"]

Operator = Literal["=", "==", "!=", "<>", "<", "<=", ">", ">=", "===", "!=="]


class _Missing:
    """Marks an argument that was not given (``None`` is a meaningful value here)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def data_get(item: object, key: str, default: object = None) -> Any:
    """Return ``item[key]`` for mappings or ``item.key`` for objects; dots walk nested values."""
    current: object = item
    for segment in key.split("."):
        if isinstance(current, Mapping):
            if segment not in current:
                return default
            current = current[segment]
        elif isinstance(current, (list, tuple)) and segment.lstrip("-").isdigit():
            index = int(segment)
            if not -len(current) <= index < len(current):
                return default
            current = current[index]
        elif hasattr(current, segment):
            current = getattr(current, segment)
        else:
            return default
    return current


def _as_number(value: object) -> object:
    # Laravel compares "10" == 10 as equal (PHP loose equality); numeric strings become numbers.
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def loose_equals(left: object, right: object) -> bool:
    """Laravel's ``==``: equal values, with numeric strings equal to the number they spell."""
    if left == right:
        return True
    mixed = isinstance(left, str) != isinstance(right, str)
    if mixed and not isinstance(left, bool) and not isinstance(right, bool):
        return bool(_as_number(left) == _as_number(right))
    return False


def _strict_equals(left: object, right: object) -> bool:
    return type(left) is type(right) and left == right


_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "<": op.lt,
    "<=": op.le,
    ">": op.gt,
    ">=": op.ge,
}


def compare(left: object, operator: str, right: object) -> bool:
    """Apply one of Laravel's ``where`` operators; values that cannot be ordered never match."""
    if operator in ("=", "=="):
        return loose_equals(left, right)
    if operator in ("!=", "<>"):
        return not loose_equals(left, right)
    if operator == "===":
        return _strict_equals(left, right)
    if operator == "!==":
        return not _strict_equals(left, right)
    ordering = _ORDERING.get(operator)
    if ordering is None:
        raise ValueError(
            f"unknown operator {operator!r}: use one of =, ==, !=, <>, <, <=, >, >=, ===, !=="
        )
    try:
        return ordering(left, right)
    except TypeError:
        # None < 3 or "a" < 1: Python refuses to order them, so the item simply does not match.
        return False
