"""``db:seed``: runs seeders with progress, commits once, refuses production without --force."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from foundry.auth.jwt import KeyStore
from foundry.console.commands.seed import seeder_path
from tests.foundry.console.helpers import artisan

SAMPLES = "tests.foundry.console.sample_seeders"


def _count(database_url: str, table: str) -> int | None:
    """Rows in ``table``, or ``None`` when it does not exist."""

    async def query() -> int | None:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                try:
                    result = await connection.execute(text(f"SELECT COUNT(*) FROM {table}"))
                except Exception:
                    return None
                return int(result.scalar_one())
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_db_seed_runs_the_configured_default_seeder(database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "DB_SEEDER": f"{SAMPLES}.ShopSeeder"}
    result = artisan("db:seed", env=env)

    assert result.exit_code == 0, result.output
    assert "  ShopSeeder\n" in result.stdout and "  ProductSeeder\n" in result.stdout
    assert "  ReviewSeeder\n" in result.stdout
    assert "Database seeding completed successfully (3 seeders ran)." in result.stdout


def test_class_runs_that_seeder_and_those_it_calls_in_order(database_url: str) -> None:
    result = artisan(
        "db:seed", "--class", f"{SAMPLES}.ShopSeeder", env={"DATABASE_URL": database_url}
    )

    assert result.exit_code == 0, result.output
    shown = [
        line.strip()
        for line in result.stdout.splitlines()
        if line.startswith("  ") and "INFO" not in line
    ]
    assert shown == ["ShopSeeder", "ProductSeeder", "ReviewSeeder"]
    assert "(3 seeders ran)" in result.stdout
    assert _count(database_url, "products") == 2
    assert _count(database_url, "reviews") == 1


def test_a_failing_seeder_leaves_nothing_behind(database_url: str) -> None:
    # Create the table first (DDL is not transactional everywhere), then check no row stays.
    artisan(
        "db:seed", "--class", f"{SAMPLES}.ProductTableSeeder", env={"DATABASE_URL": database_url}
    )
    assert _count(database_url, "products") == 0

    result = artisan(
        "db:seed", "--class", f"{SAMPLES}.BrokenSeeder", env={"DATABASE_URL": database_url}
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == "ERROR  RuntimeError: the review service is down"
    assert _count(database_url, "products") == 0


def test_an_unknown_seeder_is_a_one_line_error(database_url: str) -> None:
    result = artisan("db:seed", "--class", "NoSuchSeeder", env={"DATABASE_URL": database_url})

    assert result.exit_code == 1
    assert "database.seeders.no_such_seeder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_refuses_without_force(database_url: str, tmp_path: Path) -> None:
    # Production starts only with a signing key of its own (not one another test left behind).
    KeyStore(tmp_path / "keys").generate()
    env = {
        "DATABASE_URL": database_url,
        "APP_ENV": "production",
        "JWT_KEYS_PATH": str(tmp_path / "keys"),
    }
    refused = artisan("db:seed", "--class", f"{SAMPLES}.ProductSeeder", env=env)

    assert refused.exit_code == 1
    assert "--force" in refused.stderr
    assert _count(database_url, "products") is None

    forced = artisan("db:seed", "--class", f"{SAMPLES}.ProductSeeder", "--force", env=env)

    assert forced.exit_code == 0, forced.output
    assert _count(database_url, "products") == 2


def test_short_seeder_names_map_to_one_module_per_seeder() -> None:
    assert seeder_path("DatabaseSeeder") == "database.seeders.database_seeder.DatabaseSeeder"
    assert seeder_path("UserRoleSeeder") == "database.seeders.user_role_seeder.UserRoleSeeder"
    assert seeder_path("my.module.Seeder") == "my.module.Seeder"
