"""Events raised inside a transaction wait for its commit, on real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.manager import DatabaseManager
from foundry.database.provider import DatabaseServiceProvider
from foundry.events import Event, EventDispatcher, EventServiceProvider
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import Container, set_root_container
from tests.foundry.events.sample_events import Journal, OrderPlaced

metadata = MetaData()
orders = Table("event_test_orders", metadata, Column("id", Integer, primary_key=True))


class RecordCommittedOrders:
    """Counts orders over a separate connection: it sees only what was committed."""

    def __init__(self, manager: DatabaseManager, journal: Journal) -> None:
        self.manager = manager
        self.journal = journal

    async def handle(self, event: OrderPlaced) -> str:
        async with self.manager.engine.connect() as connection:
            committed = await connection.scalar(select(func.count()).select_from(orders))
        self.journal.write(f"order {event.order_id}: {committed} committed")
        return "recorded"


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Application]:
    app = Application(
        config=ConfigRepository.with_environment({"DATABASE_URL": database_url}),
        providers=[DatabaseServiceProvider, EventServiceProvider],
    ).bootstrap()
    app.container.scoped(Journal)
    async with app.container.make(DatabaseManager).engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    app.container.make(EventDispatcher).listen(OrderPlaced, RecordCommittedOrders)
    try:
        yield app
    finally:
        await app.shutdown()
        set_root_container(None)


@pytest.fixture
async def scope(app: Application) -> AsyncIterator[Container]:
    async with app.container.scope() as scope:
        yield scope


async def place_order(session: AsyncSession, order_id: int) -> None:
    await session.execute(insert(orders).values(id=order_id))


async def test_an_event_raised_in_a_transaction_runs_after_commit(scope: Container) -> None:
    session = scope.make(AsyncSession)
    journal = scope.make(Journal)

    async with session.begin():
        await place_order(session, 1)
        assert await Event.dispatch(OrderPlaced(order_id=1)) == []
        assert journal.entries == []  # held: the order is not saved yet

    assert journal.entries == ["order 1: 1 committed"]


async def test_an_event_raised_in_a_rolled_back_transaction_is_dropped(scope: Container) -> None:
    session = scope.make(AsyncSession)
    journal = scope.make(Journal)

    with pytest.raises(RuntimeError, match="payment declined"):
        async with session.begin():
            await place_order(session, 1)
            await Event.dispatch(OrderPlaced(order_id=1))
            raise RuntimeError("payment declined")

    async with session.begin():  # a later commit must not release the dropped event
        await place_order(session, 2)
        await Event.dispatch(OrderPlaced(order_id=2))

    assert journal.entries == ["order 2: 1 committed"]


async def test_a_held_event_is_released_by_an_explicit_commit(scope: Container) -> None:
    session = scope.make(AsyncSession)
    journal = scope.make(Journal)

    await place_order(session, 1)
    await Event.dispatch(OrderPlaced(order_id=1))
    assert journal.entries == []
    await session.commit()

    assert journal.entries == ["order 1: 1 committed"]


async def test_an_event_raised_in_a_rolled_back_savepoint_is_dropped(scope: Container) -> None:
    session = scope.make(AsyncSession)
    journal = scope.make(Journal)

    async with session.begin():
        await place_order(session, 1)
        await Event.dispatch(OrderPlaced(order_id=1))
        savepoint = await session.begin_nested()
        await place_order(session, 2)
        await Event.dispatch(OrderPlaced(order_id=2))
        await savepoint.rollback()

    assert journal.entries == ["order 1: 1 committed"]


async def test_after_commit_false_runs_now_inside_the_transaction(scope: Container) -> None:
    session = scope.make(AsyncSession)
    journal = scope.make(Journal)

    async with session.begin():
        await place_order(session, 1)
        results = await Event.dispatch(OrderPlaced(order_id=1), after_commit=False)
        assert results == ["recorded"]
        assert journal.entries == ["order 1: 0 committed"]


async def test_outside_a_transaction_events_run_at_once(scope: Container) -> None:
    session = scope.make(AsyncSession)
    await session.scalar(select(func.count()).select_from(orders))  # a read opens no unit of work

    assert await Event.dispatch(OrderPlaced(order_id=1)) == ["recorded"]
    assert scope.make(Journal).entries == ["order 1: 0 committed"]


async def test_until_answers_at_once_inside_a_transaction(scope: Container) -> None:
    session = scope.make(AsyncSession)

    async with session.begin():
        await place_order(session, 1)
        assert await Event.until(OrderPlaced(order_id=1)) == "recorded"


async def test_the_fake_records_on_commit_and_never_on_rollback(scope: Container) -> None:
    session = scope.make(AsyncSession)
    fake = Event.fake()

    with pytest.raises(RuntimeError):
        async with session.begin():
            await place_order(session, 1)
            await Event.dispatch(OrderPlaced(order_id=1))
            raise RuntimeError("rolled back")
    fake.assert_nothing_dispatched()

    async with session.begin():
        await place_order(session, 2)
        await Event.dispatch(OrderPlaced(order_id=2))
        fake.assert_nothing_dispatched()

    fake.assert_dispatched(OrderPlaced, lambda e: e.order_id == 2)
    fake.assert_not_dispatched(OrderPlaced, lambda e: e.order_id == 1)
    assert scope.make(Journal).entries == []  # the fake ran no listener
