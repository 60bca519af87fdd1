"""The ``sms`` notification channel, with a tiny notifiable and notification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from foundry.kernel.application import Application
from foundry.notifications import Notification
from foundry.notifications.channels.sms import SmsChannel
from foundry.sms import InvalidPhoneNumberError, SmsFake, SmsManager, SmsMessage


@dataclass
class Guest:
    """A notifiable with a phone (or none)."""

    phone: str | None

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        return self.phone if channel == "sms" else None


class TableReady(Notification):
    def __init__(self, table: int, sender: str | None = None) -> None:
        self.table = table
        self.sender = sender

    def via(self, notifiable: Any) -> list[str]:
        return ["sms"]

    def to_sms(self, notifiable: Any) -> SmsMessage:
        return SmsMessage(f"Table {self.table} is ready.", from_=self.sender)


class PlainText(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["sms"]

    def to_sms(self, notifiable: Any) -> str:
        return "Just text."


class MailOnly(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["sms"]


@pytest.fixture
def sms(application: Application) -> SmsFake:
    return application.container.make(SmsManager).fake()


async def test_the_channel_sends_to_sms_to_the_notifiables_phone(
    application: Application, sms: SmsFake
) -> None:
    channel = application.container.make(SmsChannel)
    assert channel.name == "sms"

    await channel.send(Guest("+14155550123"), TableReady(7, sender="Bistro"))
    await channel.send(Guest("+442079460958"), PlainText())

    sent = sms.last_to("+14155550123")
    assert (sent.content, sent.from_) == ("Table 7 is ready.", "Bistro")
    sms.assert_sent_to("+442079460958", lambda message: message.content == "Just text.")


async def test_a_notifiable_without_a_phone_is_skipped(
    application: Application, sms: SmsFake
) -> None:
    await application.container.make(SmsChannel).send(Guest(None), TableReady(1))
    sms.assert_nothing_sent()


async def test_a_bad_number_or_a_missing_to_sms_is_an_error(
    application: Application, sms: SmsFake
) -> None:
    channel = application.container.make(SmsChannel)
    with pytest.raises(InvalidPhoneNumberError):
        await channel.send(Guest("0207 946 0958"), TableReady(2))
    with pytest.raises(TypeError, match="MailOnly is sent via 'sms' but has no to_sms"):
        await channel.send(Guest("+14155550123"), MailOnly())
    sms.assert_nothing_sent()


async def test_the_channel_can_name_a_driver(application: Application, sms: SmsFake) -> None:
    channel = SmsChannel(application.container.make(SmsManager), driver="twilio")
    sent = await channel.deliver(Guest("+14155550123"), TableReady(3))
    assert sent is not None and sent.driver == "twilio"
