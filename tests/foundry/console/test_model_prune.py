"""``model:prune`` over Prunable and MassPrunable models, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.foundry.console.helpers import artisan
from tests.foundry.console.sample_prunable import PRUNED, PruneBase, StaleLog, Visit

MODULE = "tests.foundry.console.sample_prunable"


def _run_sql(database_url: str, *work: object) -> list[tuple[bool, ...]]:
    async def run() -> list[tuple[bool, ...]]:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(PruneBase.metadata.create_all)
                for statement in work:
                    await connection.execute(statement)  # type: ignore[call-overload]  # inserts
            async with engine.connect() as connection:
                logs = (await connection.execute(select(StaleLog.stale))).all()
                visits = (await connection.execute(select(Visit.stale))).all()
                return [
                    tuple(sorted(r.stale for r in logs)),
                    tuple(sorted(r.stale for r in visits)),
                ]
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    rows = [{"stale": i < 5} for i in range(7)]  # five stale, two fresh: three chunks of two
    _run_sql(database_url, insert(StaleLog).values(rows), insert(Visit).values(rows))
    PRUNED.clear()
    yield {"DATABASE_URL": database_url, "DB_MODEL_MODULES": f'["{MODULE}"]'}
    PRUNED.clear()


def _rows(env: dict[str, str]) -> list[tuple[bool, ...]]:
    return _run_sql(env["DATABASE_URL"])


def test_pretend_counts_without_deleting(env: dict[str, str]) -> None:
    result = artisan("model:prune", "--pretend", env=env)

    assert result.exit_code == 0, result.stderr
    assert f"5 [{MODULE}.StaleLog] records will be pruned." in result.stdout
    assert f"5 [{MODULE}.Visit] records will be pruned." in result.stdout
    assert _rows(env) == [(False,) * 2 + (True,) * 5] * 2
    assert PRUNED == []


def test_prune_deletes_the_prunable_rows_of_every_prunable_model(env: dict[str, str]) -> None:
    result = artisan("model:prune", env=env)

    assert result.exit_code == 0, result.stderr
    assert f"{MODULE}.StaleLog" in result.stdout and f"{MODULE}.Visit" in result.stdout
    assert result.stdout.count("5 records pruned") == 2
    assert "AuditEntry" not in result.stdout
    assert _rows(env) == [(False, False), (False, False)]
    assert sorted(PRUNED) == [1, 2, 3, 4, 5]  # Prunable ran each row's pruning() hook


def test_model_option_prunes_only_that_model(env: dict[str, str]) -> None:
    result = artisan("model:prune", "--model", "Visit", env=env)

    assert result.exit_code == 0, result.stderr
    assert "StaleLog" not in result.stdout
    assert _rows(env) == [(False,) * 2 + (True,) * 5, (False, False)]
    assert PRUNED == []  # MassPrunable: no per-row hook


def test_a_model_that_is_not_prunable_is_refused(env: dict[str, str]) -> None:
    result = artisan("model:prune", "--model", f"{MODULE}.AuditEntry", env=env)

    assert result.exit_code == 1
    assert "[AuditEntry] is not prunable" in result.stderr
    assert _rows(env) == [(False,) * 2 + (True,) * 5] * 2
