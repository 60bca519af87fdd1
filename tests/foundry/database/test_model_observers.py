"""Observers: event order, soft delete/restore events, async work after commit, the provider."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import MetaData, String
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import (
    NAMING_CONVENTION,
    Model,
    ObserverRegistry,
    SoftDeletes,
    observe,
)
from foundry.database.observer_provider import ObserverServiceProvider
from foundry.kernel.application import Application
from foundry.testing import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.providers import ObserverServiceProvider as AppObserverServiceProvider


class ObservedModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Topic(SoftDeletes, ObservedModel):
    __tablename__ = "observed_topics"
    fillable = frozenset({"title"})

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    slug: Mapped[str | None] = mapped_column(String(50), default=None)


class Journal:
    """Shared by the observers of one application: what ran, in order."""

    def __init__(self) -> None:
        self.entries: list[str] = []


class TopicObserver:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def saving(self, topic: Topic) -> None:
        self.journal.entries.append(f"saving {topic.title}")
        topic.slug = topic.title.lower()  # an "-ing" hook may change what gets written

    def creating(self, topic: Topic) -> None:
        self.journal.entries.append("creating")

    def created(self, topic: Topic) -> None:
        self.journal.entries.append(f"created {topic.id}")

    def updating(self, topic: Topic) -> None:
        self.journal.entries.append("updating")

    def updated(self, topic: Topic) -> None:
        self.journal.entries.append("updated")

    def saved(self, topic: Topic) -> None:
        self.journal.entries.append("saved")

    def deleting(self, topic: Topic) -> None:
        self.journal.entries.append("deleting")

    def deleted(self, topic: Topic) -> None:
        self.journal.entries.append("deleted")

    def restored(self, topic: Topic) -> None:
        self.journal.entries.append("restored")


class NotifyingObserver:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    async def created(self, topic: Topic) -> None:
        self.journal.entries.append(f"notified {topic.title}")


class TopicObservers(ObserverServiceProvider):
    observers = {Topic: [TopicObserver, NotifyingObserver]}


PROVIDERS = json.dumps(
    [
        "foundry.database.provider.DatabaseServiceProvider",
        f"{__name__}.TopicObservers",
    ]
)


@pytest.fixture
def observed_app(make_application: MakeApplication, database_url: str) -> Application:
    application = make_application(DATABASE_URL=database_url, APP_PROVIDERS=PROVIDERS)
    application.container.singleton(Journal)
    return application


@pytest.fixture
async def topics(observed_app: Application) -> AsyncIterator[AsyncSession]:
    async with refresh_database(observed_app) as connection:
        await connection.run_sync(ObservedModel.metadata.create_all)
        async with observed_app.container.scope() as scope:
            yield scope.make(AsyncSession)


def journal(app: Application) -> list[str]:
    return app.container.make(Journal).entries


async def test_create_fires_in_laravels_order_and_async_work_waits_for_commit(
    observed_app: Application, topics: AsyncSession
) -> None:
    topic = await Topic.create(topics, title="News")
    assert topic.slug == "news"
    assert journal(observed_app) == ["saving News", "creating", f"created {topic.id}", "saved"]
    await topics.commit()
    assert journal(observed_app)[-1] == "notified News"


async def test_async_observer_work_is_dropped_on_rollback(
    observed_app: Application, topics: AsyncSession
) -> None:
    topics.add(Topic(title="Draft"))
    await topics.flush()
    await topics.rollback()
    assert "notified Draft" not in journal(observed_app)
    assert "creating" in journal(observed_app)


async def test_update_soft_delete_restore_and_force_delete_events(
    observed_app: Application, topics: AsyncSession
) -> None:
    topic = Topic(title="One")
    topics.add(topic)
    await topics.commit()
    entries = journal(observed_app)
    entries.clear()

    topic.title = "Two"
    await topics.commit()
    assert entries == ["saving Two", "updating", "updated", "saved"]
    entries.clear()

    await topics.commit()  # nothing changed: no events
    assert entries == []

    topic.soft_delete()
    await topics.commit()
    assert entries == ["deleting", "deleted"]
    entries.clear()

    topic.restore()
    await topics.commit()
    assert entries == ["saving Two", "updating", "updated", "saved", "restored"]
    entries.clear()

    await topic.force_delete(topics)
    assert entries == ["deleting", "deleted"]


async def test_observe_registers_at_run_time_and_observers_see_subclasses(
    make_application: MakeApplication, database_url: str
) -> None:
    application = make_application(
        DATABASE_URL=database_url,
        APP_PROVIDERS=json.dumps(["foundry.database.provider.DatabaseServiceProvider"]),
    )
    application.container.singleton(Journal)
    observe(ObservedModel, TopicObserver)  # a base class: watches every subclass
    registry = application.container.make(ObserverRegistry)
    assert registry.observers_for(Topic) == [TopicObserver]
    async with refresh_database(application) as connection:
        await connection.run_sync(ObservedModel.metadata.create_all)
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            session.add(Topic(title="Sub"))
            await session.commit()
    assert journal(application)[:2] == ["saving Sub", "creating"]


async def test_without_a_registry_nothing_is_observed(
    db: AsyncConnection, session: AsyncSession
) -> None:
    await db.run_sync(ObservedModel.metadata.create_all)
    topic = Topic(title="Quiet")
    session.add(topic)
    await session.commit()
    assert topic.slug is None


def test_observer_declarations_are_checked_when_the_provider_is_defined() -> None:
    class Nothing:
        def on_create(self, topic: Topic) -> None: ...

    with pytest.raises(TypeError, match="Nothing has none of the observer methods"):

        class Broken(ObserverServiceProvider):
            observers = {Topic: [Nothing]}

    with pytest.raises(TypeError, match="must be a list of observer classes"):

        class NotAList(ObserverServiceProvider):
            observers = {Topic: TopicObserver}  # type: ignore[dict-item]  # the mistake tested


def test_the_apps_provider_starts_empty() -> None:
    assert dict(AppObserverServiceProvider.observers) == {}
