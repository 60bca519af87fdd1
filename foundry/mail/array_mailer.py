"""The ``array`` mailer: keeps every delivered message in memory (what ``Mail.fake()`` uses)."""

from __future__ import annotations

from email.message import EmailMessage

from foundry.mail.mailer import Mailer
from foundry.mail.message import Envelope, MessageBuilder, SentMessage

__all__ = ["ArrayMailer"]


class ArrayMailer(Mailer):
    """Delivers into :attr:`messages`; nothing leaves the process.

    Useful in local development and tests that want to read the built message. Several array
    mailers may share one list (the fake does, to see every mailer's messages in one place).
    """

    def __init__(
        self, name: str, builder: MessageBuilder, messages: list[SentMessage] | None = None
    ) -> None:
        """Create the mailer; ``messages`` is the list to append to (a new one if omitted)."""
        super().__init__(name, builder)
        #: Every message delivered so far, oldest first.
        self.messages: list[SentMessage] = messages if messages is not None else []

    async def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        """Nothing to hand over: :meth:`delivered` records the message."""

    async def delivered(self, sent: SentMessage) -> None:
        """Record ``sent``."""
        self.messages.append(sent)

    def flush(self) -> None:
        """Forget every recorded message."""
        self.messages.clear()
