"""A request that fails in the database leaves no secret in any log line.

The database refuses to store a password hash (a trigger on SQLite, a ``CHECK`` constraint on
PostgreSQL), so registering and changing a password fail with a database error whose bound
parameters hold the name, the email and the new password hash. Everything logged at DEBUG is
captured twice: pytest's ``caplog`` records (with their tracebacks) and the lines the framework's
own handler writes, in both formats. None may show the plain password, a hash, the email, the
bearer token or the request body.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine
from foundry.database.manager import DatabaseManager
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.testing import TestClient
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory

PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "another long passphrase 97"
EMAIL = "ada.lovelace.secret@example.com"
NAME = "Ada Secret-Lovelace"
#: Every argon2 hash starts so; the hashes themselves are salted, so their text is unknown.
HASH_MARKERS = ("$argon2id$", "$2b$")

_SQLITE_REFUSALS = (
    "CREATE TRIGGER refuse_hash_insert BEFORE INSERT ON users "
    "WHEN NEW.password LIKE '%argon2id%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    "CREATE TRIGGER refuse_hash_update BEFORE UPDATE OF password ON users "
    "WHEN NEW.password LIKE '%argon2id%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
)
# NOT VALID: the rows already there keep their hashes; every new or changed row is checked.
_POSTGRES_REFUSAL = (
    "ALTER TABLE users ADD CONSTRAINT refuse_hashes "
    "CHECK (password NOT LIKE '%argon2id%') NOT VALID",
)


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at DEBUG and above, from every logger (SQLAlchemy's engine too)."""
    with caplog.at_level(logging.DEBUG):
        yield caplog


async def _refuse_hashes(application: Application) -> None:
    manager = application.container.make(DatabaseManager)
    statements = _SQLITE_REFUSALS if manager.url.startswith("sqlite") else _POSTGRES_REFUSAL
    async with manager.engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))


async def _login_token(application: Application) -> tuple[str, int]:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        user = await UserFactory.new().create(session)
        await session.commit()
    return application.container.make(JwtService).issue(str(user.id)).token, user.id


@pytest.mark.parametrize("log_format", ["json", "text"])
async def test_a_failing_statement_logs_no_secret(
    make_application: MakeApplication,
    database_url: str,
    captured: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    log_format: str,
) -> None:
    application = make_application(
        DATABASE_URL=database_url, LOG_LEVEL="DEBUG", LOG_FORMAT=log_format
    )
    manager = application.container.make(DatabaseManager)
    await migrate_database(manager.url, settings=manager.settings)
    token, _ = await _login_token(application)
    await _refuse_hashes(application)
    registration = {
        "name": NAME,
        "email": EMAIL,
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
    }
    change = {
        "current_password": "password",
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
    }

    async with TestClient(create_app(application)) as client:
        registered = await client.post("/api/v1/auth/register", json=registration)
        changed = await client.post(
            "/api/v1/auth/password", json=change, headers={"Authorization": f"Bearer {token}"}
        )

    # The database refused both, so the logs were written by real failures: registration reads
    # an integrity error on insert as a concurrent sign-up with that email (422); the password
    # change is a 500...
    registered.assert_unprocessable().assert_json_validation_errors("email")
    changed.assert_status(500)
    # ...and the framework logged them, the way it logs every unhandled error.
    assert any(record.levelno >= logging.ERROR for record in captured.records)
    records = "\n".join(
        logging.Formatter().format(record) + repr(record.__dict__) for record in captured.records
    )
    written = capsys.readouterr()
    logged = records + written.out + written.err
    assert "Unhandled" in written.out + written.err  # the framework's handler wrote its lines
    for secret in (PASSWORD, NEW_PASSWORD, EMAIL, NAME, token, *HASH_MARKERS):
        assert secret not in logged, f"{secret!r} reached the logs"
    for body in (json.dumps(registration), json.dumps(change)):
        assert body not in logged
    assert f"Bearer {token}" not in logged


async def test_a_unique_violation_traceback_shows_no_row_values(database_url: str) -> None:
    """PostgreSQL's ``DETAIL: Key (email)=(...) already exists`` is dropped; the class stays."""
    engine = create_engine(DatabaseSettings.load(), url=database_url, pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE people (email VARCHAR(255) UNIQUE)"))
            insert = text("INSERT INTO people (email) VALUES (:email)")
            await connection.execute(insert, {"email": EMAIL})
            with pytest.raises(IntegrityError) as raised:
                await connection.execute(insert, {"email": EMAIL})
    finally:
        await engine.dispose()

    printed = "".join(traceback.format_exception(raised.value))
    assert EMAIL not in printed
    assert "unique" in printed.lower()  # what went wrong is still said
