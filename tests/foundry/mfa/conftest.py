"""Fixtures of the MFA tests: the test factor registered, a user to log in as, a scope, a
frozen TOTP clock, the SMS fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.totp import TotpService
from foundry.sms import SmsFake, SmsManager
from foundry.testing import TestClient
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"


@pytest.fixture(autouse=True)
def code_factor(application: Application) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


async def register(client: TestClient, email: str = "ada@example.com") -> dict[str, Any]:
    response = await client.post(
        f"{API}/register",
        json={
            "name": "Ada",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )
    response.assert_created()
    body: dict[str, Any] = response.json()
    return body


async def login(client: TestClient, email: str = "ada@example.com") -> dict[str, Any]:
    response = await client.post(f"{API}/login", json={"email": email, "password": PASSWORD})
    response.assert_ok()
    body: dict[str, Any] = response.json()
    return body


def bearer(body: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {body['access_token']}"}


#: A moment at the very start of a TOTP time step (step 56_666_666).
T0 = 1_699_999_980.0


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def travel(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(application: Application) -> FrozenClock:
    """Frozen at :data:`T0` for every ``TotpService`` the app builds, requests' included."""
    frozen = FrozenClock()

    def build(container: Container) -> TotpService:
        service = container.build(TotpService)
        service.clock = frozen
        return service

    application.container.bind(TotpService, build)
    return frozen


@pytest.fixture
async def scope(application: Application, db: AsyncConnection) -> AsyncIterator[Container]:
    """A container scope (as a request has) joined to the test's transaction."""
    async with application.container.scope() as opened:
        yield opened


@pytest.fixture
async def user(scope: Container) -> User:
    """Ada, committed, with the factory's password (``"password"``)."""
    session = scope.make(AsyncSession)
    ada = await UserFactory.new(email="ada@example.com", name="Ada").create(session)
    await session.commit()
    return ada


@pytest.fixture
def sms(application: Application) -> SmsFake:
    """Every SMS recorded instead of sent."""
    return application.container.make(SmsManager).fake()
