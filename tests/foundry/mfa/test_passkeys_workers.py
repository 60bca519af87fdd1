"""Challenges live in the database, not in a worker's memory: the options may come from one
worker and the answer reach another (two applications on one database stand for two uvicorn
workers), and a challenge spent on one is spent for all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from foundry.http.app import create_app
from foundry.testing import TestClient
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.mfa.test_passkeys_api import API, ORIGIN, login_options, register, sign_up
from tests.support.webauthn import SoftAuthenticator


@pytest.fixture
async def workers(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[tuple[TestClient, TestClient]]:
    """Two applications (two workers' worth of process state) on one migrated database."""
    await migrate_database(database_url)
    first = make_application(DATABASE_URL=database_url)
    second = make_application(DATABASE_URL=database_url)
    async with TestClient(create_app(first)) as one, TestClient(create_app(second)) as two:
        yield one, two


async def test_a_ceremony_may_end_on_another_worker(
    workers: tuple[TestClient, TestClient],
) -> None:
    one, two = workers
    headers = await sign_up(one)
    phone = SoftAuthenticator(origin=ORIGIN)
    options = (await one.post(f"{API}/passkeys/register/options", headers=headers)).json()
    body = {"name": "Phone", "credential": phone.create(options)}
    (await two.post(f"{API}/passkeys/register", headers=headers, json=body)).assert_created()

    options = await login_options(two)
    answer = phone.get(options)
    signed_in = await one.post(f"{API}/passkeys/login/verify", json={"credential": answer})
    signed_in.assert_ok().assert_json_path("user.email", "ada@example.com")
    replayed = await two.post(f"{API}/passkeys/login/verify", json={"credential": answer})
    replayed.assert_status(400).assert_json({"error": "invalid_challenge"})
    headers["Authorization"] = f"Bearer {signed_in.json()['access_token']}"  # a recent factor
    (await register(two, headers, SoftAuthenticator(origin=ORIGIN), "Key")).assert_created()
