"""``unique`` and ``exists`` against real tables on SQLite and PostgreSQL, batched in one query."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, event, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry import validation as v

metadata = MetaData()
accounts = Table(
    "vr_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(100), nullable=False),
    Column("team", String(20), nullable=True),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
)


@pytest.fixture
async def tables(db: AsyncConnection) -> AsyncIterator[list[str]]:
    """The test rows, and the SQL statements run while the test runs."""
    await db.run_sync(metadata.create_all)
    await db.execute(
        insert(accounts),
        [
            {"id": 1, "email": "ada@example.com", "team": "red", "deleted_at": None},
            {"id": 2, "email": "bob@example.com", "team": "blue", "deleted_at": None},
            {"id": 3, "email": "gone@example.com", "team": None, "deleted_at": datetime.now(UTC)},
        ],
    )
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


async def check(
    session: AsyncSession, data: Mapping[str, object], rules: Mapping[str, Sequence[v.BaseRule]]
) -> dict[str, list[str]]:
    return await v.Validator(data, rules).errors(session)


async def test_unique(session: AsyncSession, tables: list[str]) -> None:
    rules = {"email": [v.unique("vr_accounts")]}
    assert await check(session, {"email": "new@example.com"}, rules) == {}
    assert await check(session, {"email": "ada@example.com"}, rules) == {
        "email": ["The email has already been taken."]
    }


async def test_unique_ignores_the_given_row_and_can_skip_trashed(
    session: AsyncSession, tables: list[str]
) -> None:
    own = {"email": [v.unique("vr_accounts", "email", ignore=1)]}
    assert await check(session, {"email": "ada@example.com"}, own) == {}
    assert await check(session, {"email": "bob@example.com"}, own) != {}
    by_email = {"email": [v.unique("vr_accounts", ignore="bob@example.com", ignore_column="email")]}
    assert await check(session, {"email": "bob@example.com"}, by_email) == {}
    trashed = {"email": [v.unique("vr_accounts").without_trashed()]}
    assert await check(session, {"email": "gone@example.com"}, trashed) == {}
    assert await check(session, {"email": "gone@example.com"}, {"email": [v.unique("vr_accounts")]})


async def test_exists_for_values_and_lists(session: AsyncSession, tables: list[str]) -> None:
    rules = {"account_id": [v.exists("vr_accounts", "id")]}
    assert await check(session, {"account_id": 2}, rules) == {}
    assert await check(session, {"account_id": 9}, rules) == {
        "account_id": ["The selected account id is invalid."]
    }
    many = {"ids": [v.exists("vr_accounts", "id")]}
    assert await check(session, {"ids": [1, 2, 2]}, many) == {}
    assert await check(session, {"ids": [1, 9]}, many) != {}
    assert await check(session, {"ids": []}, many) == {}


async def test_exists_with_extra_conditions(session: AsyncSession, tables: list[str]) -> None:
    red = {"email": [v.exists("vr_accounts").where("team", "red")]}
    assert await check(session, {"email": "ada@example.com"}, red) == {}
    assert await check(session, {"email": "bob@example.com"}, red) != {}
    live = {"email": [v.exists("vr_accounts").without_trashed()]}
    assert await check(session, {"email": "gone@example.com"}, live) != {}


async def test_many_database_rules_cost_one_query(session: AsyncSession, tables: list[str]) -> None:
    rules: v.RuleSet = {
        "email": [v.unique("vr_accounts")],
        "other_email": [v.unique("vr_accounts", "email")],
        "account_id": [v.exists("vr_accounts", "id")],
        "ids": [v.exists("vr_accounts", "id")],
    }
    data = {"email": "ada@example.com", "other_email": "x@y.z", "account_id": 7, "ids": [1, 2]}
    assert await check(session, data, rules) == {
        "email": ["The email has already been taken."],
        "account_id": ["The selected account id is invalid."],
    }
    assert len([s for s in tables if "vr_accounts" in s]) == 1


async def test_values_of_the_wrong_kind_fail_without_a_query(
    session: AsyncSession, tables: list[str]
) -> None:
    rules: v.RuleSet = {"email": [v.unique("vr_accounts")], "ids": [v.exists("vr_accounts", "id")]}
    found = await check(session, {"email": {"$ne": ""}, "ids": [{"id": 1}]}, rules)
    assert set(found) == {"email", "ids"}
    assert not [s for s in tables if "vr_accounts" in s]


async def test_a_field_failing_an_input_rule_is_not_sent_to_the_database(
    session: AsyncSession, tables: list[str]
) -> None:
    rules = {"email": [v.email(), v.unique("vr_accounts")]}
    found = await check(session, {"email": "nope"}, rules)
    assert found == {"email": ["The email field must be a valid email address."]}
    assert not [s for s in tables if "vr_accounts" in s]


async def test_database_rules_without_a_session_say_so() -> None:
    with pytest.raises(RuntimeError, match="needs a database session"):
        await v.Validator({"email": "a@b.c"}, {"email": [v.unique("users")]}).errors()


async def test_text_no_database_can_store_fails_instead_of_erroring(
    session: AsyncSession, tables: list[str]
) -> None:
    rules: v.RuleSet = {"email": [v.unique("vr_accounts")], "team": [v.exists("vr_accounts")]}
    found = await check(session, {"email": "a\x00b@example.com", "team": ["red\x00"]}, rules)
    assert set(found) == {"email", "team"}
