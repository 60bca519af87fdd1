"""``activitylog:clean --days=N`` with N past the start of the calendar deletes nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity import Activity, activity
from foundry.activity.cleaning import clean_activity_log


async def test_more_days_than_the_calendar_holds_deletes_nothing(session: AsyncSession) -> None:
    await activity("billing").event("paid").log("Invoice paid")
    await session.commit()

    # 10**7 days is about 27,000 years: today minus that is before year 1.
    deleted = await clean_activity_log(session, 10**7)

    assert deleted == 0
    assert await session.scalar(select(func.count()).select_from(Activity)) == 1
