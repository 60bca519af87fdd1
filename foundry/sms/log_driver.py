"""The ``log`` driver (the default): writes each message to the ``foundry.sms`` logger."""

from __future__ import annotations

import logging

from foundry.sms.driver import SmsDriver
from foundry.sms.message import SentSms

__all__ = ["LogDriver", "logger"]

logger = logging.getLogger("foundry.sms")


class LogDriver(SmsDriver):
    """Logs sender, recipient and text at INFO; nothing leaves the machine.

    Meant for development, where reading a sign-in code from the log is the point: the text is
    logged whole, so production must name a real driver (``SMS_DRIVER=twilio``).
    """

    async def deliver(self, sms: SentSms) -> str | None:
        """Write one INFO record describing ``sms``."""
        logger.info(
            "SMS via %r from %s to %s: %s",
            self.name,
            sms.from_ or "(default sender)",
            sms.to,
            sms.content,
            extra={"sms_driver": self.name, "sms_to": sms.to, "sms_from": sms.from_},
        )
        return None
