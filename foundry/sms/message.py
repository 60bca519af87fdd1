"""``SmsMessage`` (what a notification's ``to_sms`` returns) and ``SentSms`` (what was sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["MAX_LENGTH", "SentSms", "SmsMessage"]

#: Characters a message may hold: Twilio's limit (it splits longer texts into up to 10 segments).
MAX_LENGTH = 1600


@dataclass(frozen=True)
class SmsMessage:
    """A text message: its ``content`` and, optionally, a sender other than the default.

    ``from_`` is a number in E.164 form or an alphanumeric sender id; ``None`` uses the
    driver's default (``TWILIO_FROM``).
    """

    content: str
    from_: str | None = None


@dataclass(frozen=True)
class SentSms:
    """One message handed to a driver: recipient, text, sender, driver name and when.

    ``provider_id`` is the provider's id for it (Twilio's message SID), when it gives one.
    """

    to: str
    content: str
    from_: str | None
    driver: str
    sent_at: datetime
    provider_id: str | None = None
