"""The ``webhook`` channel: signed deliveries to a local receiver, retries, and the record of
every attempt in ``webhook_deliveries`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.kernel.application import Application
from foundry.notifications.channels.webhook import WebhookChannel
from foundry.notifications.http_delivery import DeliveryRejected, DeliveryUnavailable
from foundry.notifications.notification import Notification
from foundry.notifications.tables import WebhookDelivery
from foundry.notifications.webhooks import (
    DeliveryLog,
    WebhookMessage,
    WebhookRoute,
    verify_webhook_signature,
)
from tests.foundry.notifications.channels.receiver import Answer, Receiver
from tests.foundry.notifications.channels.support import Recipient

SECRET = "whsec_test_0123456789"


class InvoicePaid(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["webhook"]

    def to_webhook(self, notifiable: Any) -> WebhookMessage:
        return WebhookMessage("invoice.paid", {"invoice": 7, "amount": "19.99"})


@pytest.fixture
def channel(application: Application, db: AsyncConnection) -> WebhookChannel:
    return application.container.make(WebhookChannel)


@pytest.fixture
def log(application: Application, db: AsyncConnection) -> DeliveryLog:
    return application.container.make(DeliveryLog)


def route(receiver: Receiver) -> WebhookRoute:
    return WebhookRoute(receiver.url("/hooks/foundry?token=abc"), SECRET)


async def test_a_delivery_is_signed_and_recorded(
    channel: WebhookChannel, log: DeliveryLog, receiver: Receiver
) -> None:
    await channel.send(Recipient(webhook=route(receiver)), InvoicePaid())

    [request] = receiver.requests
    delivery = request.headers["x-foundry-delivery"]
    assert request.headers["x-foundry-event"] == "invoice.paid"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "id": delivery,
        "event": "invoice.paid",
        "data": {"invoice": 7, "amount": "19.99"},
    }
    assert verify_webhook_signature(SECRET, request.headers["x-foundry-signature"], request.body)

    [attempt] = await log.attempts(delivery)
    assert (attempt.attempt, attempt.status_code, attempt.error) == (1, 200, None)
    assert attempt.event == "invoice.paid"
    # The query string may carry a token: it is not kept.
    assert attempt.url == receiver.url("/hooks/foundry")


async def test_failures_are_retried_and_each_attempt_is_recorded(
    channel: WebhookChannel, log: DeliveryLog, receiver: Receiver
) -> None:
    receiver.answer(Answer(500), Answer(502))

    await channel.send(Recipient(webhook=route(receiver)), InvoicePaid())

    assert len(receiver.requests) == 3
    deliveries = {r.headers["x-foundry-delivery"] for r in receiver.requests}
    assert len(deliveries) == 1  # one delivery id across the retries, for receivers to dedupe
    for request in receiver.requests:
        assert verify_webhook_signature(
            SECRET, request.headers["x-foundry-signature"], request.body
        )
    attempts = await log.attempts(deliveries.pop())
    assert [(a.attempt, a.status_code, a.error) for a in attempts] == [
        (1, 500, "HTTP 500"),
        (2, 502, "HTTP 502"),
        (3, 200, None),
    ]


async def test_a_delivery_that_keeps_failing_raises_after_recording_every_attempt(
    channel: WebhookChannel, log: DeliveryLog, receiver: Receiver
) -> None:
    receiver.answer(Answer(503), Answer(503), Answer(503))

    with pytest.raises(DeliveryUnavailable, match="HTTP 503"):
        await channel.send(Recipient(webhook=route(receiver)), InvoicePaid())

    attempts = await log.attempts(receiver.requests[0].headers["x-foundry-delivery"])
    assert [a.status_code for a in attempts] == [503, 503, 503]


async def test_a_refusal_is_recorded_and_not_retried(
    channel: WebhookChannel, log: DeliveryLog, receiver: Receiver
) -> None:
    receiver.answer(Answer(401, b"bad signature"))

    with pytest.raises(DeliveryRejected, match="HTTP 401"):
        await channel.send(Recipient(webhook=route(receiver)), InvoicePaid())

    [attempt] = await log.attempts(receiver.requests[0].headers["x-foundry-delivery"])
    assert attempt.status_code == 401


async def test_an_unreachable_receiver_is_recorded_without_a_status(
    channel: WebhookChannel, session: AsyncSession, receiver: Receiver
) -> None:
    closed = WebhookRoute(receiver.url("/hooks").replace(str(receiver.port), "1"), SECRET)

    with pytest.raises(DeliveryUnavailable, match="could not reach"):
        await channel.send(Recipient(webhook=closed), InvoicePaid())

    rows = list(await session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
    assert [(r.attempt, r.status_code) for r in rows] == [(1, None), (2, None), (3, None)]
    assert all(r.error and "could not reach" in r.error for r in rows)
    assert len({r.delivery_id for r in rows}) == 1


async def test_the_route_must_carry_a_secret(channel: WebhookChannel, receiver: Receiver) -> None:
    with pytest.raises(ValueError, match="needs a secret"):
        WebhookRoute(receiver.url(), "")
    with pytest.raises(TypeError, match="WebhookRoute"):
        await channel.send(Recipient(webhook=receiver.url()), InvoicePaid())
