"""Cursors: round trips, and every kind of tampering is a 422 on ``cursor``, never a crash."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from foundry.http.resources import Cursor, InvalidCursorError

TYPES: list[tuple[str, type[Any] | None]] = [("created_at", datetime), ("id", int)]


def token(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


def test_round_trip_keeps_values_and_direction() -> None:
    when = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    encoded = Cursor({"created_at": when, "id": 42}, points_to_next=False).encode()
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    decoded = Cursor.decode(encoded, TYPES)
    assert decoded == Cursor({"created_at": when, "id": 42}, points_to_next=False)


def test_layout_is_laravels() -> None:
    encoded = Cursor({"id": 15}, points_to_next=True).encode()
    raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert json.loads(raw) == {"id": 15, "_pointsToNextItems": True}


def test_uuid_and_decimal_keys_round_trip() -> None:
    types: list[tuple[str, type[Any] | None]] = [("price", Decimal), ("id", UUID)]
    cursor = Cursor({"price": Decimal("9.50"), "id": UUID(int=7)}, points_to_next=True)
    assert Cursor.decode(cursor.encode(), types) == cursor


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "!!!not-base64!!!",
        "eyJpZCI6",  # truncated JSON
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
        token([1, 2]),  # not an object
        token({"id": 1, "_pointsToNextItems": True}),  # key missing
        token({"created_at": "2026-01-01T00:00:00+00:00", "id": 1}),  # direction missing
        token({"created_at": "2026-01-01T00:00:00+00:00", "id": 1, "_pointsToNextItems": 1}),
        token({"created_at": "yesterday", "id": 1, "_pointsToNextItems": True}),
        token({"created_at": "2026-01-01T00:00:00+00:00", "id": "1", "_pointsToNextItems": True}),
        token({"created_at": "2026-01-01T00:00:00+00:00", "id": True, "_pointsToNextItems": True}),
        token({"created_at": None, "id": 1, "_pointsToNextItems": True}),
        token(
            {"created_at": "2026-01-01T00:00:00+00:00", "id": 1, "x": 1, "_pointsToNextItems": True}
        ),
        "A" * 5000,
    ],
)
def test_malformed_or_tampered_cursors_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidCursorError) as caught:
        Cursor.decode(bad, TYPES)
    assert caught.value.status_code == 422
    assert caught.value.errors == {"cursor": ["The cursor is invalid."]}


def test_null_keys_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="NULL"):
        Cursor({"id": None}, points_to_next=True).encode()
