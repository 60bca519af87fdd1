"""The ``database`` channel: stores ``to_database`` (or ``to_array``) in ``notifications``."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.notifications.channel import NotificationChannel
from foundry.notifications.errors import NotificationError
from foundry.notifications.models import DatabaseNotification, notifiable_key
from foundry.notifications.notification import Notification, Routable

__all__ = ["DatabaseChannel"]


def notification_data(notification: Notification, notifiable: object, channel: str) -> Any:
    """What ``to_<channel>`` (or ``to_array``) returns for ``notifiable``.

    Raises:
        NotificationError: the notification defines neither method.
    """
    for method in (f"to_{channel}", "to_array"):
        build = getattr(notification, method, None)
        if callable(build):
            return build(notifiable)
    raise NotificationError(
        f"{type(notification).__qualname__} is sent on {channel!r} but defines no "
        f"to_{channel}(notifiable) (or to_array) method"
    )


class DatabaseChannel(NotificationChannel):
    """One row per notifiable, in the sending scope's session and unit of work."""

    name: ClassVar[str] = "database"

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def send(
        self, notifiable: Routable, notification: Notification
    ) -> DatabaseNotification | None:
        """Insert the row. Inside an open transaction it is flushed and saved with the caller's
        commit (a rollback drops it); otherwise (a queue worker) it is committed here."""
        target = self.route(notifiable, notification)
        if target is None:
            return None
        data = notification_data(notification, notifiable, self.name)
        if not isinstance(data, dict):
            raise NotificationError(
                f"{type(notification).__qualname__}.to_database must return a dict, "
                f"not {type(data).__qualname__}"
            )
        kind, key = notifiable_key(target)
        row = DatabaseNotification(
            type=notification.database_type(), notifiable_type=kind, notifiable_id=key, data=data
        )
        in_unit_of_work = self.session.in_transaction()
        self.session.add(row)
        if in_unit_of_work:
            await self.session.flush()
        else:
            await self.session.commit()
        return row
