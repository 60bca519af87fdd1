"""One notification, three channels, through ``user.notify``: the registry builds the database,
Slack and webhook channels the framework registers, and each delivers for real."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.notifications import Notification
from foundry.notifications.channels.slack import SlackMessage
from foundry.notifications.webhooks import WebhookMessage, verify_webhook_signature
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST
from tests.foundry.notifications.channels.receiver import Receiver
from tests.foundry.testbench.factories import UserFactory

SECRET = "whsec-test"


class InvoicePaid(Notification):
    def __init__(self, invoice: int) -> None:
        self.invoice = invoice

    def via(self, notifiable: Any) -> list[str]:
        return ["database", "slack", "webhook"]

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        return {"invoice": self.invoice}

    def to_slack(self, notifiable: Any) -> SlackMessage:
        return SlackMessage().content(f"Invoice {self.invoice} was paid")

    def to_webhook(self, notifiable: Any) -> WebhookMessage:
        return WebhookMessage("invoice.paid", {"invoice": self.invoice})


@pytest.fixture
def application(
    make_application: MakeApplication, database_url: str, receiver: Receiver
) -> Application:
    """The app with Slack's and the webhook's default routes on the local receiver."""
    return make_application(
        DATABASE_URL=database_url,
        SLACK_WEBHOOK_URL=receiver.url("/slack"),
        WEBHOOK_URL=receiver.url("/hook"),
        WEBHOOK_SECRET=SECRET,
        **FAST,
    )


async def test_a_notification_goes_out_on_three_channels(
    session: AsyncSession, receiver: Receiver
) -> None:
    user = await UserFactory.new().create(session)

    await user.notify(InvoicePaid(7))
    await session.commit()

    [stored] = (await session.scalars(user.notifications())).all()
    assert stored.data == {"invoice": 7}
    by_path = {request.path: request for request in receiver.requests}
    assert json.loads(by_path["/slack"].body)["text"] == "Invoice 7 was paid"
    hook = by_path["/hook"]
    verify_webhook_signature(SECRET, hook.headers.get("X-Foundry-Signature"), hook.body)
    assert json.loads(hook.body)["event"] == "invoice.paid"
    assert json.loads(hook.body)["data"] == {"invoice": 7}
