"""The ``discord`` channel against a local HTTP server standing in for a Discord webhook."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.config.services import ServicesSettings
from foundry.notifications.channels.discord import DiscordChannel, DiscordEmbed, DiscordMessage
from foundry.notifications.http_delivery import ChannelHttp, DeliveryRejected
from foundry.notifications.notification import Notification
from tests.foundry.notifications.channels.receiver import Answer, Receiver
from tests.foundry.notifications.channels.support import Recipient, Sleeps

HOOK = "/api/webhooks/123/secret-token"


class DeployFinished(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["discord"]

    def to_discord(self, notifiable: Any) -> DiscordMessage:
        return DiscordMessage(
            "Deploy finished @everyone", username="Deploy bot", avatar_url="https://x.test/a.png"
        ).embed(
            DiscordEmbed(
                title="v1.4.2",
                description="All green",
                url="https://example.com/releases/1.4.2",
                color=0x2ECC71,
                timestamp=datetime(2026, 12, 6, 4, 0, tzinfo=UTC),
            )
            .field("Duration", "3 min", inline=True)
            .field("Commit", "abc123")
            .footer("Foundry", icon_url="https://x.test/f.png")
        )


def channel(sleeps: Sleeps) -> DiscordChannel:
    settings = NotificationChannelsSettings(NOTIFICATIONS_HTTP_BACKOFF=1.0)
    # allow_local: the local receiver stands in for Discord (as outside production).
    http = ChannelHttp(settings, sleep=sleeps, allow_local=True)
    return DiscordChannel(http, ServicesSettings())


async def test_the_message_arrives_in_discords_webhook_format(receiver: Receiver) -> None:
    await channel(Sleeps()).send(Recipient(discord=receiver.url(HOOK)), DeployFinished())

    [request] = receiver.requests
    assert request.path == HOOK
    assert json.loads(request.body) == {
        "content": "Deploy finished @everyone",
        "username": "Deploy bot",
        "avatar_url": "https://x.test/a.png",
        # Nobody is pinged by what the content mentions unless the message allows it.
        "allowed_mentions": {"parse": []},
        "embeds": [
            {
                "title": "v1.4.2",
                "description": "All green",
                "url": "https://example.com/releases/1.4.2",
                "color": 0x2ECC71,
                "timestamp": "2026-12-06T04:00:00+00:00",
                "fields": [
                    {"name": "Duration", "value": "3 min", "inline": True},
                    {"name": "Commit", "value": "abc123", "inline": False},
                ],
                "footer": {"text": "Foundry", "icon_url": "https://x.test/f.png"},
            }
        ],
    }


async def test_a_429_waits_the_retry_after_discord_asks_for(receiver: Receiver) -> None:
    limited = json.dumps({"message": "You are being rate limited.", "retry_after": 0.25})
    receiver.answer(
        Answer(429, limited.encode(), {"Content-Type": "application/json"}), Answer(204, b"")
    )
    sleeps = Sleeps()

    await channel(sleeps).send(Recipient(discord=receiver.url(HOOK)), DeployFinished())

    assert len(receiver.requests) == 2
    assert sleeps.waits == [0.25]  # Discord's retry_after, not the 1 s backoff


async def test_a_bad_request_fails_at_once_without_the_token(receiver: Receiver) -> None:
    receiver.answer(Answer(400, b'{"message": "Cannot send an empty message"}'))

    with pytest.raises(DeliveryRejected, match="HTTP 400") as failure:
        await channel(Sleeps()).send(Recipient(discord=receiver.url(HOOK)), DeployFinished())

    assert len(receiver.requests) == 1 and "secret-token" not in str(failure.value)


def test_mentions_are_pinged_only_when_allowed() -> None:
    message = DiscordMessage("@everyone hello").allow_mentions("everyone", "users")

    assert message.to_dict()["allowed_mentions"] == {"parse": ["everyone", "users"]}


def test_the_builder_refuses_what_discord_would_refuse() -> None:
    with pytest.raises(ValueError, match="at most 2000 characters"):
        DiscordMessage("x" * 2001).to_dict()
    with pytest.raises(ValueError, match="timezone-aware"):
        DiscordMessage(embeds=[DiscordEmbed(timestamp=datetime(2026, 1, 1))]).to_dict()
    with pytest.raises(ValueError, match="content or an embed"):
        DiscordMessage().to_dict()
