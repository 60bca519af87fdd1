"""A request is a unit of work: one session per request, events released only after commit.

Runs on SQLite and PostgreSQL inside the test transaction of the ``db`` fixture, through the
real app (``create_app``) and its middleware.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from fastapi import APIRouter
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.events import EventDispatcher
from foundry.http.app import create_app
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.kernel.errors import ConflictError
from foundry.testing import TestClient

metadata = MetaData()
notes = Table(
    "uow_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body", String(100), nullable=False),
)


@dataclass
class NoteCreated:
    body: str


router = APIRouter()


def _marker(session: AsyncSession) -> str:
    # Unique per session object: an id() may be reused once the first request's session is freed.
    marker: str = session.info.setdefault("test_marker", secrets.token_hex(8))
    return marker


@router.post("/notes", status_code=201)
async def store(
    body: dict[str, str], session: Inject[AsyncSession], events: Inject[EventDispatcher]
) -> dict[str, object]:
    await session.execute(insert(notes).values(body=body["body"]))
    await events.dispatch(NoteCreated(body["body"]))
    if body.get("reject"):
        await session.rollback()
        raise ConflictError("Rejected.")
    await session.commit()
    return {"session": _marker(session)}


@router.get("/notes")
async def index(session: Inject[AsyncSession]) -> dict[str, object]:
    rows = (await session.execute(select(notes.c.body).order_by(notes.c.id))).scalars().all()
    return {"data": list(rows), "session": _marker(session)}


@pytest.fixture
async def delivered(application: Application) -> list[str]:
    received: list[str] = []
    application.container.make(EventDispatcher).listen(
        NoteCreated, lambda event: received.append(event.body)
    )
    return received


@pytest.fixture
async def notes_client(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(metadata.create_all)
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api/v1")
    async with TestClient(app) as client:
        yield client


async def test_committed_request_releases_its_event_and_later_requests_see_the_row(
    notes_client: TestClient, delivered: list[str]
) -> None:
    created = (await notes_client.post("/api/v1/notes", json={"body": "first"})).assert_created()
    assert delivered == ["first"]
    listed = (await notes_client.get("/api/v1/notes")).assert_ok().assert_json({"data": ["first"]})
    assert listed.json()["session"] != created.json()["session"]


async def test_rolled_back_request_drops_its_event_and_its_row(
    notes_client: TestClient, delivered: list[str]
) -> None:
    response = await notes_client.post("/api/v1/notes", json={"body": "nope", "reject": "yes"})
    response.assert_status(409).assert_json({"message": "Rejected.", "error": "conflict"})
    assert delivered == []
    (await notes_client.get("/api/v1/notes")).assert_ok().assert_json_path("data", [])
