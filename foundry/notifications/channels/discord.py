"""The ``discord`` channel: messages with embeds posted to a Discord webhook.

A notification builds a :class:`DiscordMessage` in ``to_discord(notifiable)``; the notifiable's
``discord`` route (or ``DISCORD_WEBHOOK_URL``) is the webhook URL. The JSON is Discord's
documented "Execute Webhook" body::

    def to_discord(self, notifiable: User) -> DiscordMessage:
        return DiscordMessage("A deploy finished", username="Deploy bot").embed(
            DiscordEmbed(title="v1.4.2", url=release_url, color=0x2ECC71)
            .field("Duration", "3 min", inline=True)
            .footer("Foundry")
        )

Mentions in the text are not pinged unless the message allows them (``allow_mentions``): a
notification quoting user input must not reach ``@everyone``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timezone
from typing import Any, ClassVar, Literal

from foundry.config.services import ServicesSettings
from foundry.notifications.channels.json_webhook import JsonMessage, JsonWebhookChannel

__all__ = ["DiscordChannel", "DiscordEmbed", "DiscordMessage"]

#: Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
_MAX_CONTENT = 2000
_MAX_EMBEDS = 10
_MAX_FIELDS = 25
_LIMITS = {"title": 256, "description": 4096, "field name": 256, "field value": 1024}
_MAX_FOOTER = 2048

Mention = Literal["users", "roles", "everyone"]


def _limit(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"a Discord {what} holds at most {limit} characters, not {len(value)}")
    return value


@dataclass
class DiscordEmbed:
    """A rich card: title (linked to ``url``), description, colour bar, fields, footer, time."""

    title: str | None = None
    description: str | None = None
    url: str | None = None
    #: The bar's colour as ``0xRRGGBB``.
    color: int | None = None
    timestamp: datetime | None = None
    fields: list[dict[str, Any]] = dataclass_field(default_factory=list)
    footer_text: str | None = None
    footer_icon_url: str | None = None

    def field(self, name: str, value: str, *, inline: bool = False) -> DiscordEmbed:
        """Add a ``name: value`` field (``inline`` ones sit side by side); returns the embed."""
        if len(self.fields) >= _MAX_FIELDS:
            raise ValueError(f"a Discord embed holds at most {_MAX_FIELDS} fields")
        self.fields.append(
            {
                "name": _limit(name, "field name", _LIMITS["field name"]),
                "value": _limit(value, "field value", _LIMITS["field value"]),
                "inline": inline,
            }
        )
        return self

    def footer(self, text: str, icon_url: str | None = None) -> DiscordEmbed:
        """Set the small text (and icon) under the embed; returns the embed."""
        self.footer_text = _limit(text, "footer", _MAX_FOOTER)
        self.footer_icon_url = icon_url
        return self

    def to_dict(self) -> dict[str, Any]:
        """The embed object."""
        if self.color is not None and not 0 <= self.color <= 0xFFFFFF:
            raise ValueError("a Discord embed colour is 0x000000 to 0xFFFFFF")
        embed: dict[str, Any] = {}
        if self.title is not None:
            embed["title"] = _limit(self.title, "title", _LIMITS["title"])
        if self.description is not None:
            embed["description"] = _limit(self.description, "description", _LIMITS["description"])
        for key, value in (("url", self.url), ("color", self.color)):
            if value is not None:
                embed[key] = value
        if self.timestamp is not None:
            stamp = self.timestamp
            if stamp.tzinfo is None:
                raise ValueError("a Discord embed timestamp must be timezone-aware")
            embed["timestamp"] = stamp.astimezone(timezone.utc).isoformat()
        if self.fields:
            embed["fields"] = list(self.fields)
        if self.footer_text is not None:
            embed["footer"] = {"text": self.footer_text}
            if self.footer_icon_url is not None:
                embed["footer"]["icon_url"] = self.footer_icon_url
        return embed


@dataclass
class DiscordMessage:
    """A webhook message: ``content``, up to 10 embeds, and the sender's name and avatar."""

    content: str = ""
    username: str | None = None
    avatar_url: str | None = None
    embeds: list[DiscordEmbed] = dataclass_field(default_factory=list)
    #: Which mentions in ``content`` notify anyone (none by default).
    mentions: tuple[Mention, ...] = ()

    def embed(self, embed: DiscordEmbed) -> DiscordMessage:
        """Add an embed; returns the message."""
        if len(self.embeds) >= _MAX_EMBEDS:
            raise ValueError(f"a Discord message holds at most {_MAX_EMBEDS} embeds")
        self.embeds.append(embed)
        return self

    def allow_mentions(self, *kinds: Mention) -> DiscordMessage:
        """Let ``@user``, ``@role`` or ``@everyone`` mentions in the content notify people."""
        self.mentions = kinds
        return self

    def to_dict(self) -> dict[str, Any]:
        """The "Execute Webhook" JSON body."""
        if not self.content and not self.embeds:
            raise ValueError("a Discord message needs content or an embed")
        payload: dict[str, Any] = {"allowed_mentions": {"parse": list(self.mentions)}}
        if self.content:
            payload["content"] = _limit(self.content, "message", _MAX_CONTENT)
        for key, value in (("username", self.username), ("avatar_url", self.avatar_url)):
            if value is not None:
                payload[key] = value
        if self.embeds:
            payload["embeds"] = [e.to_dict() for e in self.embeds]
        return payload


class DiscordChannel(JsonWebhookChannel):
    """Posts ``to_discord(notifiable)`` to the notifiable's Discord webhook URL; a 429 waits
    the ``retry_after`` Discord asks for before trying again."""

    name: ClassVar[str] = "discord"

    message_method: ClassVar[str] = "to_discord"
    message_class: ClassVar[type[JsonMessage]] = DiscordMessage

    @classmethod
    def default_url(cls, services: ServicesSettings) -> object | None:
        """``DISCORD_WEBHOOK_URL``."""
        return services.discord_webhook_url
