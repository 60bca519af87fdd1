"""``TotpService`` with pyotp computing real codes on a frozen clock: enrolment, the ±1 step
window's edges, the replay guard, encryption at rest, the throttle and removal."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.app import AppSettings
from foundry.events import EventDispatcher
from foundry.kernel.container import Container
from foundry.kernel.encryption import Encrypter
from foundry.kernel.errors import (
    ConflictError,
    NotFoundError,
    TooManyRequestsError,
    ValidationError,
)
from foundry.kernel.keys import generate_key
from foundry.mfa import MfaClient, MfaDisabled, MfaEnrolled
from foundry.mfa.models.totp_credential import TotpCredential
from foundry.mfa.totp import TotpFactor, TotpService
from tests.foundry.mfa.conftest import T0, FrozenClock
from tests.foundry.testbench.models import User

CLIENT = MfaClient(ip="127.0.0.1", user_agent="pytest")


async def enabled(scope: Container, user: User) -> tuple[TotpService, pyotp.TOTP]:
    """Ada with a confirmed app (confirmed with the code of step T0 - 60 s)."""
    service = scope.make(TotpService)
    secret = (await service.enrol(user)).secret
    app = pyotp.TOTP(secret)
    clock = service.clock
    assert isinstance(clock, FrozenClock)
    clock.travel(-60)
    await service.confirm(user, app.at(clock.now), CLIENT)
    clock.travel(60)
    return service, app


async def test_enrolment_gives_the_uri_qr_code_and_secret(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service = scope.make(TotpService)

    enrolment = await service.enrol(user)

    uri = urlsplit(enrolment.uri)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == "/Foundry:ada@example.com"
    assert parse_qs(uri.query) == {"secret": [enrolment.secret], "issuer": ["Foundry"]}
    assert len(enrolment.secret) == 32 and pyotp.TOTP(enrolment.secret).now().isdigit()
    assert enrolment.qr_code.startswith("data:image/svg+xml;")
    assert "%3Csvg" in enrolment.qr_code
    # Nothing counts until a first code confirms it.
    assert not await service.is_enabled(user)


async def test_the_secret_is_encrypted_at_rest_and_bound_to_its_user(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service = scope.make(TotpService)
    secret = (await service.enrol(user)).secret
    session = scope.make(AsyncSession)

    stored = await session.scalar(select(TotpCredential.secret))
    assert stored is not None and secret not in stored and stored.startswith("v1.")
    encrypter = scope.make(Encrypter)
    assert encrypter.decrypt_string(stored, context=f"mfa_totp:{user.id}") == secret
    with pytest.raises(ValueError, match="altered or made with another key"):
        encrypter.decrypt_string(stored, context=f"mfa_totp:{user.id + 1}")


async def test_the_first_code_confirms_and_is_announced(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    events = scope.make(EventDispatcher).fake()
    service = scope.make(TotpService)
    app = pyotp.TOTP((await service.enrol(user)).secret)

    with pytest.raises(ValidationError) as wrong:
        await service.confirm(user, "000000" if app.at(T0) != "000000" else "111111", CLIENT)
    assert wrong.value.errors == {"code": ["The code is invalid or has already been used."]}
    assert not await service.is_enabled(user)

    await service.confirm(user, app.at(T0), CLIENT)

    assert await service.is_enabled(user)
    events.assert_dispatched(
        MfaEnrolled,
        lambda event: (event.user.id, event.method, event.client) == (user.id, "totp", CLIENT),
    )
    with pytest.raises(ConflictError):
        await service.confirm(user, app.at(T0 + 30), CLIENT)
    with pytest.raises(ConflictError):
        await service.enrol(user)


async def test_a_code_is_good_for_one_step_either_side_and_no_further(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service, app = await enabled(scope, user)
    # T0 is the first second of its step: the previous step's code still works, and the one
    # before it does not.
    assert not await service.verify(user, app.at(T0 - 60))
    assert not await service.verify(user, app.at(T0 + 60))
    assert await service.verify(user, app.at(T0 - 30))
    # The last second of the next step is still inside the window of T0's code...
    clock.now = T0 + 59.999
    assert await service.verify(user, app.at(T0))
    # ...and the next step's code works from the step before it.
    assert await service.verify(user, app.at(T0 + 60))


async def test_a_code_is_accepted_once_and_earlier_steps_are_closed_after_it(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service, app = await enabled(scope, user)

    assert await service.verify(user, app.at(T0 + 30))
    assert not await service.verify(user, app.at(T0 + 30))  # the same code again
    assert not await service.verify(user, app.at(T0))  # an earlier step, still in the window
    clock.travel(30)
    assert not await service.verify(user, app.at(T0 + 30))  # still the same step
    assert await service.verify(user, app.at(T0 + 60))


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", None, 123456])
async def test_malformed_codes_are_refused(
    scope: Container, user: User, clock: FrozenClock, code: object
) -> None:
    service, _ = await enabled(scope, user)
    assert not await service.verify(user, code)


async def test_an_unconfirmed_app_proves_nothing(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service = scope.make(TotpService)
    app = pyotp.TOTP((await service.enrol(user)).secret)
    assert not await service.verify(user, app.at(T0))


async def test_secrets_made_before_the_key_was_rotated_still_work(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service, app = await enabled(scope, user)
    old_key = service.app.key
    new_key = generate_key()
    service.encrypter = Encrypter.from_app_key(new_key)

    service.app = service.app.model_copy(update={"key": new_key, "previous_keys": ""})
    with pytest.raises(ValueError, match="another key"):
        await service.verify(user, app.at(T0))

    service.app = AppSettings.model_validate({"APP_KEY": new_key, "APP_PREVIOUS_KEYS": old_key})
    assert await service.verify(user, app.at(T0))


async def test_wrong_codes_are_throttled_per_user(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service = scope.make(TotpService)
    app = pyotp.TOTP((await service.enrol(user)).secret)
    wrong = "000000" if app.at(T0) != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            await service.confirm(user, wrong, CLIENT)

    with pytest.raises(TooManyRequestsError) as throttled:
        await service.confirm(user, app.at(T0), CLIENT)
    assert 0 < throttled.value.retry_after <= 60
    assert not await service.is_enabled(user)


async def test_removal_needs_a_fresh_code_or_the_password(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    events = scope.make(EventDispatcher).fake()
    service, app = await enabled(scope, user)

    with pytest.raises(ValidationError, match="either a current code or your password"):
        await service.disable(user, CLIENT)
    with pytest.raises(ValidationError, match="either a current code or your password"):
        await service.disable(user, CLIENT, code=app.at(T0), password="password")
    with pytest.raises(ValidationError) as wrong:
        await service.disable(user, CLIENT, password="not my password")
    assert wrong.value.errors == {"password": ["The password is incorrect."]}
    # The code that confirmed the app (T0 - 60) is spent, and so is its step's window.
    with pytest.raises(ValidationError):
        await service.disable(user, CLIENT, code=app.at(T0 - 60))
    assert await service.is_enabled(user)

    await service.disable(user, CLIENT, code=app.at(T0))

    assert not await service.is_enabled(user)
    assert await service.credential(user) is None
    events.assert_dispatched(MfaDisabled, lambda event: event.method == "totp")
    with pytest.raises(NotFoundError):
        await service.disable(user, CLIENT, password="password")


async def test_removal_with_the_password_and_a_new_enrolment_after_it(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service, app = await enabled(scope, user)
    await service.disable(user, CLIENT, password="password")

    again = await service.enrol(user)

    assert again.secret != app.secret
    await service.confirm(user, pyotp.TOTP(again.secret).at(T0), CLIENT)
    assert await service.is_enabled(user)


async def test_reset_removes_the_app_for_the_caller_to_commit(
    scope: Container, user: User, clock: FrozenClock
) -> None:
    service, _ = await enabled(scope, user)
    assert await service.reset(user)
    await scope.make(AsyncSession).commit()
    assert not await service.is_enabled(user)
    assert not await service.reset(user)


async def test_confirmed_apps_are_counted(scope: Container, user: User, clock: FrozenClock) -> None:
    factor = scope.make(TotpFactor)
    session = scope.make(AsyncSession)
    assert await factor.enrolled_count(session) == 0
    await enabled(scope, user)
    assert await factor.enrolled_count(session) == 1
