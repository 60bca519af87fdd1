"""The SMS manager and its ``log`` and ``array`` drivers, the fake, and the transaction rule."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.sms import SmsSettings
from foundry.kernel.application import Application
from foundry.sms import (
    ArrayDriver,
    InvalidPhoneNumberError,
    LogDriver,
    SentSms,
    Sms,
    SmsConfigurationError,
    SmsDriver,
    SmsManager,
    SmsMessage,
    UnknownSmsDriverError,
    mask_phone,
)
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory

PHONE = "+14155550123"


class RecordingDriver(SmsDriver):
    """A driver of the app's own, added with ``extend``."""

    def __init__(self, name: str, settings: SmsSettings) -> None:
        super().__init__(name, settings)
        self.delivered_to: list[str] = []

    async def deliver(self, sms: SentSms) -> str | None:
        self.delivered_to.append(sms.to)
        return "own-1"


async def test_the_default_log_driver_writes_the_message(
    application: Application, caplog: pytest.LogCaptureFixture
) -> None:
    manager = application.container.make(SmsManager)
    assert isinstance(manager.driver(), LogDriver)
    with caplog.at_level(logging.INFO, logger="foundry.sms"):
        sent = await manager.send(PHONE, "Your table is ready.")
    assert sent.to == PHONE and sent.driver == "log"
    assert [record.getMessage() for record in caplog.records] == [
        f"SMS via 'log' from (default sender) to {PHONE}: Your table is ready."
    ]


async def test_the_array_driver_keeps_what_it_sent(make_application: MakeApplication) -> None:
    application = make_application(SMS_DRIVER="array", TWILIO_FROM="+15005550006")
    manager = application.container.make(SmsManager)
    driver = manager.driver()
    assert isinstance(driver, ArrayDriver)

    await manager.send(PHONE, "one")
    await manager.driver("array").send(PHONE, SmsMessage("two", from_="Foundry"))

    assert [(sms.content, sms.from_) for sms in driver.messages] == [
        ("one", "+15005550006"),
        ("two", "Foundry"),
    ]
    driver.flush()
    assert driver.messages == []


@pytest.mark.parametrize(
    "to", ["4155550123", "+1 415 555 0123", "+1-415-555-0123", "+0123456789", "+1", "", "+1415x"]
)
async def test_numbers_not_in_e164_form_are_refused_before_sending(
    application: Application, to: str
) -> None:
    fake = application.container.make(SmsManager).fake()
    with pytest.raises(InvalidPhoneNumberError):
        await Sms.send(to, "hello")
    fake.assert_nothing_sent()


@pytest.mark.parametrize("content", ["", "   ", "x" * 1601])
async def test_empty_and_overlong_messages_are_refused(
    application: Application, content: str
) -> None:
    fake = application.container.make(SmsManager).fake()
    with pytest.raises(InvalidPhoneNumberError):
        await Sms.send(PHONE, content)
    fake.assert_nothing_sent()


def test_an_unknown_default_driver_fails_at_start_up(make_application: MakeApplication) -> None:
    with pytest.raises(UnknownSmsDriverError, match="'carrier-pigeon' is not defined"):
        make_application(SMS_DRIVER="carrier-pigeon")


def test_twilio_without_credentials_fails_at_start_up(make_application: MakeApplication) -> None:
    with pytest.raises(SmsConfigurationError, match="TWILIO_SID and TWILIO_TOKEN"):
        make_application(SMS_DRIVER="twilio")


async def test_an_app_adds_its_own_driver(application: Application) -> None:
    manager = application.container.make(SmsManager)
    manager.extend("own", lambda manager, name: RecordingDriver(name, manager.settings))
    assert manager.driver_names() == ["array", "log", "twilio", "own"]

    sent = await manager.driver("own").send(PHONE, "hi")

    assert sent.provider_id == "own-1"
    own = manager.driver("own")
    assert isinstance(own, RecordingDriver) and own.delivered_to == [PHONE]


async def test_the_fake_records_every_driver_and_asserts(application: Application) -> None:
    fake = application.container.make(SmsManager).fake()
    assert application.container.make(SmsManager) is fake

    await Sms.send(PHONE, "first")
    await Sms.driver("twilio").send(PHONE, "second")  # no credentials needed: nothing is sent
    await Sms.driver("whatever").send("+442079460958", "third")

    fake.assert_sent_times(3)
    fake.assert_sent_times(2, to=PHONE)
    fake.assert_sent_to(PHONE, lambda sms: sms.content == "second")
    assert fake.last_to(PHONE).content == "second"
    with pytest.raises(AssertionError, match="none matched"):
        fake.assert_sent_to(PHONE, lambda sms: sms.content == "fourth")
    with pytest.raises(AssertionError, match=r"No SMS was sent to \+33612345678"):
        fake.assert_sent_to("+33612345678")
    with pytest.raises(AssertionError, match="Expected no SMS"):
        fake.assert_nothing_sent()


async def test_a_message_sent_in_a_transaction_waits_for_the_commit(
    application: Application, session: AsyncSession
) -> None:
    fake = application.container.make(SmsManager).fake()

    await UserFactory.new().create(session)  # the unit of work is open
    await Sms.send(PHONE, "kept")
    fake.assert_nothing_sent()
    await session.commit()
    fake.assert_sent_to(PHONE)

    await UserFactory.new().create(session)
    await Sms.send(PHONE, "dropped")
    await session.rollback()
    fake.assert_sent_times(1)


def test_phones_are_masked_for_display() -> None:
    assert mask_phone("+442079460958") == "+4*********58"
    assert mask_phone("+1234") == "+1234"
