"""The ``slack`` channel against a local HTTP server standing in for Slack's incoming webhook."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr

from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.config.services import ServicesSettings
from foundry.notifications.channels.slack import (
    SlackAttachment,
    SlackButton,
    SlackChannel,
    SlackMessage,
)
from foundry.notifications.http_delivery import ChannelHttp, DeliveryRejected, DeliveryUnavailable
from foundry.notifications.notification import Notification
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.receiver import Answer, Receiver
from tests.foundry.notifications.channels.support import Recipient, Sleeps

SECRET_PATH = "/services/T000/B000/XXXXSECRETXXXX"


class OrderShipped(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["slack"]

    def to_slack(self, notifiable: Any) -> SlackMessage:
        return (
            SlackMessage("Order 42 shipped")
            .header("Order shipped")
            .section("*Order 42* is on its way", fields=["*Carrier*\nDHL", "*ETA*\nMonday"])
            .divider()
            .context("Sent by Foundry")
            .actions(SlackButton("Track", "https://example.com/track/42", style="primary"))
            .attachment(SlackAttachment(title="Items", text="1 x Book", color="#36a64f"))
        )


def channel(sleeps: Sleeps | None = None, **settings: Any) -> SlackChannel:
    values = {"NOTIFICATIONS_HTTP_BACKOFF": 0.5, **settings}
    # allow_local: the local receiver stands in for Slack (as outside production).
    http = ChannelHttp(
        NotificationChannelsSettings(**values), sleep=sleeps or Sleeps(), allow_local=True
    )
    return SlackChannel(http, ServicesSettings())


async def test_the_message_arrives_in_slacks_incoming_webhook_format(receiver: Receiver) -> None:
    await channel().send(Recipient(slack=receiver.url(SECRET_PATH)), OrderShipped())

    [request] = receiver.requests
    assert request.path == SECRET_PATH
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "text": "Order 42 shipped",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Order shipped"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Order 42* is on its way"},
                "fields": [
                    {"type": "mrkdwn", "text": "*Carrier*\nDHL"},
                    {"type": "mrkdwn", "text": "*ETA*\nMonday"},
                ],
            },
            {"type": "divider"},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Sent by Foundry"}]},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Track"},
                        "url": "https://example.com/track/42",
                        "style": "primary",
                    }
                ],
            },
        ],
        "attachments": [{"color": "#36a64f", "title": "Items", "text": "1 x Book"}],
    }


async def test_server_errors_and_429_are_retried_with_backoff(receiver: Receiver) -> None:
    receiver.answer(Answer(500), Answer(429, headers={"Retry-After": "3"}))
    sleeps = Sleeps()

    await channel(sleeps).send(Recipient(slack=receiver.url(SECRET_PATH)), OrderShipped())

    assert len(receiver.requests) == 3
    assert sleeps.waits == [0.5, 3.0]  # doubling backoff, then the 429's Retry-After


async def test_retries_are_bounded_and_the_error_names_the_status_not_the_secret(
    receiver: Receiver,
) -> None:
    receiver.answer(Answer(503), Answer(503), Answer(503), Answer(503))

    with pytest.raises(DeliveryUnavailable) as failure:
        await channel().send(Recipient(slack=receiver.url(SECRET_PATH)), OrderShipped())

    assert len(receiver.requests) == 3  # the first attempt and two retries
    assert "HTTP 503" in str(failure.value) and "SECRET" not in str(failure.value)
    assert failure.value.status == 503


async def test_a_client_error_fails_at_once(receiver: Receiver) -> None:
    receiver.answer(Answer(404, b"no_service"))

    with pytest.raises(DeliveryRejected) as failure:
        await channel().send(Recipient(slack=receiver.url(SECRET_PATH)), OrderShipped())

    assert len(receiver.requests) == 1
    assert str(failure.value) == (
        f"slack notification was refused by http://127.0.0.1:{receiver.port} with HTTP 404"
    )


async def test_an_unreachable_webhook_fails_after_the_retries(receiver: Receiver) -> None:
    closed = receiver.url(SECRET_PATH).replace(str(receiver.port), "1")  # nothing listens there

    with pytest.raises(DeliveryUnavailable, match="could not reach http://127.0.0.1:1"):
        await channel().send(Recipient(slack=closed), OrderShipped())


async def test_no_route_means_nothing_is_sent(receiver: Receiver) -> None:
    await channel().send(Recipient(), OrderShipped())

    assert receiver.requests == []


async def test_slack_webhook_url_is_the_default_route(
    receiver: Receiver, make_application: MakeApplication
) -> None:
    app = make_application(SLACK_WEBHOOK_URL=receiver.url(SECRET_PATH))

    # Built by the container, as the notification sender builds it.
    await app.container.make(SlackChannel).send(Recipient(), OrderShipped())

    assert [r.path for r in receiver.requests] == [SECRET_PATH]
    assert isinstance(app.container.make(ServicesSettings).slack_webhook_url, SecretStr)


def test_the_builder_refuses_what_slack_would_refuse() -> None:
    with pytest.raises(ValueError, match="at most 150 characters"):
        SlackMessage().header("x" * 151)
    with pytest.raises(ValueError, match="at most 10 fields"):
        SlackMessage().section(fields=["f"] * 11)
    with pytest.raises(ValueError, match="needs text, blocks or attachments"):
        SlackMessage().to_dict()


async def test_a_notification_without_to_slack_is_a_clear_error(receiver: Receiver) -> None:
    class Bare(Notification):
        def via(self, notifiable: Any) -> list[str]:
            return ["slack"]

    with pytest.raises(TypeError, match="has no to_slack"):
        await channel().send(Recipient(slack=receiver.url()), Bare())


async def test_a_redirect_is_not_followed_and_fails(receiver: Receiver) -> None:
    receiver.answer(Answer(301, b"", {"Location": "https://elsewhere.example.com/"}))

    with pytest.raises(DeliveryRejected, match="HTTP 301"):
        await channel().send(Recipient(slack=receiver.url(SECRET_PATH)), OrderShipped())

    assert len(receiver.requests) == 1
