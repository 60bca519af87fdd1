"""The push subscriptions of each notifiable: saved from the browser, read when sending, and
forgotten when the push service says they are gone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.types import utcnow
from foundry.notifications.tables.push_subscription import PushSubscription

__all__ = ["PushRecipient", "PushSubscriptions", "SubscriptionKeys"]


@dataclass(frozen=True)
class PushRecipient:
    """Whose subscriptions a push goes to: the owner's table name and key.

    A model's ``route_notification_for("push", ...)`` may return ``PushRecipient.of(self)``;
    the ``push`` channel falls back to that for any model with an ``id``.
    """

    notifiable_type: str
    notifiable_id: str

    @classmethod
    def of(cls, model: object) -> PushRecipient | None:
        """The recipient for a model (``__tablename__`` and ``id``), ``None`` for anything else."""
        table = getattr(type(model), "__tablename__", None)
        key = getattr(model, "id", None)
        if not isinstance(table, str) or key is None:
            return None
        return cls(table, str(key))


@dataclass(frozen=True)
class SubscriptionKeys:
    """What a browser's ``PushSubscription.toJSON()`` holds (validated by the caller)."""

    endpoint: str
    p256dh: str
    auth: str
    content_encoding: str = "aes128gcm"


class PushSubscriptions:
    """Reads and writes ``push_subscriptions`` in the scope's session (a request's or a job's);
    each writing method is a unit of work and commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def subscribe(self, owner: PushRecipient, keys: SubscriptionKeys) -> PushSubscription:
        """Save a subscription for ``owner``; an endpoint already saved gets the new keys and
        owner (one browser profile, one owner: whoever subscribed it last)."""
        try:
            return await self._save(owner, keys)
        except IntegrityError:
            # The same browser subscribed twice at once and the other request inserted first:
            # the row exists now, so this time it is updated.
            await self._session.rollback()
            return await self._save(owner, keys)

    async def _save(self, owner: PushRecipient, keys: SubscriptionKeys) -> PushSubscription:
        session = self._session
        found = await session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == keys.endpoint)
        )
        if found is None:
            found = PushSubscription(endpoint=keys.endpoint, created_at=utcnow())
            session.add(found)
        found.notifiable_type = owner.notifiable_type
        found.notifiable_id = owner.notifiable_id
        found.p256dh = keys.p256dh
        found.auth = keys.auth
        found.content_encoding = keys.content_encoding
        await session.commit()
        return found

    async def unsubscribe(self, owner: PushRecipient, endpoint: str) -> bool:
        """Remove ``owner``'s subscription at ``endpoint``; ``False`` if they have none there."""
        result = await self._session.execute(
            delete(PushSubscription).where(
                PushSubscription.endpoint == endpoint,
                PushSubscription.notifiable_type == owner.notifiable_type,
                PushSubscription.notifiable_id == owner.notifiable_id,
            )
        )
        await self._session.commit()
        return bool(getattr(result, "rowcount", 0))

    async def for_recipient(self, owner: PushRecipient) -> list[PushSubscription]:
        """``owner``'s subscriptions, oldest first."""
        found = await self._session.scalars(
            select(PushSubscription)
            .where(
                PushSubscription.notifiable_type == owner.notifiable_type,
                PushSubscription.notifiable_id == owner.notifiable_id,
            )
            .order_by(PushSubscription.id)
        )
        return list(found)

    async def forget(self, endpoint: str) -> None:
        """Delete the subscription at ``endpoint`` (the push service answered 404 or 410)."""
        await self._session.execute(
            delete(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        await self._session.commit()
