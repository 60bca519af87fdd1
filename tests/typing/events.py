"""Checked by mypy only, never run: the event API and the ``Event`` facade are typed.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import assert_type

from foundry.events import Event, EventFake
from tests.foundry.events.sample_events import AccountEvent, OrderPlaced, UserRegistered


def on_account(event: AccountEvent) -> None:
    pass


def on_order(event: OrderPlaced) -> None:
    pass


class SendWelcome:
    async def handle(self, event: UserRegistered) -> None:
        pass


async def well_typed() -> None:
    Event.listen(UserRegistered, on_account)  # a base-class listener takes subclass events
    Event.listen(UserRegistered, SendWelcome)
    Event.listen(OrderPlaced, lambda e: e.total > 0)
    assert_type(await Event.dispatch(OrderPlaced(order_id=1)), list[object])
    fake = Event.fake(OrderPlaced)
    assert_type(fake, EventFake)
    assert_type(fake.dispatched(OrderPlaced), list[OrderPlaced])
    fake.assert_dispatched(OrderPlaced, lambda e: e.total == 100)


async def rejected() -> None:
    Event.listen(UserRegistered, on_order)  # type: ignore[arg-type]
    Event.listen(OrderPlaced, SendWelcome)  # type: ignore[arg-type]
    Event.listen(OrderPlaced, lambda e: e.email)  # type: ignore[attr-defined]
    fake = Event.fake()
    fake.assert_dispatched(OrderPlaced, lambda e: e.email == "")  # type: ignore[attr-defined]
    await Event.dispatch(OrderPlaced(order_id=1), after_commit="no")  # type: ignore[arg-type]
