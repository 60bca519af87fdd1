"""``ShouldBroadcast`` events reach WebSocket clients: queued, sent by a worker through the
``reverb`` broadcaster to the server's HTTP API, and delivered to the channel's subscribers."""

from __future__ import annotations

from typing import Any

import pytest

from foundry.broadcasting import (
    Broadcast,
    BroadcastEventJob,
    BroadcastManager,
    PrivateChannel,
    ShouldBroadcast,
    ShouldBroadcastNow,
    broadcast,
)
from foundry.broadcasting.events import current_socket_id
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.queue import work_queue
from tests.conftest import MakeApplication
from tests.foundry.broadcasting.conftest import KEY, BroadcastApp
from tests.support.pusher_socket import pusher_socket


class OrderShipped(ShouldBroadcast):
    def __init__(self, order_id: int, user_id: int, *, ship: bool = True) -> None:
        self.order_id = order_id
        self.user_id = user_id
        self._ship = ship

    def broadcast_on(self) -> list[str]:
        return ["orders", PrivateChannel(f"users.{self.user_id}")]

    def broadcast_when(self) -> bool:
        return self._ship


class PriceChanged(ShouldBroadcastNow):
    def __init__(self, price: int) -> None:
        self.price = price

    def broadcast_on(self) -> str:
        return "prices"

    def broadcast_as(self) -> str:
        return "price.changed"

    def broadcast_with(self) -> dict[str, Any]:
        return {"cents": self.price * 100}


@pytest.fixture
def sender(app: BroadcastApp, make_application: MakeApplication) -> Application:
    """An app process (a controller's, a worker's) that broadcasts to the live server."""
    port = app.url.rsplit(":", 1)[1]
    return make_application(
        **app.env, BROADCAST_CONNECTION="reverb", REVERB_HOST="127.0.0.1", REVERB_PORT=port
    )


async def test_a_dispatched_event_is_queued_then_broadcast_by_a_worker(
    app: BroadcastApp, sender: Application
) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        await socket.subscribe("orders")
        await sender.container.make(EventDispatcher).dispatch(OrderShipped(7, 1))
        assert await socket.nothing_within(0.3)  # queued, not sent yet
        assert await sender.container.make(QueueManager).size() == 1
        await work_queue(sender)
        frame = await socket.next("OrderShipped")
        assert frame == {
            "event": "OrderShipped",
            "channel": "orders",
            "data": {"order_id": 7, "user_id": 1},
        }

        await sender.container.make(EventDispatcher).dispatch(OrderShipped(8, 1, ship=False))
        assert await sender.container.make(QueueManager).size() == 0


async def test_broadcast_now_skips_the_queue_and_to_others_skips_the_sender(
    app: BroadcastApp, sender: Application
) -> None:
    async with pusher_socket(app.url, KEY) as mine, pusher_socket(app.url, KEY) as theirs:
        await mine.subscribe("prices")
        await theirs.subscribe("prices")
        await broadcast(PriceChanged(3))
        for socket in (mine, theirs):
            assert (await socket.next("price.changed"))["data"] == {"cents": 300}
        token = current_socket_id.set(mine.socket_id)  # as X-Socket-ID sets it for a request
        try:
            await broadcast(PriceChanged(4)).to_others()
        finally:
            current_socket_id.reset(token)
        assert (await theirs.next("price.changed"))["data"] == {"cents": 400}
        assert await mine.nothing_within(0.5)


async def test_an_unreachable_server_fails_the_job_so_it_is_retried(
    app: BroadcastApp, make_application: MakeApplication
) -> None:
    sender = make_application(**app.env, BROADCAST_CONNECTION="reverb", REVERB_PORT="9")
    job = BroadcastEventJob(["orders"], "Lost", {})
    with pytest.raises(Exception, match="unreachable"):
        await job.handle(sender.container.make(BroadcastManager))


async def test_the_fake_keeps_what_would_have_been_sent(sender: Application) -> None:
    fake = Broadcast.fake()
    await broadcast(PriceChanged(5))
    await sender.container.make(EventDispatcher).dispatch(OrderShipped(9, 2))
    await work_queue(sender)
    assert [(sent.event, sent.channels) for sent in fake.sent] == [
        ("price.changed", ("prices",)),
        ("OrderShipped", ("orders", "private-users.2")),
    ]
