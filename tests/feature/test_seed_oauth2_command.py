"""``artisan db:seed-oauth2``: the application's command for its demo OAuth2 clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.artisan import artisan, artisan_process


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own."""
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def test_seed_oauth2_is_idempotent_and_shows_the_secret_once(env: dict[str, str]) -> None:
    first = artisan("db:seed-oauth2", env=env)
    assert first.exit_code == 0, first.output
    assert "foundry-demo" in first.stdout and "foundry-spa" in first.stdout
    assert "Client secret" in first.stdout
    second = artisan("db:seed-oauth2", env=env)
    assert second.exit_code == 0
    assert "Client secret" not in second.stdout and "exists" in second.stdout


@pytest.mark.parametrize(
    "command",
    [
        ("db:seed-oauth2",),
        ("oauth:client", "--name", "CLI", "--public", "--redirect", "http://127.0.0.1/cb"),
    ],
)
def test_oauth_commands_work_in_a_fresh_process(
    env: dict[str, str], command: tuple[str, ...]
) -> None:
    # A fresh interpreter has imported no user model: the clients' foreign key to ``users``
    # must still resolve (it did not, before the database provider loaded every model).
    done = artisan_process(*command, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
