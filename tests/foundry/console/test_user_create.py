"""``user:create``: flags, prompts, and the refusals (bad email, weak password, duplicate)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner, Result

from foundry.auth.passwords import PasswordHasher
from foundry.config.auth import AuthSettings
from foundry.console.kernel import build_artisan
from tests.foundry.console.helpers import artisan

STRONG = "correct horse battery staple"


def _answering(answers: str, *args: str, env: dict[str, str]) -> Result:
    """``artisan ARGS`` with ``answers`` typed on standard input."""
    return CliRunner().invoke(
        build_artisan(), list(args), env=env, input=answers, prog_name="artisan"
    )


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own."""
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def _rows(database_url: str) -> list[dict[str, Any]]:
    async def query() -> list[dict[str, Any]]:
        from tests.foundry.testbench.models import User

        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                columns = (User.id, User.name, User.email, User.password, User.email_verified_at)
                result = await connection.execute(select(*columns).order_by(User.id))
                return [dict(row._mapping) for row in result]
        finally:
            await engine.dispose()

    return asyncio.run(query())


def _verifies(hashed: str, password: str) -> bool:
    async def check() -> bool:
        hasher = PasswordHasher(AuthSettings())
        try:
            return await hasher.verify(hashed, password)
        finally:
            hasher.close()

    return asyncio.run(check())


def test_flags_create_a_verified_user_and_print_only_the_id(env: dict[str, str]) -> None:
    result = artisan(
        "user:create",
        "--name",
        "Ada Lovelace",
        "--email",
        "Ada@Example.COM",
        "--password",
        STRONG,
        "--verified",
        env=env,
    )

    assert result.exit_code == 0, result.output
    [row] = _rows(env["DATABASE_URL"])
    assert row["name"] == "Ada Lovelace" and row["email"] == "ada@example.com"
    assert row["email_verified_at"] is not None
    assert row["password"].startswith("$argon2id$") and _verifies(row["password"], STRONG)
    assert result.stdout.splitlines()[-1] == str(row["id"])
    assert f"User [{row['id']}] created." in result.stdout
    assert STRONG not in result.output


def test_prompts_ask_for_missing_values_with_a_hidden_confirmed_password(
    env: dict[str, str],
) -> None:
    answers = f"Grace Hopper\ngrace@example.com\n{STRONG}\n{STRONG}\n"

    result = _answering(answers, "user:create", "--interactive", env=env)

    assert result.exit_code == 0, result.output
    [row] = _rows(env["DATABASE_URL"])
    assert (row["name"], row["email"], row["email_verified_at"]) == (
        "Grace Hopper",
        "grace@example.com",
        None,
    )
    assert _verifies(row["password"], STRONG)
    assert "Repeat for confirmation" in result.stdout
    assert STRONG not in result.output  # hidden: not echoed


def test_a_password_typed_differently_twice_is_asked_again(env: dict[str, str]) -> None:
    answers = f"{STRONG}\nsomething else entirely\n{STRONG}\n{STRONG}\n"

    result = _answering(
        answers, "user:create", "--interactive", "--name", "Al", "--email", "al@example.com",
        env=env,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower()
    assert len(_rows(env["DATABASE_URL"])) == 1


def test_without_a_terminal_a_missing_value_is_an_error(env: dict[str, str]) -> None:
    result = artisan("user:create", "--name", "Ada", "--email", "ada@example.com", env=env)

    assert result.exit_code == 1
    assert "no password given" in result.stderr.lower()
    assert _rows(env["DATABASE_URL"]) == []


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "ada@@example.com", " "])
def test_a_malformed_email_is_refused(env: dict[str, str], email: str) -> None:
    result = artisan(
        "user:create", "--name", "Ada", "--email", email, "--password", STRONG, env=env
    )

    assert result.exit_code == 1
    assert "email is not valid" in result.stderr
    assert _rows(env["DATABASE_URL"]) == []


@pytest.mark.parametrize("password", ["short", "ada@example.com"])
def test_a_weak_password_is_refused_without_being_shown(env: dict[str, str], password: str) -> None:
    result = artisan(
        "user:create", "--name", "Ada", "--email", "ada@example.com", "--password", password,
        env=env,
    )  # fmt: skip

    assert result.exit_code == 1
    assert "password is too weak" in result.stderr
    assert password not in result.stderr.replace("password is too weak", "")
    assert _rows(env["DATABASE_URL"]) == []


def test_a_duplicate_email_is_refused_whatever_its_case(env: dict[str, str]) -> None:
    first = ("--name", "Ada", "--email", "ada@example.com", "--password", STRONG)
    assert artisan("user:create", *first, env=env).exit_code == 0

    again = artisan(
        "user:create", "--name", "Other", "--email", "ADA@example.com", "--password", STRONG,
        env=env,
    )  # fmt: skip

    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert [row["name"] for row in _rows(env["DATABASE_URL"])] == ["Ada"]
