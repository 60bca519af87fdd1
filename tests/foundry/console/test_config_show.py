"""``config:show``: the settings in effect by dot path, secrets masked."""

from __future__ import annotations

from tests.foundry.console.helpers import artisan

APP_KEY = "base64:c2VjcmV0LWtleS1ieXRlcy10aGF0LW11c3Qtbm90LWxlYWs="


def test_secrets_are_masked_and_the_rest_is_shown() -> None:
    result = artisan(
        "config:show",
        env={
            "APP_KEY": APP_KEY,
            "APP_NAME": "Shop",
            "DATABASE_URL": "postgresql+asyncpg://shop:hunter2-db@db.internal:5432/shop",
            "MAIL_PASSWORD": "smtp-pass-123",
            "REDIS_URL": "redis://:redis-pass-456@cache.internal:6379/0",
        },
    )

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for secret in (APP_KEY, "hunter2-db", "smtp-pass-123", "redis-pass-456"):
        assert secret not in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert lines["app.key"].endswith(" ********")
    assert lines["mail.password"].endswith(" ********")
    assert lines["app.previous_keys"].endswith(" (not set)")
    assert "(APP_NAME)" in lines["app.name"] and lines["app.name"].endswith(" Shop")
    assert lines["database.url"].endswith(
        " postgresql+asyncpg://shop:********@db.internal:5432/shop"
    )
    assert lines["redis.url"].endswith(" redis://:********@cache.internal:6379/0")
    assert lines["jwt.key_size"].split()[-1].isdigit()  # a number is never a secret


def test_one_area() -> None:
    result = artisan("config:show", "database", env={"DB_SEEDER": "ShopSeeder"})

    assert result.exit_code == 0, result.stderr
    keys = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert keys and all(key.startswith("database.") for key in keys)
    assert any(line.endswith(" ShopSeeder") for line in result.stdout.splitlines())


def test_an_unknown_area_fails_naming_the_known_ones() -> None:
    result = artisan("config:show", "nope")

    assert result.exit_code == 1
    assert "Config area [nope] does not exist" in result.stderr and "database" in result.stderr
