"""``SendQueuedNotification``: the job carrying one notification to one notifiable on one channel.

The notification is stored as its class path and its fields (encoded like a job's: models by
key, dataclasses, enums, dates), inside the signed payload; the worker rebuilds it without
calling its constructor, as it does a mailable, after checking the class is a Notification.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.jobs.errors import UnsafeClassError
from foundry.jobs.job import Job
from foundry.jobs.serialization import class_path, import_class
from foundry.kernel.container import Container
from foundry.notifications.notification import Notification

__all__ = ["NotificationDelivery", "SendQueuedNotification", "notification_class"]

#: The job options a notification may set as attributes (``tries = 5``), copied onto its jobs.
_OPTIONS = ("tries", "backoff", "timeout", "max_exceptions")


class NotificationDelivery(Protocol):
    """What the job needs of the sender (the notifications provider binds the sender to it, so
    this module does not import it)."""

    async def send_now(
        self,
        notifiables: Any,
        notification: Notification,
        channels: list[str] | None = None,
    ) -> None:
        """Deliver ``notification`` now on ``channels``."""
        ...


def notification_class(path: str) -> type[Notification]:
    """The :class:`Notification` subclass at ``path``; :class:`UnsafeClassError` otherwise."""
    cls = import_class(path)
    if not issubclass(cls, Notification):
        raise UnsafeClassError(f"{path} is not a Notification")
    return cls


class SendQueuedNotification(Job):
    """Delivers a notification on one channel, from a worker."""

    # A notifiable deleted before the job ran has no one left to notify.
    delete_when_missing_models = True

    def __init__(self, notifiable: object, notification: Notification, channel: str) -> None:
        self.notifiable: Any = notifiable
        self.channel = channel
        self.notification_class = class_path(type(notification))
        self.state: dict[str, Any] = notification.fields()
        for option in _OPTIONS:
            value = getattr(notification, option, None)
            if value is not None:
                setattr(self, option, value)

    def display_name(self) -> str:
        """The notification's class and the channel (``app.notifications.InvoicePaid@mail``)."""
        return f"{self.notification_class}@{self.channel}"

    def notification(self) -> Notification:
        """The notification, rebuilt from the stored fields.

        Raises:
            UnsafeClassError: the stored class is not a Notification.
        """
        cls = notification_class(self.notification_class)
        notification = object.__new__(cls)
        notification.__dict__.update(self.state)
        return notification

    async def handle(self, sender: NotificationDelivery, container: Container) -> None:
        """Deliver now on this job's channel (``should_send`` is asked again, now).

        The job is the unit of work: what the channel wrote in the job's session (the
        ``database`` channel's row) is committed here. A class that is no Notification fails
        the job at once (it would be refused again).
        """
        try:
            notification = self.notification()
        except UnsafeClassError as exc:
            if self.context is None:
                raise
            self.fail(exc)
            return
        await sender.send_now([self.notifiable], notification, [self.channel])
        session = container.resolved(AsyncSession)
        if session is not None and session.in_transaction():
            await session.commit()
