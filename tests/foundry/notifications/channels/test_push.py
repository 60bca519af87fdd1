"""The ``push`` channel against a local push service: the test holds the browser's keys and
decrypts what arrived; a 410 removes the subscription; the VAPID JWT verifies with the
configured public key (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.notifications.channels.push import PushChannel
from foundry.notifications.http_delivery import DeliveryRejected
from foundry.notifications.notification import Notification
from foundry.notifications.push import (
    PushMessage,
    PushRecipient,
    PushSubscriptions,
    SubscriptionKeys,
    VapidKeys,
)
from foundry.notifications.push.vapid import b64url_decode, b64url_encode
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST
from tests.foundry.notifications.channels.push_browser import Browser
from tests.foundry.notifications.channels.receiver import Answer, Receiver
from tests.foundry.notifications.channels.support import Recipient
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

VAPID = VapidKeys.generate("mailto:ops@example.com")


class NewMessage(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["push"]

    def to_push(self, notifiable: Any) -> PushMessage:
        return PushMessage(
            "New message",
            "Ann: are we still on for Friday?",
            url="https://example.com/messages/9",
            data={"thread": 9},
            ttl=3600,
            urgency="high",
        )


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(
        DATABASE_URL=database_url,
        VAPID_PUBLIC_KEY=VAPID.public_key,
        VAPID_PRIVATE_KEY=VAPID.private_key,
        VAPID_SUBJECT=VAPID.subject,
        **FAST,
    )


@pytest.fixture
async def scope(application: Application, db: AsyncConnection) -> AsyncIterator[Container]:
    """A container scope, as a queued notification's job has (its session is the test's)."""
    async with application.container.scope() as opened:
        yield opened


@pytest.fixture
def channel(scope: Container) -> PushChannel:
    return scope.make(PushChannel)


@pytest.fixture
def subscriptions(scope: Container) -> PushSubscriptions:
    return scope.make(PushSubscriptions)


@pytest.fixture
async def user(session: AsyncSession) -> User:
    created = await UserFactory.new().create(session)
    await session.commit()
    return created


def of(user: User) -> Recipient:
    """The user as a notifiable whose ``push`` route names them."""
    return Recipient(push=PushRecipient.of(user))


class Member:
    """A model-like notifiable that names no push route: the channel finds its table and id."""

    __tablename__ = "users"

    def __init__(self, id: int) -> None:
        self.id = id

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        return None


async def subscribe(
    subscriptions: PushSubscriptions, user: User, browser: Browser, endpoint: str
) -> None:
    owner = PushRecipient.of(user)
    assert owner is not None
    await subscriptions.subscribe(owner, SubscriptionKeys(endpoint, browser.p256dh, browser.auth))


async def test_the_push_service_gets_a_message_only_the_browser_can_read(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    browser = Browser()
    await subscribe(subscriptions, user, browser, receiver.url("/push/device-1"))

    await channel.send(of(user), NewMessage())

    [request] = receiver.requests
    assert request.path == "/push/device-1"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == "3600" and request.headers["urgency"] == "high"
    assert b"Friday" not in request.body
    assert browser.decrypt(request.body) == {
        "title": "New message",
        "body": "Ann: are we still on for Friday?",
        "url": "https://example.com/messages/9",
        "data": {"thread": 9},
    }
    assert Browser().secret != browser.secret  # another browser's keys...
    with pytest.raises(Exception):
        Browser().decrypt(request.body)  # ...cannot read it


async def test_the_vapid_jwt_verifies_with_the_configured_public_key(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    await subscribe(subscriptions, user, Browser(), receiver.url("/push/device-1"))

    await channel.send(of(user), NewMessage())

    scheme, _, params = receiver.requests[0].headers["authorization"].partition(" ")
    fields = dict(part.split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == VAPID.public_key
    public = ECKey.import_key(
        {
            "kty": "EC",
            "crv": "P-256",
            "x": _coordinate(VAPID.public_key, 1),
            "y": _coordinate(VAPID.public_key, 33),
        }
    )
    token = jwt.decode(fields["t"], public, algorithms=["ES256"])
    parts = urlsplit(receiver.url())
    assert token.claims["aud"] == f"{parts.scheme}://{parts.netloc}"
    assert token.claims["sub"] == "mailto:ops@example.com"
    with pytest.raises(Exception):
        jwt.decode(fields["t"], ECKey.generate_key("P-256"), algorithms=["ES256"])


def _coordinate(public_key: str, start: int) -> str:
    # The uncompressed point is 0x04, then x (32 bytes), then y (32 bytes).
    return b64url_encode(b64url_decode(public_key)[start : start + 32])


async def test_every_subscription_of_the_user_receives_it(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    phone, laptop = Browser(), Browser()
    await subscribe(subscriptions, user, phone, receiver.url("/push/phone"))
    await subscribe(subscriptions, user, laptop, receiver.url("/push/laptop"))

    await channel.send(of(user), NewMessage())

    received = {r.path: r.body for r in receiver.requests}
    assert set(received) == {"/push/phone", "/push/laptop"}
    assert phone.decrypt(received["/push/phone"])["title"] == "New message"
    assert laptop.decrypt(received["/push/laptop"])["title"] == "New message"


async def test_a_subscription_answered_410_is_removed(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    await subscribe(subscriptions, user, Browser(), receiver.url("/push/gone"))
    await subscribe(subscriptions, user, Browser(), receiver.url("/push/alive"))
    receiver.answer(Answer(410, b"Gone"), Answer(201, b""))
    owner = PushRecipient.of(user)
    assert owner is not None

    await channel.send(of(user), NewMessage())  # a gone subscription is no failure

    assert [s.endpoint for s in await subscriptions.for_recipient(owner)] == [
        receiver.url("/push/alive")
    ]
    await channel.send(of(user), NewMessage())
    assert [r.path for r in receiver.requests] == ["/push/gone", "/push/alive", "/push/alive"]


async def test_another_refusal_keeps_the_subscription_and_fails(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    await subscribe(subscriptions, user, Browser(), receiver.url("/push/device"))
    receiver.answer(Answer(403, b"bad VAPID"))
    owner = PushRecipient.of(user)
    assert owner is not None

    with pytest.raises(DeliveryRejected, match="HTTP 403"):
        await channel.send(of(user), NewMessage())

    assert len(await subscriptions.for_recipient(owner)) == 1


async def test_a_model_is_its_own_push_route(
    channel: PushChannel, subscriptions: PushSubscriptions, user: User, receiver: Receiver
) -> None:
    browser = Browser()
    await subscribe(subscriptions, user, browser, receiver.url("/push/device"))

    await channel.send(Member(user.id), NewMessage())

    assert browser.decrypt(receiver.requests[0].body)["title"] == "New message"


async def test_a_notifiable_without_subscriptions_or_a_model_gets_nothing(
    channel: PushChannel, user: User, receiver: Receiver
) -> None:
    await channel.send(of(user), NewMessage())
    await channel.send(Recipient(), NewMessage())

    assert receiver.requests == []


def test_a_message_must_fit_in_one_push() -> None:
    with pytest.raises(ValueError, match="at most 3993 bytes"):
        PushMessage("Big", "x" * 4000)
