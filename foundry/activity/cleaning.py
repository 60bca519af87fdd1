"""Deleting old entries (``artisan activitylog:clean``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity.models import Activity
from foundry.database.types import utcnow

__all__ = ["clean_activity_log"]


async def clean_activity_log(
    session: AsyncSession, days: int, log_name: str | None = None, *, now: datetime | None = None
) -> int:
    """Delete entries older than ``days`` (of ``log_name`` only, when given) and commit;
    returns how many went.

    Raises:
        ValueError: ``days`` is not positive.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    try:
        cutoff = (now or utcnow()) - timedelta(days=days)
    except OverflowError:
        # Further back than the calendar goes (``--days=99999999``): nothing can be that old.
        return 0
    statement = delete(Activity).where(Activity.created_at < cutoff)
    if log_name is not None:
        statement = statement.where(Activity.log_name == log_name)
    result = await session.execute(statement)
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
