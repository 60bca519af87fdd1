"""The ``Notifications`` facade: the application's :class:`NotificationSender`."""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.notifications.sender import NotificationSender

__all__ = ["Notifications"]

#: ``await Notifications.send(users, InvoicePaid(7))``; ``Notifications.extend(SlackChannel)``.
Notifications: NotificationSender = facade(NotificationSender)
