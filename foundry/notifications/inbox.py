"""``NotificationInbox``: a notifiable's stored notifications, as the notifications API uses them.

Every method is scoped to the notifiable given: another notifiable's id is simply not found.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.notifications.models import DatabaseNotification, notifiable_key
from foundry.notifications.notifiable import inbox_query, mark_read_statement

__all__ = ["NotificationInbox"]


class NotificationInbox:
    """Reads and updates stored notifications in the scope's session; each change commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def query(self, notifiable: object, *, unread: bool = False) -> Select[DatabaseNotification]:
        """The notifiable's notifications, newest first (unread only if asked)."""
        return inbox_query(notifiable, unread=unread)

    async def find(
        self, notifiable: object, notification_id: uuid.UUID
    ) -> DatabaseNotification | None:
        """The notifiable's notification with that id, or ``None`` (also for someone else's)."""
        stmt = inbox_query(notifiable).where(DatabaseNotification.id == notification_id)
        return (await self.session.scalars(stmt)).first()

    async def mark_as_read(
        self, notifiable: object, notification_id: uuid.UUID
    ) -> DatabaseNotification | None:
        """Mark one notification read; ``None`` when the notifiable has no such notification."""
        found = await self.find(notifiable, notification_id)
        if found is None:
            return None
        if found.read_at is None:
            found.mark_as_read()
            await self.session.commit()
        return found

    async def mark_all_as_read(self, notifiable: object) -> int:
        """Mark every unread notification read in one UPDATE; how many changed."""
        result: Any = await self.session.execute(mark_read_statement(notifiable))
        await self.session.commit()
        return int(result.rowcount or 0)

    async def delete(self, notifiable: object, notification_id: uuid.UUID) -> bool:
        """Delete one notification; whether the notifiable had it."""
        kind, key = notifiable_key(notifiable)
        result: Any = await self.session.execute(
            delete(DatabaseNotification).where(
                DatabaseNotification.id == notification_id,
                DatabaseNotification.notifiable_type == kind,
                DatabaseNotification.notifiable_id == key,
            )
        )
        await self.session.commit()
        return bool(result.rowcount)
