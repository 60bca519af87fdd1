"""hidden/visible, make_visible/make_hidden and to_dict()."""

from __future__ import annotations

from sqlalchemy import ForeignKey, MetaData, String, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from foundry.database import NAMING_CONVENTION, Model


class SerialModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Member(SerialModel):
    __tablename__ = "serial_members"
    hidden = frozenset({"password"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    password: Mapped[str] = mapped_column(String(100))
    cards: Mapped[list[Card]] = relationship(back_populates="member", lazy="raise")


class Card(SerialModel):
    __tablename__ = "serial_cards"
    visible = frozenset({"id", "number"})

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("serial_members.id"))
    number: Mapped[str] = mapped_column(String(20))
    secret: Mapped[str] = mapped_column(String(20))
    member: Mapped[Member] = relationship(back_populates="cards", lazy="raise")


def test_hidden_attributes_are_left_out() -> None:
    member = Member(id=1, name="Ada", password="hash")
    assert member.to_dict() == {"id": 1, "name": "Ada"}


def test_visible_lists_the_only_attributes_shown() -> None:
    card = Card(id=2, member_id=1, number="4242", secret="123")
    assert card.to_dict() == {"id": 2, "number": "4242"}


def test_make_visible_and_make_hidden_change_one_instance_only() -> None:
    first = Member(id=1, name="Ada", password="hash")
    second = Member(id=2, name="Bob", password="hash2")
    assert first.make_visible("password").to_dict()["password"] == "hash"
    assert "password" not in second.to_dict()
    assert second.make_hidden("name").to_dict() == {"id": 2}
    assert first.to_dict()["name"] == "Ada"
    card = Card(id=3, member_id=1, number="1", secret="s").make_visible("secret")
    assert card.to_dict() == {"id": 3, "number": "1", "secret": "s"}
    assert first.make_hidden("password").to_dict() == {"id": 1, "name": "Ada"}


async def test_loaded_relationships_are_serialized_and_unloaded_ones_never_load(
    db: AsyncConnection, session: AsyncSession
) -> None:
    await db.run_sync(SerialModel.metadata.create_all)
    session.add(Member(id=1, name="Ada", password="x", cards=[Card(number="1", secret="s")]))
    await session.commit()
    session.expunge_all()

    plain = (await session.scalars(select(Member))).one()
    # lazy="raise" would raise on a load: to_dict must not touch the relationship.
    assert plain.to_dict() == {"id": 1, "name": "Ada"}
    session.expunge_all()

    loaded = (await session.scalars(select(Member).options(selectinload(Member.cards)))).one()
    assert loaded.to_dict() == {"id": 1, "name": "Ada", "cards": [{"id": 1, "number": "1"}]}
