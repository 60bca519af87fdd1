"""The opaque cursor of cursor pagination: which row a page starts after, and which way.

A cursor is base64url JSON in Laravel's layout, ``{"id": 15, "_pointsToNextItems": true}``: the
ordering keys of the row at the page boundary, and whether it points at the rows after it (next
page) or before it (previous page). Decoding checks everything a client could have changed (the
encoding, the JSON, the key names against the query's ordering, each value against its column's
type) and answers a 422 on ``cursor`` rather than letting a bad value reach the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from foundry.kernel.errors import ValidationError

__all__ = ["Cursor", "InvalidCursorError", "MAX_CURSOR_LENGTH"]

# Far longer than any real cursor; bounds the work done on hostile input.
MAX_CURSOR_LENGTH = 1024
_DIRECTION = "_pointsToNextItems"


class InvalidCursorError(ValidationError):
    """422 on ``cursor``: the cursor was not made by this query (malformed or tampered with)."""

    def __init__(self) -> None:
        super().__init__({"cursor": ["The cursor is invalid."]})


def _encode_value(value: Any) -> Any:
    if value is None:
        # NULL has no place in a keyset ordering: order by NOT NULL (ideally unique) columns.
        raise ValueError("cursor pagination keys must not be NULL")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} in a cursor")


def _decode_value(raw: Any, python_type: type[Any] | None) -> Any:
    """``raw`` (from JSON) as ``python_type``; ``ValueError`` if it cannot be one."""
    # As ``object``: comparing ``type[Any]`` with ``is`` makes mypy narrow the other branches away.
    kind: object = python_type
    if kind is bool:
        if isinstance(raw, bool):
            return raw
    elif kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
    elif kind is float:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
    elif isinstance(raw, str):
        if kind is None or kind is str:
            return raw
        if kind is datetime:
            return datetime.fromisoformat(raw)
        if kind is date:
            return date.fromisoformat(raw)
        if kind is UUID:
            return UUID(raw)
        if kind is Decimal:
            return Decimal(raw)
    elif kind is None and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return raw
    raise ValueError(f"not a {python_type}")


@dataclass(frozen=True)
class Cursor:
    """A page boundary: the ordering keys of one row, and the direction from it."""

    keys: Mapping[str, Any]
    points_to_next: bool

    def encode(self) -> str:
        """The opaque base64url text handed to clients (no padding)."""
        payload = {name: _encode_value(value) for name, value in self.keys.items()}
        payload[_DIRECTION] = self.points_to_next
        text = json.dumps(payload, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(text).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, token: str, types: Sequence[tuple[str, type[Any] | None]]) -> Cursor:
        """Parse ``token`` for an ordering on ``types`` (key name, Python type or ``None``).

        Raises:
            InvalidCursorError: anything about the token does not match.
        """
        if not token or len(token) > MAX_CURSOR_LENGTH:
            raise InvalidCursorError()
        try:
            # validate=True: the lenient decoder would silently skip characters outside base64url.
            raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
            payload = json.loads(raw)
        except (binascii.Error, ValueError):  # ValueError covers JSON and UTF-8 errors
            raise InvalidCursorError() from None
        expected = {name for name, _ in types} | {_DIRECTION}
        if not isinstance(payload, dict) or set(payload) != expected:
            raise InvalidCursorError()
        direction = payload[_DIRECTION]
        if not isinstance(direction, bool):
            raise InvalidCursorError()
        try:
            keys = {name: _decode_value(payload[name], kind) for name, kind in types}
        except (ValueError, InvalidOperation):
            raise InvalidCursorError() from None
        return cls(keys=keys, points_to_next=direction)
