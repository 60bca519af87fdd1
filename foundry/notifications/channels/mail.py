"""The ``mail`` channel: ``to_mail`` returns a ``Mailable`` or a :class:`MailMessage`, sent
through the Mail battery to the notifiable's ``mail`` route."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from foundry.mail.mailable import Mailable
from foundry.mail.manager import MailManager
from foundry.mail.message import SentMessage
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.database import notification_data
from foundry.notifications.errors import NotificationError
from foundry.notifications.mail_message import MailMessage
from foundry.notifications.notification import Notification, Routable

__all__ = ["MailChannel"]


def words(name: str) -> str:
    """``InvoicePaid`` -> ``Invoice Paid`` (the default subject of a mail notification)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


def _add_recipients(mailable: Mailable, route: object) -> None:
    """Address ``mailable`` to ``route``: an address, ``(address, name)``, a list of either,
    or ``{address: name}``."""
    if isinstance(route, str):
        mailable.to(route)
    elif isinstance(route, tuple) and len(route) == 2:
        mailable.to(str(route[0]), None if route[1] is None else str(route[1]))
    elif isinstance(route, Mapping):
        for address, name in route.items():
            mailable.to(str(address), None if name is None else str(name))
    elif isinstance(route, (list, set, frozenset)):
        for item in route:
            _add_recipients(mailable, item)
    else:
        raise NotificationError(f"a mail route must be an address, not {type(route).__qualname__}")


class MailChannel(NotificationChannel):
    """Sends through the mail manager (``MAIL_MAILER``, or the message's ``mailer``)."""

    name: ClassVar[str] = "mail"

    def __init__(self, mail: MailManager) -> None:
        self.mail = mail

    async def send(self, notifiable: Routable, notification: Notification) -> SentMessage | None:
        """Build the mail and send it (after the surrounding commit when the notification's
        ``after_commit`` says so). A ``Mailable`` with recipients of its own keeps them."""
        route = self.route(notifiable, notification)
        message: Any = notification_data(notification, notifiable, self.name)
        mailer_name: str | None = None
        if isinstance(message, MailMessage):
            mailer_name = message.mailer_name
            mailable: Mailable = message.mailable()
            if not mailable.build_subject():
                mailable.with_subject(words(type(notification).__name__))
        elif isinstance(message, Mailable):
            mailable = message
        else:
            raise NotificationError(
                f"{type(notification).__qualname__}.to_mail must return a MailMessage or a "
                f"Mailable, not {type(message).__qualname__}"
            )
        parts = mailable.parts
        if not (parts.to or parts.cc or parts.bcc):
            if not route:
                return None
            _add_recipients(mailable, route)
        return await self.mail.mailer(mailer_name).send(
            mailable, after_commit=notification.after_commit, now=True
        )
