"""Notifications on the ``broadcast`` channel reach the user's private channel as Laravel
Echo's ``.notification()`` expects them."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.broadcasting import Broadcast
from foundry.notifications import Notification
from foundry.notifications.channels.broadcast import BROADCAST_NOTIFICATION_EVENT
from tests.conftest import MakeApplication
from tests.foundry.broadcasting.conftest import KEY, BroadcastApp
from tests.foundry.testbench.models import User
from tests.support.pusher_socket import pusher_socket


class TaskAssigned(Notification):
    def __init__(self, task: str) -> None:
        self.task = task

    def via(self, notifiable: Any) -> list[str]:
        return ["broadcast"]

    def to_broadcast(self, notifiable: Any) -> dict[str, Any]:
        return {"task": self.task}


async def test_a_notification_reaches_the_users_private_channel(
    app: BroadcastApp, make_application: MakeApplication
) -> None:
    port = app.url.rsplit(":", 1)[1]
    sender = make_application(**app.env, REVERB_HOST="127.0.0.1", REVERB_PORT=port)
    async with pusher_socket(app.url, KEY) as socket:
        signed = httpx.post(
            app.url + "/broadcasting/auth",
            data={"socket_id": socket.socket_id, "channel_name": "private-users.1"},
            headers={"Authorization": f"Bearer {app.ada}"},
        ).json()
        await socket.subscribe("private-users.1", signed["auth"])
        async with sender.container.scope() as scope:
            ada = await scope.make(AsyncSession).get(User, 1)
            assert ada is not None
            await ada.notify(TaskAssigned("Review the draft"))
        frame = await socket.next(BROADCAST_NOTIFICATION_EVENT)
    assert frame["channel"] == "private-users.1"
    assert frame["data"]["task"] == "Review the draft"
    assert frame["data"]["type"].endswith("TaskAssigned") and frame["data"]["id"]


async def test_the_fake_sees_the_notification(
    app: BroadcastApp, make_application: MakeApplication
) -> None:
    sender = make_application(**app.env)
    fake = Broadcast.fake()
    async with sender.container.scope() as scope:
        bob = await scope.make(AsyncSession).get(User, 2)
        assert bob is not None
        await bob.notify(TaskAssigned("Ship it"))
    [sent] = fake.sent
    assert sent.channels == ("private-users.2",) and sent.event == BROADCAST_NOTIFICATION_EVENT
    assert sent.payload["task"] == "Ship it"
