"""The replay guard is in the database: two processes sent the same code at once accept it once."""

from __future__ import annotations

import asyncio

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.mfa import MfaClient
from foundry.mfa.totp import TotpService
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.mfa.conftest import T0, FrozenClock
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


async def test_one_code_sent_to_two_processes_at_once_is_accepted_once(
    make_application: MakeApplication, database_url: str
) -> None:
    # Two applications stand for two worker processes: one database, an engine each.
    first, second = make_application(DATABASE_URL=database_url), make_application(
        DATABASE_URL=database_url
    )
    await migrate_database(database_url)
    async with first.container.scope() as scope:
        session = scope.make(AsyncSession)
        user = await UserFactory.new().create(session)
        await session.commit()
        service = scope.make(TotpService)
        service.clock = FrozenClock()
        app = pyotp.TOTP((await service.enrol(user)).secret)
        await service.confirm(user, app.at(T0 - 30), MfaClient())
        user_id = user.id

    async def attempt(application: Application) -> bool:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            found = await session.get(User, user_id)
            assert found is not None
            service = scope.make(TotpService)
            service.clock = FrozenClock()
            return await service.verify(found, app.at(T0))

    results = await asyncio.gather(attempt(first), attempt(second), attempt(first))

    assert sorted(results) == [False, False, True]
