"""Cron expressions evaluated in a timezone, with cronsim doing the calendar work.

cronsim follows Debian's cron across daylight-saving changes, and so do we: a time the clock
skips (02:30 when it jumps from 02:00 to 03:00) runs right after the jump, a fixed time the clock
passes twice (01:30 when it falls back) runs once, and wildcard-hour expressions (every five
minutes, hourly) run through both passes of the repeated hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

__all__ = [
    "CronExpressionError",
    "floor_minute",
    "is_due",
    "next_due",
    "resolve_timezone",
    "validate",
]

_MINUTE = timedelta(minutes=1)


class CronExpressionError(ValueError):
    """A cron expression (or a timezone name) that cannot be evaluated."""


def validate(expression: str) -> str:
    """``expression`` unchanged if cronsim accepts it (five fields, standard syntax).

    Raises:
        CronExpressionError: naming the expression and what is wrong with it.
    """
    try:
        CronSim(expression, datetime(2000, 1, 1, tzinfo=UTC))
    except CronSimError as exc:
        raise CronExpressionError(f"invalid cron expression {expression!r}: {exc}") from None
    return expression


def resolve_timezone(name: str) -> ZoneInfo:
    """The IANA timezone called ``name`` (``"Europe/Paris"``, ``"UTC"``).

    Raises:
        CronExpressionError: no such timezone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronExpressionError(f"unknown timezone {name!r}") from None


def floor_minute(moment: datetime) -> datetime:
    """``moment`` in UTC with its seconds dropped: the minute the scheduler is running for."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def next_due(expression: str, after: datetime, timezone: ZoneInfo) -> datetime:
    """The first moment strictly after ``after`` at which ``expression`` fires, in UTC."""
    start = after.astimezone(timezone)
    return next(CronSim(expression, start)).astimezone(UTC)


def is_due(expression: str, minute: datetime, timezone: ZoneInfo) -> bool:
    """Whether ``expression`` fires at ``minute`` (any moment in it) in ``timezone``."""
    current = floor_minute(minute)
    return next_due(expression, current - _MINUTE, timezone) == current
