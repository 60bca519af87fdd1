"""artisan ``--as`` (and ``ACTIVITY_CAUSER``) names the causer; ``activitylog:clean``."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from foundry.activity import Activity
from tests.foundry.console.helpers import artisan

PASSWORD = "correct horse battery staple"


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    values = {
        "DATABASE_URL": database_url,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    for name in ("Ada", "Bob"):
        created = artisan(
            "user:create", "--name", name, "--email", f"{name.lower()}@example.com",
            "--password", PASSWORD, env=values,
        )  # fmt: skip
        assert created.exit_code == 0, created.output
    assert artisan("permission:create-role", "editor", env=values).exit_code == 0
    assert artisan("permission:create-role", "auditor", env=values).exit_code == 0
    yield values


def _run(
    database_url: str, work: str, rows: list[dict[str, object]] | None = None
) -> list[Activity]:
    async def query() -> list[Activity]:
        engine = create_async_engine(database_url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                if rows:
                    await session.execute(insert(Activity), rows)
                    await session.commit()
                stmt = select(Activity).where(Activity.log_name.like(work)).order_by(Activity.id)
                return list((await session.scalars(stmt)).all())
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_as_names_the_causer_of_what_a_command_logs(env: dict[str, str]) -> None:
    assigned = artisan(
        "user:assign-role", "bob@example.com", "editor", "--as", "ada@example.com", env=env
    )
    assert assigned.exit_code == 0, assigned.output
    by_env = artisan(
        "user:assign-role", "bob@example.com", "auditor", env={**env, "ACTIVITY_CAUSER": "2"}
    )
    assert by_env.exit_code == 0, by_env.output
    nobody = artisan("user:assign-role", "ada@example.com", "auditor", env=env)
    assert nobody.exit_code == 0, nobody.output

    editor, auditor, plain = _run(env["DATABASE_URL"], "access")
    assert (editor.event, editor.properties["roles"]) == ("role_assigned", ["editor"])
    assert (editor.subject_type, editor.subject_id) == ("users", "2")
    assert (editor.causer_type, editor.causer_id) == ("users", "1")  # ada, by email
    assert auditor.causer_id == "2"  # ACTIVITY_CAUSER=2: bob himself
    assert plain.causer_id is None


def test_as_an_unknown_user_stops_the_command(env: dict[str, str]) -> None:
    result = artisan("user:assign-role", "bob@example.com", "editor", "--as=ghost@x.io", env=env)
    assert result.exit_code == 1
    assert "no such user" in result.output
    assert _run(env["DATABASE_URL"], "access") == []
    missing = artisan("user:assign-role", "bob@example.com", "editor", "--as", env=env)
    assert missing.exit_code == 2 and "--as needs a user" in missing.output


def test_clean_deletes_entries_older_than_the_days_given(env: dict[str, str]) -> None:
    now = datetime.now(UTC)

    def row(log: str, age: int) -> dict[str, object]:
        return {
            "log_name": f"old-{log}",
            "description": f"{log} {age}d",
            "properties": {},
            "created_at": now - timedelta(days=age),
        }

    rows = [row("auth", 400), row("auth", 40), row("auth", 1), row("billing", 400)]
    assert len(_run(env["DATABASE_URL"], "old-%", rows)) == 4

    only_auth = artisan("activitylog:clean", "old-auth", "--days=30", env=env)
    assert only_auth.exit_code == 0, only_auth.output
    assert "Deleted 2 record(s)" in only_auth.stdout
    default = artisan("activitylog:clean", env=env)  # 365 days (config/activitylog.py)
    assert "Deleted 1 record(s)" in default.stdout
    left = _run(env["DATABASE_URL"], "old-%")
    assert [entry.description for entry in left] == ["auth 1d"]
    refused = artisan("activitylog:clean", "--days=0", env=env)
    assert refused.exit_code == 2
