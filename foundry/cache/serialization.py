"""How values become stored text: JSON, never pickle.

A cache is shared between processes (file store) and machines (Redis); unpickling what another
process wrote would let anyone who can write to the cache run code in the app. JSON round-trips
``str``, ``int``, ``float``, ``bool``, ``None``, and lists and dicts of those with ``str`` keys.
Tuples come back as lists and non-``str`` dict keys come back as strings; anything else (sets,
datetimes, models) is refused with :class:`CacheSerializationError`: convert it first.
"""

from __future__ import annotations

import json
from typing import Any

from foundry.cache.errors import CacheSerializationError

__all__ = ["JsonValue", "dumps", "loads"]

#: What the cache accepts for type-checked code: mypy rejects tuples, sets and other values that
#: would not come back as they went in.
JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]


def dumps(value: Any) -> str:
    """``value`` as compact JSON text; an ``int`` is plain digits, which Redis can ``INCRBY``."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CacheSerializationError(
            f"cannot cache a {type(value).__name__}: the cache stores JSON (str, int, float, "
            f"bool, None, and lists and dicts of them); {exc}"
        ) from exc


def loads(text: str | bytes) -> Any:
    """The value stored as ``text``."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CacheSerializationError(f"cached text is not JSON: {exc}") from exc
