"""Push subscription endpoints naming this machine or the network in disguise are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt.keys import KeyStore
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.kernel.keys import generate_key as application_key
from foundry.notifications.push import VapidKeys
from foundry.notifications.tables import PushSubscription
from foundry.testing import TestClient
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST
from tests.foundry.notifications.channels.push_browser import Browser
from tests.foundry.testbench.factories import UserFactory

API = "/api/v1/push-subscriptions"
VAPID = VapidKeys.generate()
KEYS = {"VAPID_PUBLIC_KEY": VAPID.public_key, "VAPID_PRIVATE_KEY": VAPID.private_key}


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(DATABASE_URL=database_url, **KEYS, **FAST)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.1/push",  # 127.0.0.1 in the short form getaddrinfo accepts
        "https://2130706433/push",  # ... as one decimal number
        "https://0x7f000001/push",  # ... in hex
        "https://[::ffff:10.0.0.5]/push",  # a private IPv4 address inside IPv6
        "https://[::a00:5]/push",  # ... IPv4-compatible (which ``is_global`` lets through)
        "https://[64:ff9b::a9fe:a9fe]/push",  # ... NAT64 of the cloud metadata address
        "https://224.0.0.1/push",  # multicast (``is_global`` too)
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://printer.local/push",
    ],
)
async def test_disguised_internal_hosts_are_refused(
    client: TestClient, session: AsyncSession, endpoint: str
) -> None:
    ada = await UserFactory.new().create(session)
    await session.commit()

    response = await client.acting_as(ada).post(API, json=Browser().subscription(endpoint))

    response.assert_unprocessable().assert_json_validation_errors("endpoint")
    stored = await session.scalar(select(func.count()).select_from(PushSubscription))
    assert stored == 0


async def test_production_refuses_https_to_localhost(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    KeyStore(tmp_path / "keys").generate()
    app = make_application(
        DATABASE_URL=database_url,
        JWT_KEYS_PATH=str(tmp_path / "keys"),
        APP_ENV="production",
        APP_KEY=application_key(),
        TRUSTED_HOSTS="testserver",
        MAIL_MAILER="smtp",
        **KEYS,
    )
    async with refresh_database(app):
        async with app.container.scope() as scope:
            session = scope.make(AsyncSession)
            ada = await UserFactory.new().create(session)
            await session.commit()
        async with TestClient(create_app(app)) as client:
            answers = [
                await client.acting_as(ada).post(API, json=Browser().subscription(endpoint))
                for endpoint in ("https://localhost/push", "https://localhost./push")
            ]

    for answer in answers:
        answer.assert_unprocessable().assert_json_validation_errors("endpoint")
