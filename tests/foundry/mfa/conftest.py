"""Fixtures of the second-factor tests: a scope, a user, a frozen clock, the SMS fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.mfa.totp import TotpService
from foundry.sms import SmsFake, SmsManager
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

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
