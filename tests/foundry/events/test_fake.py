from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from foundry.events import Event, EventDispatcher, EventFake
from foundry.kernel.container import Container, current_container, set_root_container
from foundry.kernel.facades import facade_root
from tests.foundry.events.sample_events import AccountEvent, OrderPlaced, UserRegistered


@pytest.fixture
async def ran() -> AsyncIterator[list[object]]:
    """An application container whose dispatcher has real listeners recording into ``ran``."""
    ran: list[object] = []
    root = Container()
    root.singleton(EventDispatcher)
    root.make(EventDispatcher).listen(UserRegistered, ran.append)
    root.make(EventDispatcher).listen(OrderPlaced, ran.append)
    set_root_container(root)
    try:
        async with root.scope():
            yield ran
    finally:
        set_root_container(None)


async def test_fake_records_events_instead_of_running_listeners(ran: list[object]) -> None:
    fake = Event.fake()

    registered = UserRegistered(account_id=1)
    assert await Event.dispatch(registered) == []

    assert ran == []
    assert fake.dispatched(UserRegistered) == [registered]
    fake.assert_dispatched(UserRegistered)
    fake.assert_dispatched(AccountEvent)  # a subclass instance counts for its base
    fake.assert_not_dispatched(OrderPlaced)


async def test_fake_is_what_the_facade_and_container_return(ran: list[object]) -> None:
    fake = Event.fake()

    assert current_container().make(EventDispatcher) is fake
    assert isinstance(fake, EventFake)


async def test_fake_only_some_events_lets_the_others_run(ran: list[object]) -> None:
    fake = Event.fake(OrderPlaced)

    registered = UserRegistered(account_id=2)
    await Event.dispatch(registered)
    await Event.dispatch(OrderPlaced(order_id=3))

    assert ran == [registered]  # the real listener ran for the event that was not faked
    fake.assert_dispatched(OrderPlaced)
    fake.assert_not_dispatched(UserRegistered)


async def test_fake_keeps_listeners_and_can_assert_them(ran: list[object]) -> None:
    fake = Event.fake()

    fake.assert_listening(UserRegistered, ran.append)
    with pytest.raises(AssertionError, match=r"is not listening for AccountEvent"):
        fake.assert_listening(AccountEvent, ran.append)


async def test_assert_dispatched_with_a_predicate(ran: list[object]) -> None:
    fake = Event.fake()
    await Event.dispatch(OrderPlaced(order_id=1, total=50))
    await Event.dispatch(OrderPlaced(order_id=2, total=75))

    fake.assert_dispatched(OrderPlaced, lambda e: e.total == 75)
    assert fake.dispatched(OrderPlaced, lambda e: e.total > 60) == [OrderPlaced(2, 75)]
    with pytest.raises(AssertionError) as failure:
        fake.assert_dispatched(OrderPlaced, lambda e: e.total == 99)

    message = str(failure.value)
    assert "OrderPlaced was dispatched 2 times, but none matched the predicate" in message
    assert "OrderPlaced(order_id=1, total=50)" in message


async def test_assert_dispatched_failure_says_what_was_dispatched_instead(
    ran: list[object],
) -> None:
    fake = Event.fake()
    with pytest.raises(AssertionError, match=r"not dispatched\. Dispatched instead: nothing\."):
        fake.assert_dispatched(UserRegistered)

    await Event.dispatch(OrderPlaced(order_id=1))
    await Event.dispatch(OrderPlaced(order_id=2))
    with pytest.raises(AssertionError) as failure:
        fake.assert_dispatched(UserRegistered)

    assert str(failure.value) == (
        "The expected UserRegistered event was not dispatched. "
        "Dispatched instead: OrderPlaced (x2)."
    )


async def test_assert_dispatched_times(ran: list[object]) -> None:
    fake = Event.fake()
    await Event.dispatch(UserRegistered(account_id=1))
    await Event.dispatch(UserRegistered(account_id=2))
    await Event.dispatch(OrderPlaced(order_id=1))

    fake.assert_dispatched_times(UserRegistered, 2)
    fake.assert_dispatched_times(OrderPlaced, 1)
    with pytest.raises(AssertionError) as failure:
        fake.assert_dispatched_times(UserRegistered, 1)

    assert str(failure.value) == (
        "The expected UserRegistered event was dispatched 2 times instead of once. "
        "Dispatched: UserRegistered (x2), OrderPlaced."
    )


async def test_assert_not_dispatched(ran: list[object]) -> None:
    fake = Event.fake()
    await Event.dispatch(OrderPlaced(order_id=1, total=50))

    fake.assert_not_dispatched(UserRegistered)
    fake.assert_not_dispatched(OrderPlaced, lambda e: e.total > 100)
    with pytest.raises(AssertionError) as failure:
        fake.assert_not_dispatched(OrderPlaced)
    assert str(failure.value) == (
        "The unexpected OrderPlaced event was dispatched once: "
        "OrderPlaced(order_id=1, total=50)."
    )
    with pytest.raises(AssertionError, match="matching the predicate was dispatched once"):
        fake.assert_not_dispatched(OrderPlaced, lambda e: e.total == 50)


async def test_assert_nothing_dispatched(ran: list[object]) -> None:
    fake = Event.fake()
    fake.assert_nothing_dispatched()

    await Event.dispatch(UserRegistered(account_id=1))
    with pytest.raises(AssertionError) as failure:
        fake.assert_nothing_dispatched()

    assert str(failure.value) == ("Expected no events to be dispatched, but got: UserRegistered.")


async def test_long_lists_of_events_are_abbreviated_in_messages(ran: list[object]) -> None:
    fake = Event.fake()
    for order_id in range(8):
        await Event.dispatch(OrderPlaced(order_id=order_id))

    with pytest.raises(AssertionError, match=r"order_id=4, total=100\) and 3 more\.$"):
        fake.assert_not_dispatched(OrderPlaced)


async def test_until_on_a_faked_event_records_it_and_answers_none(ran: list[object]) -> None:
    fake = Event.fake()

    assert await Event.until(UserRegistered(account_id=1)) is None

    assert ran == []
    fake.assert_dispatched_times(UserRegistered, 1)


async def test_a_fake_made_in_a_scope_is_seen_by_the_scopes_opened_after_it() -> None:
    # The session fixture keeps a scope open for the whole test while each request of the test
    # client opens its own: a fake swapped in the first must reach the others (issue 16, item 11).
    root = Container()
    root.singleton(EventDispatcher)
    set_root_container(root)
    try:
        async with root.scope():
            fake = Event.fake()
            assert facade_root(Event) is fake
            async with root.scope() as request_scope:
                assert request_scope.make(EventDispatcher) is fake
        assert facade_root(Event) is fake
    finally:
        set_root_container(None)
