"""Notifications and a channel the notification tests send (importable by queue workers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.notifications import VerifyEmail
from foundry.jobs.contracts import ShouldQueue
from foundry.mail import Mailable
from foundry.notifications import MailMessage, Notification, NotificationChannel, Routable

__all__ = [
    "Alert",
    "AlertMail",
    "Outbox",
    "OutboxChannel",
    "QueuedWelcome",
    "Stale",
    "VerifyEverywhere",
    "Welcome",
]


class Outbox:
    """What the ``outbox`` channel delivered: ``(route, message)`` pairs, and failures to fake."""

    delivered: ClassVar[list[tuple[object, str]]] = []
    #: How many more sends fail before the channel works.
    failures_left: ClassVar[list[int]] = [0]


class OutboxChannel(NotificationChannel):
    """A channel of the tests' own, built by the container (it asks for the scope's session)."""

    name: ClassVar[str] = "outbox"

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def send(self, notifiable: Routable, notification: Notification) -> object:
        route = self.route(notifiable, notification)
        if route is None:
            return None
        if Outbox.failures_left[0] > 0:
            Outbox.failures_left[0] -= 1
            raise ConnectionError("the outbox is down")
        message = str(getattr(notification, "to_outbox")(notifiable))
        Outbox.delivered.append((route, message))
        return message


@dataclass
class Welcome(Notification):
    """The SPEC's example: database and mail."""

    user_name: str
    channels: tuple[str, ...] = ("database", "mail")

    def via(self, notifiable: Any) -> list[str]:
        return list(self.channels)

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        return {"message": f"Welcome {self.user_name}!"}

    def to_mail(self, notifiable: Any) -> MailMessage:
        return (
            MailMessage()
            .subject("Welcome aboard")
            .greeting(f"Hello {self.user_name}!")
            .line("Your account is ready.")
            .action("Open the app", "https://example.com/home")
            .line("Thank you for joining.")
        )

    def to_outbox(self, notifiable: Any) -> str:
        return f"welcome {self.user_name}"


@dataclass
class QueuedWelcome(Welcome, ShouldQueue):
    """Welcome, through the queue."""

    tries = 3
    backoff = 0


@dataclass
class Stale(Welcome, ShouldQueue):
    """Not sent to a user renamed "Gone" by the time it goes out."""

    def should_send(self, notifiable: Any, channel: str) -> bool:
        return bool(getattr(notifiable, "name", "") != "Gone")


@dataclass
class AlertMail(Mailable):
    """A mailable a notification hands the mail channel as it is."""

    text: str
    subject = "Alert"
    text_template = "notifications/email.txt.j2"

    def context(self) -> dict[str, Any]:
        return {
            "level": "error",
            "greeting": None,
            "intro_lines": [self.text],
            "action_text": None,
            "action_url": None,
            "outro_lines": [],
            "salutation": None,
        }


@dataclass
class Alert(Notification):
    """Mail as a Mailable, and an error-level MailMessage when ``as_message``."""

    text: str
    as_message: bool = False

    def via(self, notifiable: Any) -> list[str]:
        return ["mail"]

    def to_mail(self, notifiable: Any) -> Mailable | MailMessage:
        if self.as_message:
            return MailMessage().error().line(self.text).action("Fix it", "https://example.com/fix")
        return AlertMail(text=self.text)


@dataclass
class VerifyEverywhere(VerifyEmail):
    """An application's override: the verification link by mail and on the outbox."""

    def via(self, notifiable: Any) -> list[str]:
        return ["mail", "outbox"]

    def to_outbox(self, notifiable: Any) -> str:
        return f"verify: {self.url}"
