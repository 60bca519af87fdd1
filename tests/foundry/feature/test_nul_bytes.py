"""A NUL byte anywhere a client can put one is a 4xx, never a 500 (PostgreSQL refuses 0x00).

Runs on SQLite and PostgreSQL; before the edge checks, PostgreSQL answered 500.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.queue import Queue
from foundry.testing import TestClient

NUL = "\x00"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/login", {"email": f"ada{NUL}@example.com", "password": "x"}, "email"),
        (
            "/api/v1/auth/register",
            {
                "name": f"Ada{NUL}",
                "email": "ada@example.com",
                "password": "correct horse battery",
                "password_confirmation": "correct horse battery",
            },
            "name",
        ),
        ("/api/v1/auth/forgot-password", {"email": f"ada@example.com{NUL}"}, "email"),
    ],
)
async def test_a_nul_byte_in_a_form_request_is_a_422(
    client: TestClient, db: AsyncConnection, path: str, body: dict[str, str], field: str
) -> None:
    fake = Queue.fake()

    response = await client.post(path, json=body)

    response.assert_unprocessable().assert_json_validation_errors(field)
    assert fake.recorded == []  # nothing queued (the reset mail job used to fail 3 times)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/users?filter[name]=a%00b", "/api/v1/users?sort=name%00", "/health?x=%00"],
)
async def test_a_nul_byte_in_the_query_string_is_a_400(
    client: TestClient, db: AsyncConnection, url: str
) -> None:
    response = await client.get(url)

    response.assert_status(400).assert_json({"error": "invalid_input"})


async def test_a_nul_byte_in_an_oauth_form_is_an_invalid_request(
    client: TestClient, db: AsyncConnection
) -> None:
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": f"app{NUL}", "client_secret": "s"},
    )

    response.assert_status(400)
    assert response.json()["error"] == "invalid_request"
