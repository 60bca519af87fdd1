"""Checked by mypy only, never run: the ``Sms`` facade keeps its drivers' types.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import assert_type

from foundry.sms import LogDriver, SentSms, Sms, SmsDriver, SmsFake, SmsManager, SmsMessage


def log_driver(manager: SmsManager, name: str) -> SmsDriver:
    return LogDriver(name, manager.settings)


async def well_typed() -> None:
    assert_type(Sms.driver("twilio"), SmsDriver)
    assert_type(await Sms.send("+14155550123", "hi"), SentSms)
    assert_type(await Sms.send("+14155550123", SmsMessage("hi", from_="Bistro")), SentSms)
    Sms.extend("own", log_driver)
    assert_type(Sms.fake(), SmsFake)


async def ill_typed() -> None:
    await Sms.send(14155550123, "hi")  # type: ignore[arg-type]
    await Sms.send("+14155550123", b"hi")  # type: ignore[arg-type]
    Sms.extend("own", LogDriver)  # type: ignore[arg-type]
