"""A local disk asked to write where a directory is, or under a file: a 409, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.storage import Storage, StorageManager
from foundry.storage.errors import PathConflictError
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.storage.conftest import APP_KEY, storage_app

router = APIRouter()


@router.put("/notes/{name:path}", status_code=201)
async def save_note(name: str) -> dict[str, str]:
    return {"path": await Storage.disk("local").put(f"notes/{name}", "text")}


async def test_writing_over_a_directory_or_under_a_file_is_a_conflict(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    disk = storage_app(make_application, tmp_path).container.make(StorageManager).disk("local")
    await disk.put("reports/2026/today.txt", "hello")

    with pytest.raises(PathConflictError):
        await disk.put("reports/2026", "over a directory")
    with pytest.raises(PathConflictError):
        await disk.put("reports/2026/today.txt/inside", "under a file")
    with pytest.raises(PathConflictError):
        await disk.move("reports/2026/today.txt", "reports")
    # Nothing was lost or left behind (no half-written temporary file).
    assert await disk.get("reports/2026/today.txt") == b"hello"
    assert await disk.all_files() == ["reports/2026/today.txt"]


@pytest.fixture
async def api(
    make_application: MakeApplication, database_url: str, tmp_path: Path, db: AsyncConnection
) -> AsyncIterator[TestClient]:
    application: Application = make_application(
        DATABASE_URL=database_url,
        APP_KEY=APP_KEY,
        FILESYSTEM_LOCAL_ROOT=str(tmp_path / "private"),
        FILESYSTEM_PUBLIC_ROOT=str(tmp_path / "public"),
    )
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


async def test_in_a_request_the_conflict_is_a_409(api: TestClient) -> None:
    (await api.put("/api/notes/a/b")).assert_status(201)

    over_directory = await api.put("/api/notes/a")
    under_file = await api.put("/api/notes/a/b/c")

    for response in (over_directory, under_file):
        response.assert_status(409)
        assert response.json()["error"] == "path_conflict"
