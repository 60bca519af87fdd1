"""A passkey as a second factor: the registry offers it, its challenge lists the user's passkeys,
a valid assertion proves it once, and a reset removes every passkey."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.kernel.application import Application
from foundry.kernel.errors import ValidationError
from foundry.mfa import MfaClient, SecondFactorRegistry
from foundry.mfa.webauthn import PasskeyFactor
from foundry.testing import TestClient
from tests.foundry.mfa.test_passkeys_api import ORIGIN, register, sign_up
from tests.support.webauthn import SoftAuthenticator, b64url

CLIENT = MfaClient(ip="203.0.113.7", user_agent="pytest")


async def _user(session: AsyncSession, application: Application, email: str) -> AuthUser:
    user = await application.container.make(UserProvider).find_by_email(session, email)
    assert user is not None
    return user


def test_the_registry_offers_passkeys(application: Application) -> None:
    registry = application.container.make(SecondFactorRegistry)
    factor = registry.get("webauthn")
    assert factor is PasskeyFactor and factor.amr == "hwk"


async def test_a_passkey_proves_the_second_factor_once(
    client: TestClient, application: Application, db: AsyncConnection
) -> None:
    ada_headers = await sign_up(client)
    await sign_up(client, "bob@example.com")
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, ada_headers, phone)).assert_created()

    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        factor = scope.make(PasskeyFactor)
        ada = await _user(session, application, "ada@example.com")
        bob = await _user(session, application, "bob@example.com")
        assert await factor.is_enrolled(session, ada)
        assert not await factor.is_enrolled(session, bob)

        options = await factor.challenge(session, ada, CLIENT)
        assert options is not None
        assert [c["id"] for c in options["allowCredentials"]] == [b64url(phone.credential_id)]
        answer = phone.get(dict(options))
        assert await factor.verify(session, ada, {"credential": answer}, CLIENT)
        assert not await factor.verify(session, ada, {"credential": answer}, CLIENT)
        # A copy of the key, replaying the counter it was copied with, proves nothing.
        again = await factor.challenge(session, ada, CLIENT)
        assert again is not None
        cloned = phone.get(dict(again), sign_count=1)
        assert not await factor.verify(session, ada, {"credential": cloned}, CLIENT)

        # Ada's passkey answering Bob's challenge proves nothing for Bob.
        bobs = await factor.challenge(session, bob, CLIENT)
        assert bobs is not None
        assert not await factor.verify(session, bob, {"credential": phone.get(dict(bobs))}, CLIENT)
        with pytest.raises(ValidationError):
            await factor.verify(session, ada, {"credential": "nope"}, CLIENT)
        with pytest.raises(ValidationError):
            await factor.verify(session, ada, {}, CLIENT)

        await factor.reset(session, ada)
        assert not await factor.is_enrolled(session, ada)
