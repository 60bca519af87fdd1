"""Presence types and aware datetimes in form requests, through a real app and database.

Runs on SQLite and PostgreSQL: ``fr_posts.title`` is NOT NULL and ``published_at`` is a
timezone-aware column, so a null or a naive datetime that got past validation would be a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry import validation as v
from foundry.database.types import UtcDateTime
from foundry.http.app import create_app
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.http.requests import FormRequest, Validated
from foundry.kernel.application import Application
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan

metadata = MetaData()
posts = Table(
    "fr_posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(100), nullable=False),
    Column("summary", String(100), nullable=True),
    Column("published_at", UtcDateTime(), nullable=True),
)


class UpdatePostRequest(FormRequest):
    title: v.Sometimes[str] = Field(max_length=100)
    summary: v.Nullable[str]
    published_at: v.Sometimes[datetime]


class StrictPostRequest(FormRequest):
    slug: v.Required[str]
    body: v.Filled[str]
    tags: v.Present[list[str]]
    author_id: v.Prohibited

    def messages(self) -> Mapping[str, str]:
        return {"body.filled": "Write something in the :attribute."}

    def attributes(self) -> Mapping[str, str]:
        return {"slug": "address"}


router = APIRouter()


@router.patch("/posts/{post_id:int}")
async def update_post(
    post_id: int, data: Validated[UpdatePostRequest], session: Inject[AsyncSession]
) -> dict[str, Any]:
    changes = data.validated()
    if changes:
        await session.execute(update(posts).where(posts.c.id == post_id).values(**changes))
        await session.commit()
    row = (await session.execute(select(posts).where(posts.c.id == post_id))).one()
    return {"sent": sorted(changes), **row._asdict()}


@router.post("/strict")
async def strict(data: Validated[StrictPostRequest]) -> dict[str, Any]:
    return {"sent": sorted(data.validated()), "body": data.body, "tags": data.tags}


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(DATABASE_URL=database_url, APP_TIMEZONE="Europe/Paris")


@pytest.fixture
async def api(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(metadata.create_all)
    await db.execute(insert(posts), [{"id": 1, "title": "Hello", "summary": "Hi"}])
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


async def _row(db: AsyncConnection) -> dict[str, Any]:
    return dict((await db.execute(select(posts).where(posts.c.id == 1))).one()._mapping)


async def test_null_for_a_sometimes_field_is_a_422_not_a_database_error(
    api: TestClient, db: AsyncConnection
) -> None:
    response = await api.patch("/api/posts/1", json={"title": None})
    response.assert_exact_json(
        {
            "message": "The title field must be a string.",
            "errors": {"title": ["The title field must be a string."]},
        }
    )
    assert (await _row(db))["title"] == "Hello"


async def test_a_left_out_field_is_untouched_and_a_sent_one_is_updated(
    api: TestClient, db: AsyncConnection
) -> None:
    untouched = await api.patch("/api/posts/1", json={"summary": "Short"})
    untouched.assert_ok().assert_json({"sent": ["summary"], "title": "Hello", "summary": "Short"})
    updated = await api.patch("/api/posts/1", json={"title": "Bonjour"})
    updated.assert_ok().assert_json({"sent": ["title"], "title": "Bonjour", "summary": "Short"})
    assert (await _row(db))["title"] == "Bonjour"


async def test_null_clears_a_nullable_field(api: TestClient, db: AsyncConnection) -> None:
    (await api.patch("/api/posts/1", json={"summary": None})).assert_ok()
    assert (await _row(db))["summary"] is None


async def test_constraints_still_apply_to_a_sometimes_field(api: TestClient) -> None:
    response = await api.patch("/api/posts/1", json={"title": "x" * 101})
    response.assert_json_validation_errors(
        {"title": "The title field must not be greater than 100 characters."}
    )


async def test_naive_datetimes_are_read_in_the_app_timezone(
    api: TestClient, db: AsyncConnection
) -> None:
    response = await api.patch("/api/posts/1", json={"published_at": "2026-03-01T09:00:00"})
    response.assert_ok()
    # 09:00 in Paris (UTC+1 in March) is 08:00 UTC.
    assert (await _row(db))["published_at"] == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    aware = await api.patch("/api/posts/1", json={"published_at": "2026-07-01T09:00:00Z"})
    aware.assert_ok()
    assert (await _row(db))["published_at"] == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("sent", ["0001-01-01T00:05:00", "9999-12-31T23:30:00-01:00"])
async def test_datetimes_with_no_utc_equivalent_are_a_422(api: TestClient, sent: str) -> None:
    response = await api.patch("/api/posts/1", json={"published_at": sent})
    response.assert_json_validation_errors(
        {"published_at": "The published at field must be a valid date and time."}
    )


async def test_presence_types_answer_with_laravels_messages(api: TestClient) -> None:
    payload = {"slug": "  ", "body": "", "author_id": 7}
    response = await api.post("/api/strict", json=payload)
    response.assert_exact_json(
        {
            "message": "The address field is required. (and 3 more errors)",
            "errors": {
                "slug": ["The address field is required."],
                "body": ["Write something in the body."],
                "tags": ["The tags field must be present."],
                "author_id": ["The author id field is prohibited."],
            },
        }
    )


async def test_presence_types_accept_what_laravel_accepts(api: TestClient) -> None:
    ok = await api.post("/api/strict", json={"slug": "a", "tags": None, "author_id": None})
    ok.assert_ok().assert_json({"sent": ["author_id", "slug", "tags"], "body": None})
    listed = await api.post("/api/strict", json={"slug": "a", "body": "Hi", "tags": []})
    listed.assert_ok().assert_json({"body": "Hi", "tags": []})
    null_body = await api.post("/api/strict", json={"slug": "a", "body": None, "tags": []})
    null_body.assert_json_validation_errors({"body": "Write something in the body."})


async def test_openapi_shows_sometimes_fields_as_optional_and_not_nullable(
    api: TestClient,
) -> None:
    spec = (await api.get("/openapi.json")).assert_ok().json()
    path = spec["paths"]["/api/posts/{post_id}"]["patch"]
    schema = path["requestBody"]["content"]["application/json"]["schema"]
    assert "required" not in schema
    assert schema["properties"]["title"] == {"type": "string", "maxLength": 100, "title": "Title"}
    summary = schema["properties"]["summary"]["anyOf"]
    assert {"type": "null"} in summary


def test_the_generated_update_request_uses_sometimes(tmp_path: Path) -> None:
    result = artisan("make:request", "UpdatePostRequest", "--path", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    source = (tmp_path / "app/http/requests/update_post_request.py").read_text()
    assert "from foundry.validation import BaseRule, Sometimes" in source
    assert "title: Sometimes[str]" in source
    store = artisan("make:request", "StorePostRequest", "--path", str(tmp_path))
    assert store.exit_code == 0, store.stderr
    assert "Sometimes" not in (tmp_path / "app/http/requests/store_post_request.py").read_text()
