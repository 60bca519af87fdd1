"""Built-in scopes, local scopes and global scopes (with their way out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Self

import pytest
from sqlalchemy import ForeignKey, MetaData, Select, String, event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    aliased,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

from foundry.database import (
    NAMING_CONVENTION,
    WITHOUT_GLOBAL_SCOPES,
    Model,
    TimestampsMixin,
    scope,
    without_global_scopes,
)
from foundry.database.scopes import _model_got_by_primary_key


class ScopeModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Shop(ScopeModel):
    __tablename__ = "scope_shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    items: Mapped[list[Item]] = relationship(lazy="raise", order_by="Item.id")


class Item(TimestampsMixin, ScopeModel):
    __tablename__ = "scope_items"
    global_scopes = {
        "in_stock": lambda cls: cls.stock > 0,
        "not_hidden": lambda cls: cls.hidden_flag.is_(False),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("scope_shops.id"))
    name: Mapped[str] = mapped_column(String(50))
    stock: Mapped[int] = mapped_column(default=1)
    hidden_flag: Mapped[bool] = mapped_column(default=False)
    sku: Mapped[str | None] = mapped_column(String(20), default=None)

    @classmethod
    @scope
    def scope_named(cls, prefix: str, stmt: Select[Self] | None = None) -> Select[Self]:
        return cls.query(stmt).where(cls.name.startswith(prefix))

    @classmethod
    def scope_unmarked(cls, stmt: Select[Self] | None = None) -> Select[Self]:
        return cls.query(stmt)


NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def items(db: AsyncConnection, session: AsyncSession) -> AsyncSession:
    await db.run_sync(ScopeModel.metadata.create_all)
    session.add(Shop(id=1, name="corner"))
    session.add_all(
        [
            Item(id=1, shop_id=1, name="apple", created_at=NOW, sku="A1"),
            Item(id=2, shop_id=1, name="avocado", created_at=NOW + timedelta(days=2)),
            Item(id=3, shop_id=1, name="banana", created_at=NOW + timedelta(days=1), sku="B1"),
            Item(id=4, shop_id=1, name="apricot", created_at=NOW, stock=0),
            Item(id=5, shop_id=1, name="almond", created_at=NOW, hidden_flag=True),
        ]
    )
    await session.commit()
    session.expunge_all()
    return session


async def _ids(session: AsyncSession, stmt: Select[Item]) -> list[int]:
    return [item.id for item in await session.scalars(stmt)]


async def test_latest_and_oldest_order_by_created_at_or_another_column(
    items: AsyncSession,
) -> None:
    assert (await _ids(items, Item.latest()))[:2] == [2, 3]
    assert (await _ids(items, Item.oldest()))[-1] == 2
    assert await _ids(items, Item.latest("id")) == [3, 2, 1]


async def test_where_not_null_where_null_and_where_in(items: AsyncSession) -> None:
    assert await _ids(items, Item.oldest("id", stmt=Item.where_not_null("sku"))) == [1, 3]
    assert await _ids(items, Item.where_null("sku")) == [2]
    assert await _ids(items, Item.oldest("id", stmt=Item.where_in("id", [1, 2, 9]))) == [1, 2]
    assert await _ids(items, Item.where_in("id", [])) == []


def test_an_unknown_column_is_a_clear_error() -> None:
    with pytest.raises(AttributeError, match="Item has no column attribute 'nope'"):
        Item.latest("nope")


async def test_local_scopes_chain_and_are_listed_by_name(items: AsyncSession) -> None:
    stmt = Item.oldest("id", stmt=Item.scope_named("a"))
    assert await _ids(items, stmt) == [1, 2]
    assert set(Item.local_scopes()) == {"named"}
    assert await _ids(items, Item.local_scopes()["named"]("b")) == [3]


def test_scope_insists_on_the_scope_prefix() -> None:
    with pytest.raises(TypeError, match="must be named scope_<name>"):

        class Bad(ScopeModel):
            __tablename__ = "scope_bad"
            id: Mapped[int] = mapped_column(primary_key=True)

            @classmethod
            @scope
            def active(cls) -> Select[Self]:
                return cls.query()


async def test_global_scopes_apply_to_every_select_get_and_relationship_load(
    items: AsyncSession,
) -> None:
    assert await _ids(items, select(Item).order_by(Item.id)) == [1, 2, 3]
    assert await items.get(Item, 4) is None  # out of stock: hidden by "in_stock"
    alias = aliased(Item)
    assert len((await items.scalars(select(alias))).all()) == 3
    shop = (await items.scalars(select(Shop).options(selectinload(Shop.items)))).one()
    assert [item.id for item in shop.items] == [1, 2, 3]


async def test_without_global_scopes_turns_off_all_or_named_scopes(items: AsyncSession) -> None:
    everything = without_global_scopes(select(Item).order_by(Item.id))
    assert await _ids(items, everything) == [1, 2, 3, 4, 5]
    no_stock_check = without_global_scopes(select(Item).order_by(Item.id), "in_stock")
    assert await _ids(items, no_stock_check) == [1, 2, 3, 4]
    found = await items.get(Item, 5, execution_options={WITHOUT_GLOBAL_SCOPES: True})
    assert found is not None and found.name == "almond"


async def test_refreshing_a_loaded_row_is_not_filtered(items: AsyncSession) -> None:
    item = (await items.scalars(select(Item).where(Item.id == 1))).one()
    item.stock = 0
    await items.commit()
    await items.refresh(item)  # now outside "in_stock", but it is the row we hold
    assert item.stock == 0


async def test_joined_eager_loads_are_narrowed_too(items: AsyncSession) -> None:
    shop = (await items.scalars(select(Shop).options(joinedload(Shop.items)))).unique().one()
    assert [item.id for item in shop.items] == [1, 2, 3]


async def test_a_get_by_primary_key_is_recognised_without_walking_the_statement(
    items: AsyncSession,
) -> None:
    seen: list[type[object] | None] = []

    def spy(state: ORMExecuteState) -> None:
        seen.append(_model_got_by_primary_key(state.statement))

    # Inserted first, so it sees the statement before the global scopes add their options.
    event.listen(Session, "do_orm_execute", spy, insert=True)
    try:
        assert await items.get(Item, 4) is None  # still narrowed by "in_stock"
        await items.scalars(select(Item).where(Item.id == 1))
        await items.get(Shop, 1, options=[selectinload(Shop.items)])
    finally:
        event.remove(Session, "do_orm_execute", spy)
    # A plain get is; a hand-written select and a get with options take the walk.
    assert seen[:3] == [Item, None, None]
