"""``Notifiable``: the mixin that lets a model receive notifications (Laravel's trait).

```python
class User(AuthUser, Notifiable, SoftDeletes, Model):
    def route_notification_for_slack(self, notification: Notification) -> str | None:
        return self.slack_webhook_url

await user.notify(InvoicePaid(invoice_id=7))
unread = (await session.scalars(user.unread_notifications())).all()
await user.mark_as_read(session)
```
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, Update, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.types import utcnow
from foundry.notifications.models import DatabaseNotification, notifiable_key
from foundry.notifications.notification import Notification

__all__ = ["Notifiable", "inbox_query", "mark_read_statement"]


def inbox_query(notifiable: object, *, unread: bool = False) -> Select[DatabaseNotification]:
    """The stored notifications of ``notifiable``, newest first (only unread ones if asked)."""
    kind, key = notifiable_key(notifiable)
    stmt = select(DatabaseNotification).where(
        DatabaseNotification.notifiable_type == kind, DatabaseNotification.notifiable_id == key
    )
    if unread:
        stmt = stmt.where(DatabaseNotification.read_at.is_(None))
    return stmt.order_by(DatabaseNotification.created_at.desc(), DatabaseNotification.id.desc())


def mark_read_statement(notifiable: object, ids: Iterable[uuid.UUID] | None = None) -> Update:
    """An UPDATE setting ``read_at`` on the unread notifications of ``notifiable`` (``ids``
    only, when given)."""
    kind, key = notifiable_key(notifiable)
    stmt = (
        update(DatabaseNotification)
        .where(
            DatabaseNotification.notifiable_type == kind,
            DatabaseNotification.notifiable_id == key,
            DatabaseNotification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
    if ids is not None:
        stmt = stmt.where(DatabaseNotification.id.in_(list(ids)))
    return stmt


class Notifiable:
    """Gives a model ``notify``, its routes per channel and its stored notifications.

    Routes: ``mail`` is the ``email`` attribute, ``sms`` the ``phone_number`` attribute (when
    the model has one), ``database`` the model itself; a ``route_notification_for_<channel>``
    method overrides any of them or adds one (``slack``, ``webhook``...).
    """

    async def notify(self, notification: Notification) -> None:
        """Send ``notification`` (queued when it is ``ShouldQueue``)."""
        from foundry.notifications.facade import Notifications

        await Notifications.send(self, notification)

    async def notify_now(
        self, notification: Notification, channels: list[str] | None = None
    ) -> None:
        """Send ``notification`` in this process, on ``channels`` or those ``via`` names."""
        from foundry.notifications.facade import Notifications

        await Notifications.send_now(self, notification, channels)

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        """Where ``channel`` delivers to this model (``None``: nowhere)."""
        override: Any = getattr(self, f"route_notification_for_{channel}", None)
        if callable(override):
            route: object | None = override(notification)
            return route
        if channel == "mail":
            return getattr(self, "email", None)
        if channel == "sms":
            return getattr(self, "phone_number", None)
        if channel == "database":
            return self
        if channel == "broadcast":
            # The user's own private channel (``private-users.1``), which routes/channels.py
            # lets only that user hear.
            kind, key = notifiable_key(self)
            return f"private-{kind}.{key}"
        return None

    def notifications(self) -> Select[DatabaseNotification]:
        """A query for this model's stored notifications, newest first."""
        return inbox_query(self)

    def unread_notifications(self) -> Select[DatabaseNotification]:
        """A query for this model's unread notifications, newest first."""
        return inbox_query(self, unread=True)

    def read_notifications(self) -> Select[DatabaseNotification]:
        """A query for this model's read notifications, newest first."""
        return inbox_query(self).where(DatabaseNotification.read_at.is_not(None))

    async def mark_as_read(
        self, session: AsyncSession, ids: Iterable[uuid.UUID] | None = None
    ) -> int:
        """Mark this model's unread notifications (or those of ``ids``) read in one UPDATE,
        flushed in ``session``'s unit of work (the caller commits); how many changed."""
        result: Any = await session.execute(mark_read_statement(self, ids))
        return int(result.rowcount or 0)
