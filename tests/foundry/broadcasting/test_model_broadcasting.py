"""``BroadcastsEvents``: a model's committed changes are broadcast; rolled-back ones are not."""

from __future__ import annotations

from sqlalchemy import MetaData, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from foundry.broadcasting import Broadcast, BroadcastsEvents, PrivateChannel
from foundry.database import NAMING_CONVENTION, Model
from foundry.database.manager import DatabaseManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication


class BroadcastCardModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class BroadcastCard(BroadcastsEvents, BroadcastCardModel):
    __tablename__ = "broadcast_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int] = mapped_column(default=1)

    def broadcast_on(self, event: str) -> list[str]:
        return [PrivateChannel(f"users.{self.owner_id}")] if self.title != "secret" else []


async def test_committed_changes_are_broadcast_once_each(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    application = make_application(DATABASE_URL=database_url, QUEUE_CONNECTION="sync")
    engine = application.container.make(DatabaseManager).engine
    async with engine.begin() as connection:
        await connection.run_sync(BroadcastCardModel.metadata.create_all)
    fake = Broadcast.fake()
    try:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            card = BroadcastCard(title="Draft")
            session.add(card)
            await session.commit()
            card.title = "Final"
            await session.commit()
            session.add(BroadcastCard(title="Rolled back"))
            await session.flush()
            await session.rollback()
            session.add(BroadcastCard(title="secret"))
            await session.commit()
            await session.delete(card)
            await session.commit()
    finally:
        async with engine.begin() as connection:
            await connection.run_sync(BroadcastCardModel.metadata.drop_all)

    assert [(sent.event, sent.channels) for sent in fake.sent] == [
        ("BroadcastCardCreated", ("private-users.1",)),
        ("BroadcastCardUpdated", ("private-users.1",)),
        ("BroadcastCardDeleted", ("private-users.1",)),
    ]
    assert fake.sent[0].payload == {"model": {"id": 1, "title": "Draft", "owner_id": 1}}
    assert fake.sent[1].payload["model"]["title"] == "Final"
