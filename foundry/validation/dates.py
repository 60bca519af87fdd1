"""Naive datetimes in input are read in the application's time zone (``APP_TIMEZONE``).

``2026-03-01T09:00:00`` sent to an app whose ``APP_TIMEZONE`` is ``Europe/Paris`` means 09:00 in
Paris, as Laravel's Carbon reads it; the value becomes aware (``+01:00``), so it can be stored in a
timezone-aware column and compared with other aware values. Input that names its offset (``Z``,
``+02:00``) keeps it. A datetime that has no UTC equivalent (``0001-01-01T00:00:00+01:00``) cannot
be stored: :func:`make_aware` raises ``OverflowError`` for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from foundry.config.app import AppSettings
from foundry.kernel.config import settings

__all__ = ["app_timezone", "make_aware"]


def app_timezone() -> tzinfo:
    """The zone named by ``APP_TIMEZONE``."""
    return ZoneInfo(settings(AppSettings).timezone)


def make_aware(value: object, zone: Callable[[], tzinfo] = app_timezone) -> object:
    """``value`` with every naive datetime inside it (models, lists, dicts) placed in ``zone()``.

    Models, lists and dicts are updated in place; a tuple is rebuilt. ``zone`` is only called
    when a naive datetime is found.
    """
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=zone()) if value.tzinfo is None else value
        aware.astimezone(UTC)  # OverflowError: before year 1 or after 9999 in UTC
        return aware
    if isinstance(value, BaseModel):
        for name, item in value.__dict__.items():
            value.__dict__[name] = make_aware(item, zone)
    elif isinstance(value, list):
        value[:] = [make_aware(item, zone) for item in value]
    elif isinstance(value, dict):
        for key, item in value.items():
            value[key] = make_aware(item, zone)
    elif isinstance(value, tuple):
        return tuple(make_aware(item, zone) for item in value)
    return value
