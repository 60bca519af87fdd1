"""User-chosen URLs (push endpoints, a notifiable's own webhook, Slack or Discord route) that
lead inside the network are not posted to; the operator's configured routes are."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.jwt.keys import KeyStore
from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.config.services import ServicesSettings
from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.kernel.keys import generate_key as application_key
from foundry.notifications.channels.push import PushChannel
from foundry.notifications.channels.slack import SlackChannel
from foundry.notifications.channels.webhook import WebhookChannel
from foundry.notifications.http_delivery import ChannelHttp, DestinationNotPublic
from foundry.notifications.push import PushRecipient, PushSubscriptions
from foundry.notifications.tables import WebhookDelivery
from foundry.notifications.webhooks import DeliveryLog, WebhookRoute
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST
from tests.foundry.notifications.channels.push_browser import Browser
from tests.foundry.notifications.channels.receiver import Receiver
from tests.foundry.notifications.channels.support import Recipient, Resolver, Sleeps
from tests.foundry.notifications.channels.test_push import VAPID, NewMessage, of, subscribe
from tests.foundry.notifications.channels.test_slack import OrderShipped
from tests.foundry.notifications.channels.test_webhook import SECRET, InvoicePaid
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

PUSH_KEYS = {
    "VAPID_PUBLIC_KEY": VAPID.public_key,
    "VAPID_PRIVATE_KEY": VAPID.private_key,
    "VAPID_SUBJECT": VAPID.subject,
}
#: A name an attacker controls, pointed at the cloud metadata service.
EVIL = Resolver(push_evil_example=["169.254.169.254"], hooks_evil_example=["10.0.0.5"])


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    app = make_application(DATABASE_URL=database_url, **PUSH_KEYS, **FAST)
    # As the provider builds it outside production, with the attacker's DNS.
    settings = app.container.make(NotificationChannelsSettings)
    app.container.instance(ChannelHttp, ChannelHttp(settings, allow_local=True, resolver=EVIL))
    return app


@pytest.fixture
async def scope(application: Application, db: AsyncConnection) -> AsyncIterator[Container]:
    async with application.container.scope() as opened:
        yield opened


@pytest.fixture
async def user(session: AsyncSession) -> User:
    created = await UserFactory.new().create(session)
    await session.commit()
    return created


async def test_a_push_endpoint_resolving_inside_is_deleted_and_never_posted_to(
    scope: Container, user: User, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    subscriptions = scope.make(PushSubscriptions)
    await subscribe(subscriptions, user, Browser(), "https://push.evil.example/wpush/v2/abc")
    await subscribe(subscriptions, user, Browser(), receiver.url("/push/alive"))
    owner = PushRecipient.of(user)
    assert owner is not None

    with caplog.at_level(logging.WARNING, logger="foundry.notifications"):
        await scope.make(PushChannel).send(of(user), NewMessage())  # no failure

    assert [r.path for r in receiver.requests] == ["/push/alive"]
    assert [s.endpoint for s in await subscriptions.for_recipient(owner)] == [
        receiver.url("/push/alive")
    ]
    [record] = [r for r in caplog.records if "not on a public address" in r.getMessage()]
    assert "https://push.evil.example" in record.getMessage()
    assert "wpush" not in record.getMessage()  # the endpoint's path is the browser's secret


async def test_production_never_pushes_to_this_machine(
    make_application: MakeApplication, database_url: str, tmp_path: Path, receiver: Receiver
) -> None:
    # A subscription saved before production (or written to the table by hand) to a local
    # push service is refused when sending, not only when subscribing.
    KeyStore(tmp_path / "keys").generate()
    app = make_application(
        DATABASE_URL=database_url,
        JWT_KEYS_PATH=str(tmp_path / "keys"),
        APP_ENV="production",
        APP_KEY=application_key(),
        TRUSTED_HOSTS="testserver",
        MAIL_MAILER="smtp",
        **PUSH_KEYS,
        **FAST,
    )
    async with refresh_database(app):
        async with app.container.scope() as scope:
            session = scope.make(AsyncSession)
            ada = await UserFactory.new().create(session)
            await session.commit()
            subscriptions = scope.make(PushSubscriptions)
            await subscribe(subscriptions, ada, Browser(), receiver.url("/push/device"))

            await scope.make(PushChannel).send(of(ada), NewMessage())

            owner = PushRecipient.of(ada)
            assert owner is not None
            assert await subscriptions.for_recipient(owner) == []
    assert receiver.requests == []


def webhook_channel(scope: Container, services: ServicesSettings | None = None) -> WebhookChannel:
    # allow_local=False: as in production.
    http = ChannelHttp(scope.make(NotificationChannelsSettings), sleep=Sleeps(), resolver=EVIL)
    return WebhookChannel(http, scope.make(DeliveryLog), services or ServicesSettings())


async def test_a_notifiables_webhook_inside_the_network_is_refused_and_recorded(
    scope: Container, session: AsyncSession
) -> None:
    channel = webhook_channel(scope)
    route = WebhookRoute("https://hooks.evil.example/in?token=abc", SECRET)

    with pytest.raises(DestinationNotPublic, match="hooks.evil.example is not a public address"):
        await channel.send(Recipient(webhook=route), InvoicePaid())

    [row] = await session.scalars(select(WebhookDelivery))
    assert (row.attempt, row.status_code, row.url) == (1, None, "https://hooks.evil.example/in")
    assert row.error is not None and "not a public address" in row.error


async def test_trusted_and_configured_webhooks_may_be_on_the_network(
    scope: Container, receiver: Receiver
) -> None:
    ops = ServicesSettings(WEBHOOK_URL=receiver.url("/ops"), WEBHOOK_SECRET=SecretStr(SECRET))
    configured = webhook_channel(scope, ops)
    await configured.send(Recipient(), InvoicePaid())
    trusted = WebhookRoute(receiver.url("/internal"), SECRET, trusted=True)
    await webhook_channel(scope).send(Recipient(webhook=trusted), InvoicePaid())

    with pytest.raises(DestinationNotPublic):  # the same URL as a user's route: refused
        untrusted = WebhookRoute(receiver.url("/internal"), SECRET)
        await webhook_channel(scope).send(Recipient(webhook=untrusted), InvoicePaid())

    assert [r.path for r in receiver.requests] == ["/ops", "/internal"]


async def test_a_notifiables_slack_route_must_be_public_the_configured_one_need_not(
    receiver: Receiver,
) -> None:
    http = ChannelHttp(NotificationChannelsSettings(), sleep=Sleeps(), resolver=EVIL)
    services = ServicesSettings(SLACK_WEBHOOK_URL=SecretStr(receiver.url("/services/T0/B0/ops")))
    channel = SlackChannel(http, services)

    await channel.send(Recipient(), OrderShipped())
    with pytest.raises(DestinationNotPublic, match="slack notification was not sent"):
        await channel.send(Recipient(slack="https://hooks.evil.example/x"), OrderShipped())
    with pytest.raises(DestinationNotPublic):
        await channel.send(Recipient(slack=receiver.url("/services/T0/B0/x")), OrderShipped())

    assert [r.path for r in receiver.requests] == ["/services/T0/B0/ops"]
