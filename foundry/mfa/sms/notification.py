"""The text that carries a code, sent through the notifications' ``sms`` channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.notifications import Notification
from foundry.sms import SmsMessage

__all__ = ["PhoneRoute", "SmsCodeNotification"]


class SmsCodeNotification(Notification):
    """``123456 is your Foundry verification code...``: the code first, so phones that offer
    to fill codes in find it."""

    def __init__(self, code: str, app_name: str, minutes: int) -> None:
        self._code = code
        self.app_name = app_name
        self.minutes = minutes

    def via(self, notifiable: Any) -> list[str]:
        """Only ever by SMS."""
        return ["sms"]

    def to_sms(self, notifiable: Any) -> SmsMessage:
        """The text, naming the app and how long the code lasts."""
        return SmsMessage(
            f"{self._code} is your {self.app_name} verification code. It expires in "
            f"{self.minutes} minutes. Do not share it with anyone."
        )

    def __repr__(self) -> str:
        # Never the code: notifications end up in logs and failed-job records.
        return f"<SmsCodeNotification for {self.app_name!r}>"


@dataclass(frozen=True)
class PhoneRoute:
    """A phone number as a notifiable: routes the ``sms`` channel to it, and nothing else."""

    phone: str

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        """The number for ``sms``; ``None`` for any other channel."""
        return self.phone if channel == "sms" else None
