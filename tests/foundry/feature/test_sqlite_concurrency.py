"""Concurrent logins on SQLite: each waits for the write lock, none fails with a 500."""

from __future__ import annotations

import asyncio
from pathlib import Path

from foundry.http.app import create_app
from foundry.testing import TestClient, migrate_database
from tests.conftest import MakeApplication

PASSWORD = "correct horse battery staple"


async def test_concurrent_logins_all_succeed(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(url)
    async with TestClient(create_app(make_application(DATABASE_URL=url))) as client:
        body = {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}
        registered = await client.post(
            "/api/v1/auth/register", json={**body, "password_confirmation": PASSWORD}
        )
        registered.assert_created()
        credentials = {"email": "ada@example.com", "password": PASSWORD}
        logins = await asyncio.gather(
            *(client.post("/api/v1/auth/login", json=credentials) for _ in range(8))
        )
    assert [response.status_code for response in logins] == [200] * 8
