"""``SmsService`` and ``SmsFactor``: codes texted through the SMS fake, hashed at rest, short
lived, single use, killed by wrong guesses, and sends limited per user and per number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.sms import SmsSettings
from foundry.database import utcnow
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.kernel.errors import (
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    ValidationError,
)
from foundry.mfa import MfaClient, MfaDisabled, MfaEnrolled, SecondFactorRegistry
from foundry.mfa.models.sms_credential import SmsCode, SmsCredential
from foundry.mfa.sms import SmsFactor, SmsNotSentError, SmsService
from foundry.sms import SentSms, SmsDriver, SmsFake, SmsManager, SmsTransportError
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

CLIENT = MfaClient(ip="127.0.0.1", user_agent="pytest")
PHONE = "+442079460958"


def code_in(sms: SmsFake, phone: str = PHONE) -> str:
    """The code of the last text sent to ``phone``."""
    content = sms.last_to(phone).content
    assert content.endswith("It expires in 5 minutes. Do not share it with anyone.")
    code = content[:6]
    assert code.isdigit() and content[6:].startswith(" is your Foundry verification code.")
    return code


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def enabled(scope: Container, user: User, sms: SmsFake) -> SmsService:
    service = scope.make(SmsService)
    await service.enrol(user, PHONE)
    await service.confirm(user, code_in(sms), CLIENT)
    return service


async def test_enrolment_texts_a_code_that_confirms_the_phone(
    scope: Container, user: User, sms: SmsFake
) -> None:
    events = scope.make(EventDispatcher).fake()
    service = scope.make(SmsService)

    sent = await service.enrol(user, PHONE)

    assert sent.to_dict() == {"sent_to": "+4*********58", "expires_in": 300}
    sms.assert_sent_times(1, to=PHONE)
    assert not await service.is_enabled(user)
    code = code_in(sms)
    with pytest.raises(ValidationError) as wrong:
        await service.confirm(user, other_than(code), CLIENT)
    assert wrong.value.errors == {"code": ["The code is invalid or has expired."]}

    await service.confirm(user, code, CLIENT)

    assert await service.is_enabled(user)
    events.assert_dispatched(
        MfaEnrolled, lambda event: (event.method, event.label) == ("sms", "+4*********58")
    )
    with pytest.raises(ConflictError):
        await service.enrol(user, "+14155550123")


async def test_codes_are_stored_as_hmacs_only(scope: Container, user: User, sms: SmsFake) -> None:
    await scope.make(SmsService).enrol(user, PHONE)
    code = code_in(sms)

    stored = await scope.make(AsyncSession).scalar(select(SmsCode.code_hash))

    assert stored is not None and len(stored) == 64 and code not in stored
    assert int(stored, 16) >= 0  # hex


@pytest.mark.parametrize(
    "phone", ["07946 0958", "+44 20 7946 0958", "0044207946095", "+44", "tel:+442079460958"]
)
async def test_a_number_not_in_e164_form_is_refused(
    scope: Container, user: User, sms: SmsFake, phone: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        await scope.make(SmsService).enrol(user, phone)
    assert "E.164" in refused.value.errors["phone"][0]
    sms.assert_nothing_sent()


async def test_a_code_expires_after_five_minutes(
    scope: Container, user: User, sms: SmsFake
) -> None:
    service = scope.make(SmsService)
    await service.enrol(user, PHONE)
    session = scope.make(AsyncSession)
    row = await session.scalar(select(SmsCode))
    assert row is not None
    lifetime = row.expires_at - row.created_at
    assert lifetime == timedelta(minutes=5)
    await session.execute(update(SmsCode).values(expires_at=utcnow() - timedelta(seconds=1)))

    with pytest.raises(ValidationError):
        await service.confirm(user, code_in(sms), CLIENT)


async def test_a_code_dies_after_five_wrong_guesses(
    scope: Container, user: User, sms: SmsFake, application: Application
) -> None:
    service = scope.make(SmsService)
    await service.enrol(user, PHONE)
    code = code_in(sms)
    for _ in range(5):
        with pytest.raises(ValidationError):
            await service.confirm(user, other_than(code), CLIENT)
    # The throttle would answer 429 now: forget it, the code itself is dead anyway.
    await service.throttle.succeeded(user)

    with pytest.raises(ValidationError):
        await service.confirm(user, code, CLIENT)


async def test_sign_in_codes_are_single_use_and_apart_from_enrolment_codes(
    scope: Container, user: User, sms: SmsFake
) -> None:
    factor = scope.make(SmsFactor)
    session = scope.make(AsyncSession)
    assert not await factor.is_enrolled(session, user)
    assert await factor.challenge(session, user, CLIENT) is None
    sms.assert_nothing_sent()

    service = await enabled(scope, user, sms)
    enrol_code = code_in(sms)
    assert await factor.is_enrolled(session, user)

    challenge = await factor.challenge(session, user, CLIENT)

    assert challenge == {"sent_to": "+4*********58", "expires_in": 300}
    code = code_in(sms)
    assert not await factor.verify(session, user, {"code": enrol_code}, CLIENT)
    assert not await factor.verify(session, user, {}, CLIENT)
    assert not await factor.verify(session, user, {"code": 123456}, CLIENT)
    assert await factor.verify(session, user, {"code": code}, CLIENT)
    assert not await factor.verify(session, user, {"code": code}, CLIENT)
    # A new challenge replaces the code before it.
    await factor.challenge(session, user, CLIENT)
    first = code_in(sms)
    await factor.challenge(session, user, CLIENT)
    if first != code_in(sms):
        assert not await service.verify(user, first)
    assert await service.verify(user, code_in(sms))


async def test_sends_are_limited_per_user(scope: Container, user: User, sms: SmsFake) -> None:
    service = await enabled(scope, user, sms)  # the enrolment code was the first send
    for _ in range(4):
        await service.challenge(user)

    with pytest.raises(TooManyRequestsError) as limited:
        await service.challenge(user)

    assert 0 < limited.value.retry_after <= 15 * 60
    assert limited.value.message.startswith("Too many codes sent.")
    sms.assert_sent_times(5, to=PHONE)


async def test_sends_are_limited_per_number_whoever_asks(
    scope: Container, user: User, sms: SmsFake
) -> None:
    session = scope.make(AsyncSession)
    others = [await UserFactory.new().create(session) for _ in range(6)]
    await session.commit()
    service = scope.make(SmsService)
    for other in others[:5]:
        await service.enrol(other, PHONE)

    with pytest.raises(TooManyRequestsError):
        await service.enrol(others[5], PHONE)
    await service.enrol(others[5], "+14155550123")  # another number is fine
    sms.assert_sent_times(5, to=PHONE)


async def test_removal_needs_the_password(scope: Container, user: User, sms: SmsFake) -> None:
    events = scope.make(EventDispatcher).fake()
    service = await enabled(scope, user, sms)
    await service.challenge(user)

    with pytest.raises(ValidationError, match="password is incorrect"):
        await service.disable(user, CLIENT, password="wrong")
    await service.disable(user, CLIENT, password="password")

    assert not await service.is_enabled(user)
    session = scope.make(AsyncSession)
    assert await session.scalar(select(SmsCode.id)) is None
    assert await session.scalar(select(SmsCredential.id)) is None
    events.assert_dispatched(MfaDisabled, lambda event: event.method == "sms")
    with pytest.raises(NotFoundError):
        await service.disable(user, CLIENT, password="password")


async def test_reset_removes_the_phone_for_the_caller_to_commit(
    scope: Container, user: User, sms: SmsFake
) -> None:
    await enabled(scope, user, sms)
    factor = scope.make(SmsFactor)
    session = scope.make(AsyncSession)
    await factor.reset(session, user)
    await session.commit()
    assert not await factor.is_enrolled(session, user)


class FailingDriver(SmsDriver):
    async def deliver(self, sms: SentSms) -> str | None:
        raise SmsTransportError("the SMS provider at https://sms.example.test refused it")


async def test_a_provider_failure_is_a_503_and_nothing_secret_is_logged(
    scope: Container, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    manager = scope.make(SmsManager)
    manager.extend("log", lambda manager, name: FailingDriver(name, manager.settings))

    with pytest.raises(SmsNotSentError) as failed:
        await scope.make(SmsService).enrol(user, PHONE)

    assert (failed.value.status_code, failed.value.error) == (503, "sms_not_sent")
    assert [record.getMessage() for record in caplog.records] == [
        f"SMS code for user {user.id} not sent: the SMS provider at https://sms.example.test "
        "refused it"
    ]


def test_both_factors_are_offered(application: Application) -> None:
    registry = application.container.make(SecondFactorRegistry)
    assert {"totp", "sms"} <= set(registry.names())
    assert (registry.get("sms").amr, registry.get("totp").amr) == ("sms", "otp")
    assert isinstance(application.container.make(SmsSettings), SmsSettings)


async def test_production_refuses_to_text_codes_through_the_log(
    scope: Container, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    service = scope.make(SmsService)
    service.app = service.app.model_copy(update={"env": "production"})

    with pytest.raises(SmsNotSentError):
        await service.enrol(user, PHONE)

    assert [record.getMessage() for record in caplog.records] == [
        f"SMS code for user {user.id} not sent: SMS_DRIVER=log delivers nothing; set "
        "SMS_DRIVER=twilio in production"
    ]
    assert await scope.make(AsyncSession).scalar(select(SmsCode.id)) is None


async def test_each_factor_counts_its_confirmed_users_in_one_query(
    scope: Container, user: User, sms: SmsFake
) -> None:
    session = scope.make(AsyncSession)
    factor = scope.make(SmsFactor)
    pending = await UserFactory.new().create(session)
    await session.commit()
    await scope.make(SmsService).enrol(pending, "+14155550123")  # never confirmed
    assert await factor.enrolled_count(session) == 0

    await enabled(scope, user, sms)

    assert await factor.enrolled_count(session) == 1
