"""The ``array`` driver: keeps every delivered message in memory (what ``Sms.fake()`` uses)."""

from __future__ import annotations

from foundry.config.sms import SmsSettings
from foundry.sms.driver import SmsDriver
from foundry.sms.message import SentSms

__all__ = ["ArrayDriver"]


class ArrayDriver(SmsDriver):
    """Delivers into :attr:`messages`; nothing leaves the process.

    Useful in local development and in tests that read the codes sent. Several array drivers
    may share one list (the fake does, to see every driver's messages in one place).
    """

    def __init__(
        self, name: str, settings: SmsSettings, messages: list[SentSms] | None = None
    ) -> None:
        """Create the driver; ``messages`` is the list to append to (a new one if omitted)."""
        super().__init__(name, settings)
        #: Every message delivered so far, oldest first.
        self.messages: list[SentSms] = messages if messages is not None else []

    async def deliver(self, sms: SentSms) -> str | None:
        """Nothing to hand over: :meth:`delivered` records the message."""
        return None

    async def delivered(self, sent: SentSms) -> None:
        """Record ``sent``."""
        self.messages.append(sent)

    def flush(self) -> None:
        """Forget every recorded message."""
        self.messages.clear()
