"""The ``slack`` channel: Block Kit messages posted to a Slack incoming webhook.

A notification builds a :class:`SlackMessage` in ``to_slack(notifiable)``; the notifiable's
``slack`` route (or ``SLACK_WEBHOOK_URL``) is the webhook URL. The JSON is Slack's documented
incoming-webhook payload (``text``, ``blocks``, ``attachments``)::

    def to_slack(self, notifiable: User) -> SlackMessage:
        return (
            SlackMessage(f"Order {self.order.id} shipped")
            .header("Order shipped")
            .section(f"*{self.order.id}* is on its way", fields=["*Carrier*\\nDHL"])
            .divider()
            .context("Sent by Foundry")
            .actions(SlackButton("Track", self.order.tracking_url, style="primary"))
        )
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from foundry.config.services import ServicesSettings
from foundry.notifications.channels.json_webhook import JsonMessage, JsonWebhookChannel

__all__ = ["SlackAttachment", "SlackButton", "SlackChannel", "SlackMessage"]

#: Slack's limits (https://api.slack.com/reference/block-kit/blocks): a message over them is
#: refused with a 400, so the builder says which part is too long instead.
_MAX_BLOCKS = 50
_MAX_HEADER = 150
_MAX_SECTION = 3000
_MAX_FIELDS = 10
_MAX_FIELD = 2000
_MAX_ELEMENTS = 10
_MAX_BUTTONS = 25
_MAX_BUTTON_TEXT = 75


def _limit(value: str, limit: int, what: str) -> str:
    if not value:
        raise ValueError(f"a Slack {what} cannot be empty")
    if len(value) > limit:
        raise ValueError(f"a Slack {what} holds at most {limit} characters, not {len(value)}")
    return value


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


@dataclass(frozen=True)
class SlackButton:
    """A link button of an ``actions`` block; ``style`` ``primary`` (green) or ``danger`` (red)."""

    text: str
    url: str
    style: Literal["primary", "danger"] | None = None
    action_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The Block Kit button element."""
        button: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": _limit(self.text, _MAX_BUTTON_TEXT, "button")},
            "url": self.url,
        }
        if self.style is not None:
            button["style"] = self.style
        if self.action_id is not None:
            button["action_id"] = self.action_id
        return button


@dataclass(frozen=True)
class SlackAttachment:
    """A legacy attachment: a coloured bar beside a title, text and ``(title, value)`` fields."""

    title: str | None = None
    text: str | None = None
    title_link: str | None = None
    color: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    footer: str | None = None
    #: Unix seconds shown beside the footer.
    ts: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The attachment's JSON (only the parts that are set)."""
        found: dict[str, Any] = {
            key: value
            for key, value in (
                ("color", self.color),
                ("title", self.title),
                ("title_link", self.title_link),
                ("text", self.text),
                ("footer", self.footer),
                ("ts", self.ts),
            )
            if value is not None
        }
        if self.fields:
            found["fields"] = [
                {"title": title, "value": value, "short": len(value) <= 40}
                for title, value in self.fields
            ]
        return found


@dataclass
class SlackMessage:
    """A Slack message: ``text`` (the notification fallback) and Block Kit blocks.

    Each builder method appends a block and returns the message, so calls chain.
    """

    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[SlackAttachment] = field(default_factory=list)

    def content(self, text: str) -> SlackMessage:
        """Set the plain text shown in notifications (and alone when there are no blocks)."""
        self.text = text
        return self

    def _add(self, block: dict[str, Any]) -> SlackMessage:
        if len(self.blocks) >= _MAX_BLOCKS:
            raise ValueError(f"a Slack message holds at most {_MAX_BLOCKS} blocks")
        self.blocks.append(block)
        return self

    def header(self, text: str) -> SlackMessage:
        """A large bold title (plain text, at most 150 characters)."""
        return self._add(
            {
                "type": "header",
                "text": {"type": "plain_text", "text": _limit(text, _MAX_HEADER, "header")},
            }
        )

    def section(self, text: str | None = None, *, fields: list[str] | None = None) -> SlackMessage:
        """A paragraph of ``mrkdwn`` text, and/or up to 10 fields shown in two columns."""
        block: dict[str, Any] = {"type": "section"}
        if text is not None:
            block["text"] = _mrkdwn(_limit(text, _MAX_SECTION, "section"))
        if fields:
            if len(fields) > _MAX_FIELDS:
                raise ValueError(f"a Slack section holds at most {_MAX_FIELDS} fields")
            block["fields"] = [_mrkdwn(_limit(f, _MAX_FIELD, "field")) for f in fields]
        if len(block) == 1:
            raise ValueError("a Slack section needs text or fields")
        return self._add(block)

    def divider(self) -> SlackMessage:
        """A horizontal rule."""
        return self._add({"type": "divider"})

    def context(self, *texts: str) -> SlackMessage:
        """Small grey ``mrkdwn`` lines (up to 10)."""
        if not texts or len(texts) > _MAX_ELEMENTS:
            raise ValueError(f"a Slack context block holds 1 to {_MAX_ELEMENTS} texts")
        return self._add({"type": "context", "elements": [_mrkdwn(t) for t in texts]})

    def actions(self, *buttons: SlackButton) -> SlackMessage:
        """A row of link buttons (up to 25)."""
        if not buttons or len(buttons) > _MAX_BUTTONS:
            raise ValueError(f"a Slack actions block holds 1 to {_MAX_BUTTONS} buttons")
        return self._add({"type": "actions", "elements": [b.to_dict() for b in buttons]})

    def attachment(self, attachment: SlackAttachment) -> SlackMessage:
        """Add a legacy attachment (shown under the blocks)."""
        self.attachments.append(attachment)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The incoming-webhook JSON payload."""
        if not self.text and not self.blocks and not self.attachments:
            raise ValueError("a Slack message needs text, blocks or attachments")
        payload: dict[str, Any] = {}
        if self.text:
            payload["text"] = self.text
        if self.blocks:
            payload["blocks"] = list(self.blocks)
        if self.attachments:
            payload["attachments"] = [a.to_dict() for a in self.attachments]
        return payload


class SlackChannel(JsonWebhookChannel):
    """Posts ``to_slack(notifiable)`` to the notifiable's incoming-webhook URL."""

    name: ClassVar[str] = "slack"

    message_method: ClassVar[str] = "to_slack"
    message_class: ClassVar[type[JsonMessage]] = SlackMessage

    @classmethod
    def default_url(cls, services: ServicesSettings) -> object | None:
        """``SLACK_WEBHOOK_URL``."""
        return services.slack_webhook_url
