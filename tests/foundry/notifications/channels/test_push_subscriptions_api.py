"""``/api/v1/push-subscriptions``: a signed-in user's browsers subscribe and unsubscribe, with
strict validation; ``GET .../key`` gives browsers the VAPID public key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.jwt.keys import KeyStore
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.kernel.keys import generate_key as application_key
from foundry.notifications.channels.push import PushChannel
from foundry.notifications.notification import Notification
from foundry.notifications.push import PushMessage, PushRecipient, VapidKeys
from foundry.notifications.tables import PushSubscription
from foundry.testing import TestClient
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST
from tests.foundry.notifications.channels.push_browser import Browser
from tests.foundry.notifications.channels.receiver import Receiver
from tests.foundry.notifications.channels.support import Recipient
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

API = "/api/v1/push-subscriptions"
VAPID = VapidKeys.generate()
ENDPOINT = "https://push.example.net/send/abc123"
KEYS = {"VAPID_PUBLIC_KEY": VAPID.public_key, "VAPID_PRIVATE_KEY": VAPID.private_key}


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(
        DATABASE_URL=database_url,
        **KEYS,
        **FAST,
    )


@pytest.fixture
async def ada(session: AsyncSession) -> User:
    user = await UserFactory.new().create(session, email="ada@example.com")
    await session.commit()
    return user


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PushSubscription)) or 0)


async def test_browsers_get_the_public_key(client: TestClient) -> None:
    response = await client.get(f"{API}/key")

    response.assert_ok().assert_json({"data": {"public_key": VAPID.public_key}})


async def test_without_vapid_keys_the_key_endpoint_says_so(
    make_application: MakeApplication, database_url: str
) -> None:
    app = make_application(DATABASE_URL=database_url)
    async with TestClient(create_app(app)) as client:
        response = await client.get(f"{API}/key")

    response.assert_not_found().assert_json({"error": "push_not_configured"})


async def test_a_user_subscribes_a_browser_and_a_push_reaches_it(
    client: TestClient, ada: User, application: Application, receiver: Receiver
) -> None:
    browser = Browser()
    endpoint = receiver.url("/push/ada-laptop")  # http on 127.0.0.1: allowed outside production

    response = await client.acting_as(ada).post(API, json=browser.subscription(endpoint))

    response.assert_created().assert_json_path("data.endpoint", endpoint)

    class Hello(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["push"]

        def to_push(self, notifiable: Any) -> PushMessage:
            return PushMessage("Hello Ada")

    async with application.container.scope() as scope:
        await scope.make(PushChannel).send(Recipient(push=PushRecipient.of(ada)), Hello())
    assert browser.decrypt(receiver.requests[0].body) == {"title": "Hello Ada", "body": ""}


async def test_subscribing_again_updates_the_keys(
    client: TestClient, ada: User, session: AsyncSession
) -> None:
    client.acting_as(ada)
    await client.post(API, json=Browser().subscription(ENDPOINT))
    renewed = Browser()

    (await client.post(API, json=renewed.subscription(ENDPOINT))).assert_created()

    stored = await session.scalar(select(PushSubscription))
    assert stored is not None and await count(session) == 1
    assert (stored.p256dh, stored.auth) == (renewed.p256dh, renewed.auth)
    assert (stored.notifiable_type, stored.notifiable_id) == ("users", str(ada.id))


async def test_a_user_removes_their_subscription_and_only_theirs(
    client: TestClient, ada: User, session: AsyncSession
) -> None:
    bob = await UserFactory.new().create(session, email="bob@example.com")
    await session.commit()
    await client.acting_as(ada).post(API, json=Browser().subscription(ENDPOINT))

    other = await client.acting_as(bob).request("DELETE", API, json={"endpoint": ENDPOINT})
    other.assert_not_found()
    assert await count(session) == 1

    mine = await client.acting_as(ada).request("DELETE", API, json={"endpoint": ENDPOINT})
    mine.assert_no_content()
    assert await count(session) == 0


async def test_guests_cannot_subscribe(client: TestClient) -> None:
    (await client.post(API, json=Browser().subscription(ENDPOINT))).assert_unauthorized()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "ftp://push.example.net/x"}, "endpoint"),
        ({"endpoint": "http://push.example.net/x"}, "endpoint"),
        ({"endpoint": "https://10.0.0.5/x"}, "endpoint"),
        ({"endpoint": "https://user:pw@push.example.net/x"}, "endpoint"),
        ({"keys": {"p256dh": "not base64!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": Browser().p256dh, "auth": "AAAA"}}, "keys.auth"),
        ({"keys": {"p256dh": Browser().p256dh}}, "keys.auth"),
        ({"content_encoding": "aesgcm"}, "content_encoding"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
async def test_bad_subscriptions_are_refused_with_422(
    client: TestClient, ada: User, session: AsyncSession, change: dict[str, Any], field: str
) -> None:
    body = {**Browser().subscription(ENDPOINT), **change}

    response = await client.acting_as(ada).post(API, json=body)

    response.assert_unprocessable().assert_json_validation_errors(field)
    assert await count(session) == 0


async def test_production_refuses_a_local_http_endpoint(
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
            local = Browser().subscription("http://127.0.0.1:9/push")
            response = await client.acting_as(ada).post(API, json=local)

    response.assert_unprocessable().assert_json_validation_errors("endpoint")
