from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from foundry.events import EventDispatcher
from foundry.kernel.container import Container
from tests.foundry.events.sample_events import AccountEvent, Journal, OrderPlaced, UserRegistered


@pytest.fixture
async def scope() -> AsyncIterator[Container]:
    """A request-like scope with a scoped ``Journal``; outside any database transaction."""
    root = Container()
    root.scoped(Journal)
    async with root.scope() as scope:
        yield scope


async def test_listeners_run_in_registration_order_and_return_their_results(
    scope: Container,
) -> None:
    events = EventDispatcher()
    events.listen(UserRegistered, lambda e: "first")
    events.listen(UserRegistered, lambda e: "second")
    events.listen(UserRegistered, lambda e: None)

    assert await events.dispatch(UserRegistered(account_id=1)) == ["first", "second", None]


async def test_sync_and_async_listeners_both_run_with_the_event(scope: Container) -> None:
    events = EventDispatcher()
    seen: list[str] = []

    def sync_listener(event: UserRegistered) -> str:
        seen.append(f"sync:{event.email}")
        return "sync"

    async def async_listener(event: UserRegistered) -> str:
        await asyncio.sleep(0)
        seen.append(f"async:{event.email}")
        return "async"

    events.listen(UserRegistered, async_listener)
    events.listen(UserRegistered, sync_listener)

    results = await events.dispatch(UserRegistered(account_id=1, email="ada@example.com"))

    assert results == ["async", "sync"]
    assert seen == ["async:ada@example.com", "sync:ada@example.com"]


class WriteToJournal:
    """A class listener whose constructor the container autowires."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def handle(self, event: UserRegistered) -> str:
        self.journal.write(f"registered {event.account_id}")
        return "written"


class WriteToJournalLater:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    async def handle(self, event: AccountEvent) -> None:
        await asyncio.sleep(0)
        self.journal.write(f"account {event.account_id}")


async def test_class_listeners_are_built_from_the_current_scope(scope: Container) -> None:
    events = EventDispatcher()
    events.listen(UserRegistered, WriteToJournal)
    events.listen(UserRegistered, WriteToJournalLater)

    results = await events.dispatch(UserRegistered(account_id=7))

    assert results == ["written", None]
    # Both listeners received the scope's own Journal, not one each and not a global one.
    assert scope.make(Journal).entries == ["registered 7", "account 7"]


async def test_class_listeners_are_built_afresh_for_each_dispatch(scope: Container) -> None:
    built: list[object] = []

    class Counting:
        def __init__(self, journal: Journal) -> None:
            built.append(self)

        def handle(self, event: OrderPlaced) -> None:
            pass

    events = EventDispatcher()
    events.listen(OrderPlaced, Counting)
    await events.dispatch(OrderPlaced(order_id=1))
    await events.dispatch(OrderPlaced(order_id=2))

    assert len(built) == 2 and built[0] is not built[1]


async def test_each_scope_gets_its_own_services_in_class_listeners() -> None:
    root = Container()
    root.scoped(Journal)
    events = EventDispatcher()
    events.listen(UserRegistered, WriteToJournal)

    async with root.scope() as first:
        await events.dispatch(UserRegistered(account_id=1))
    async with root.scope() as second:
        await events.dispatch(UserRegistered(account_id=2))
        assert second.make(Journal).entries == ["registered 2"]
    assert first is not second


async def test_a_listener_returning_false_stops_the_rest(scope: Container) -> None:
    events = EventDispatcher()
    ran: list[str] = []

    def one(event: OrderPlaced) -> str:
        ran.append("one")
        return "one"

    events.listen(OrderPlaced, one)
    events.listen(OrderPlaced, lambda e: False)
    events.listen(OrderPlaced, lambda e: ran.append("three"))

    results = await events.dispatch(OrderPlaced(order_id=1))

    assert results == ["one"]
    assert ran == ["one"]


async def test_listeners_of_a_base_class_receive_subclass_events(scope: Container) -> None:
    events = EventDispatcher()
    received: list[object] = []
    events.listen(AccountEvent, lambda e: received.append(("base", e)))
    events.listen(UserRegistered, lambda e: received.append(("exact", e)))

    registered = UserRegistered(account_id=3)
    await events.dispatch(registered)
    await events.dispatch(AccountEvent(account_id=4))

    # One registration order across the class and its bases; the base event skips the subclass.
    assert received == [("base", registered), ("exact", registered), ("base", AccountEvent(4))]


async def test_has_listeners_and_forget(scope: Container) -> None:
    events = EventDispatcher()
    base_listener = lambda e: "base"  # noqa: E731
    events.listen(AccountEvent, base_listener)
    events.listen(UserRegistered, lambda e: "exact")

    assert events.has_listeners(UserRegistered)
    assert not events.has_listeners(OrderPlaced)

    events.forget(UserRegistered)

    # Forgetting the subclass leaves the base-class listener in place.
    assert events.get_listeners(UserRegistered) == [base_listener]
    assert await events.dispatch(UserRegistered(account_id=1)) == ["base"]
    events.forget(AccountEvent)
    assert not events.has_listeners(UserRegistered)
    assert await events.dispatch(UserRegistered(account_id=1)) == []


async def test_until_returns_the_first_answer_and_stops(scope: Container) -> None:
    events = EventDispatcher()
    ran: list[str] = []
    events.listen(OrderPlaced, lambda e: ran.append("none"))
    events.listen(OrderPlaced, lambda e: "discount-10")
    events.listen(OrderPlaced, lambda e: ran.append("after"))

    assert await events.until(OrderPlaced(order_id=1)) == "discount-10"
    assert ran == ["none"]
    assert await events.until(UserRegistered(account_id=1)) is None


async def test_listener_errors_propagate_and_are_logged_once_with_the_listener_name(
    scope: Container, caplog: pytest.LogCaptureFixture
) -> None:
    events = EventDispatcher()
    after: list[str] = []

    def reject_order(event: OrderPlaced) -> None:
        raise RuntimeError(f"order {event.order_id} rejected")

    async def place_follow_up(event: UserRegistered) -> None:
        # A listener that dispatches: the inner failure travels through two dispatches.
        await events.dispatch(OrderPlaced(order_id=9))

    events.listen(OrderPlaced, reject_order)
    events.listen(UserRegistered, place_follow_up)
    events.listen(UserRegistered, lambda e: after.append("later"))

    with caplog.at_level(logging.ERROR, logger="foundry.events"):
        with pytest.raises(RuntimeError, match="order 9 rejected"):
            await events.dispatch(UserRegistered(account_id=1))

    assert after == []  # the failure stopped the remaining listeners
    errors = [r for r in caplog.records if r.name == "foundry.events"]
    assert len(errors) == 1
    assert "reject_order" in errors[0].getMessage()
    assert "OrderPlaced" in errors[0].getMessage()


async def test_dispatching_a_class_instead_of_an_instance_is_refused(scope: Container) -> None:
    events = EventDispatcher()
    with pytest.raises(TypeError, match=r"instance of the event.*UserRegistered\(\.\.\.\)"):
        await events.dispatch(UserRegistered)


async def test_a_listener_that_cannot_take_the_event_is_refused_at_registration() -> None:
    events = EventDispatcher()

    def on_order(event: OrderPlaced) -> None:
        pass

    with pytest.raises(TypeError, match="on_order takes OrderPlaced"):
        events.listen(UserRegistered, on_order)  # type: ignore[arg-type]  # what mypy rejects
    with pytest.raises(TypeError, match="has no handle"):
        events.listen(UserRegistered, Journal)  # type: ignore[arg-type]  # no handle()
    assert not events.has_listeners(UserRegistered)


async def test_an_explicit_container_builds_class_listeners() -> None:
    container = Container()
    journal = container.instance(Journal, Journal())
    events = EventDispatcher(container)
    events.listen(UserRegistered, WriteToJournal)

    await events.dispatch(UserRegistered(account_id=5))

    assert journal.entries == ["registered 5"]
