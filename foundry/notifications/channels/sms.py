"""The ``sms`` channel: a notification's ``to_sms`` text, sent through the SMS battery.

    class TableReady(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["sms"]

        def to_sms(self, notifiable: Any) -> SmsMessage:
            return SmsMessage("Your table is ready.")

The notifiable routes it: ``route_notification_for("sms", notification)`` answers its phone
number in E.164 form (``None`` skips it).
"""

from __future__ import annotations

from typing import ClassVar

from foundry.notifications.channel import NotificationChannel
from foundry.notifications.notification import Notification, Routable
from foundry.sms import SentSms, SmsManager, SmsMessage

__all__ = ["SmsChannel"]


class SmsChannel(NotificationChannel):
    """Sends ``notification.to_sms(notifiable)`` to the notifiable's ``sms`` route with the
    default SMS driver (``SMS_DRIVER``), or the one named at construction."""

    name: ClassVar[str] = "sms"

    def __init__(self, sms: SmsManager, driver: str | None = None) -> None:
        """Create the channel.

        Args:
            sms: the SMS manager (the container gives the application's, or its fake).
            driver: the driver to send with; default ``SMS_DRIVER``.
        """
        self.sms = sms
        self.driver = driver

    def message(self, notifiable: Routable, notification: Notification) -> SmsMessage:
        """What ``notification`` says by SMS to ``notifiable`` (its ``to_sms``; a plain string
        is taken as the content).

        Raises:
            TypeError: the notification has no ``to_sms`` method, or it returned neither an
                :class:`SmsMessage` nor a string.
        """
        to_sms = getattr(notification, "to_sms", None)
        if not callable(to_sms):
            raise TypeError(
                f"{type(notification).__qualname__} is sent via 'sms' but has no "
                "to_sms(notifiable) method"
            )
        message = to_sms(notifiable)
        if isinstance(message, str):
            return SmsMessage(message)
        if not isinstance(message, SmsMessage):
            raise TypeError(
                f"{type(notification).__qualname__}.to_sms must return an SmsMessage or a "
                f"string, not {type(message).__qualname__}"
            )
        return message

    async def send(self, notifiable: Routable, notification: Notification) -> None:
        """Send the text to the notifiable's phone; nothing when it has no ``sms`` route.

        Raises:
            InvalidPhoneNumberError: the route is not an E.164 number.
            SmsTransportError: the provider refused the message.
        """
        await self.deliver(notifiable, notification)

    async def deliver(self, notifiable: Routable, notification: Notification) -> SentSms | None:
        """:meth:`send`, answering what was sent (``None``: the notifiable has no route)."""
        route = self.route(notifiable, notification)
        if route is None:
            return None
        return await self.sms.driver(self.driver).send(
            str(route), self.message(notifiable, notification)
        )
