"""fillable/guarded, fill(), force_fill() and Model.create()."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, String, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import NAMING_CONVENTION, MassAssignmentError, Model


class FillModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Account(FillModel):
    __tablename__ = "fill_accounts"
    fillable = frozenset({"name", "email"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)


class Note(FillModel):
    """Open except for ``owner_id`` (guarded, no fillable list)."""

    __tablename__ = "fill_notes"
    guarded = frozenset({"owner_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(default=None)


class Locked(FillModel):
    """Declares nothing: fully guarded, like a Laravel model with ``$guarded = ['*']``."""

    __tablename__ = "fill_locked"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(50))


def test_fill_sets_fillable_attributes_and_returns_the_model() -> None:
    account = Account()
    assert account.fill(name="Ada", email="ada@example.com") is account
    assert (account.name, account.email) == ("Ada", "ada@example.com")


def test_fill_refuses_an_attribute_outside_fillable_and_sets_nothing() -> None:
    account = Account(name="Ada")
    with pytest.raises(MassAssignmentError, match=r"Account\.is_admin is guarded") as caught:
        account.fill(name="Eve", is_admin=True)
    assert caught.value.attribute == "is_admin" and caught.value.model is Account
    assert account.name == "Ada"  # the whole fill was refused, not half applied


def test_guarded_list_without_fillable_allows_everything_else() -> None:
    note = Note().fill(body="hello")
    assert note.body == "hello"
    with pytest.raises(MassAssignmentError, match=r"Note\.owner_id is guarded"):
        note.fill(owner_id=7)


def test_a_model_that_declares_nothing_is_fully_guarded() -> None:
    with pytest.raises(MassAssignmentError, match=r"Locked\.label is guarded"):
        Locked().fill(label="x")
    assert not Locked.is_fillable("label") and Note.is_fillable("body")


def test_unknown_attributes_are_refused_not_dropped() -> None:
    with pytest.raises(MassAssignmentError, match=r"Account\.nmae is not an attribute"):
        Account().fill(nmae="typo")


def test_force_fill_ignores_the_guard_but_not_unknown_names() -> None:
    account = Account().force_fill(name="Root", email="root@example.com", is_admin=True)
    assert account.is_admin is True
    with pytest.raises(MassAssignmentError, match="not an attribute"):
        account.force_fill(missing=1)


async def test_create_fills_adds_and_flushes(db: AsyncConnection, session: AsyncSession) -> None:
    await db.run_sync(FillModel.metadata.create_all)
    account = await Account.create(session, name="Ada", email="ada@example.com")
    assert account.id is not None  # flushed: the key is known before commit
    await session.commit()
    stored = (await session.scalars(select(Account))).one()
    assert (stored.name, stored.is_admin) == ("Ada", False)


async def test_create_with_a_guarded_attribute_writes_nothing(
    db: AsyncConnection, session: AsyncSession
) -> None:
    await db.run_sync(FillModel.metadata.create_all)
    with pytest.raises(MassAssignmentError, match="is_admin"):
        await Account.create(session, name="Eve", email="eve@example.com", is_admin=True)
    assert (await session.scalars(select(Account))).all() == []
