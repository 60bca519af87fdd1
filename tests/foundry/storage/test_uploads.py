"""Uploading files through a form request: multipart parsing, file rules, storing, size limits."""

from __future__ import annotations

import io
import json
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry import validation as v
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.requests import FormRequest, Validated
from foundry.kernel.application import Application
from foundry.storage import Storage, UploadedFile
from foundry.testing import TestClient
from foundry.validation import BaseRule
from tests.conftest import MakeApplication
from tests.foundry.storage.conftest import APP_KEY

KIB = 1024


class AvatarRequest(FormRequest):
    name: str
    age: v.Sometimes[int]
    avatar: UploadedFile

    def rules(self) -> Mapping[str, Sequence[BaseRule]]:
        return {"avatar": [v.image(), v.max(64), v.dimensions(max_width=200, max_height=200)]}


class DocumentsRequest(FormRequest):
    documents: list[UploadedFile]

    def rules(self) -> Mapping[str, Sequence[BaseRule]]:
        return {"documents.*": [v.file(), v.mimes("pdf", "txt"), v.max(1024)]}


class NoteRequest(FormRequest):
    title: str
    pages: int


router = APIRouter()


@router.post("/notes")
async def store_note(data: Validated[NoteRequest]) -> dict[str, Any]:
    return {"title": data.title, "pages": data.pages}


@router.post("/avatars", status_code=201)
async def store_avatar(data: Validated[AvatarRequest]) -> dict[str, Any]:
    path = await data.avatar.store("avatars", disk="s3")
    return {"path": path, "name": data.name, "age": data.age if "age" in data.validated() else None}


@router.post("/documents", status_code=201)
async def store_documents(data: Validated[DocumentsRequest]) -> dict[str, Any]:
    paths = [
        await document.store_as("docs", document.client_name, disk="s3")
        for document in data.documents
    ]
    return {"paths": paths}


@pytest.fixture
def application(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> Application:
    return make_application(
        DATABASE_URL=database_url,
        APP_KEY=APP_KEY,
        FILESYSTEM_LOCAL_ROOT=str(tmp_path / "private"),
        FILESYSTEM_PUBLIC_ROOT=str(tmp_path / "public"),
    )


@pytest.fixture
async def api(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


async def test_an_image_is_validated_and_stored_on_the_named_disk(api: TestClient) -> None:
    disk = Storage.fake("s3")
    image = png(120, 80)
    response = await api.post(
        "/api/avatars",
        data={"name": "Ada", "age": "36"},
        files={"avatar": ("me.jpeg", image, "image/jpeg")},
    )
    response.assert_created()
    body = response.json()
    assert body["name"] == "Ada" and body["age"] == 36
    # Named from the contents (a PNG), never from the client's file name.
    assert body["path"].startswith("avatars/") and body["path"].endswith(".png")
    await disk.assert_exists(body["path"], image)


async def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(api: TestClient) -> None:
    disk = Storage.fake("s3")
    response = await api.post(
        "/api/avatars",
        data={"name": "Ada"},
        files={"avatar": ("photo.png", b"<script>alert(1)</script>", "image/png")},
    )
    response.assert_json_validation_errors({"avatar": "The avatar field must be an image."})
    assert await disk.all_files() == []


async def test_image_dimensions_are_checked(api: TestClient) -> None:
    Storage.fake("s3")
    response = await api.post(
        "/api/avatars", data={"name": "Ada"}, files={"avatar": ("big.png", png(300, 50))}
    )
    response.assert_json_validation_errors(
        {"avatar": "The avatar field has invalid image dimensions."}
    )


async def test_a_missing_file_and_a_text_value_for_a_file_are_422s(api: TestClient) -> None:
    Storage.fake("s3")
    missing = await api.post("/api/avatars", data={"name": "Ada"}, files={"x": ("a", b"")})
    missing.assert_json_validation_errors({"avatar": "required"})
    as_text = await api.post("/api/avatars", json={"name": "Ada", "avatar": "me.png"})
    as_text.assert_json_validation_errors({"avatar": "The avatar field must be a file."})


async def test_a_file_over_its_max_is_refused_before_the_body_is_read_whole(
    api: TestClient,
) -> None:
    disk = Storage.fake("s3")
    boundary = "foundry-boundary"
    sent: list[int] = []
    total = 4 * 1024 * KIB  # 4 MiB, against a 64 KB limit

    async def body() -> AsyncIterator[bytes]:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; '
            'filename="huge.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        yield head
        chunk = png(10, 10) + b"\x00" * (64 * KIB)
        while sum(sent) < total:
            sent.append(len(chunk))
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await api.post(
        "/api/avatars",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    response.assert_exact_json(
        {
            "message": "The avatar field must not be greater than 64 kilobytes.",
            "errors": {"avatar": ["The avatar field must not be greater than 64 kilobytes."]},
        }
    )
    assert sum(sent) < total / 4, f"{sum(sent)} of {total} bytes were read"
    assert await disk.all_files() == []


async def test_a_body_over_max_body_size_is_a_413(
    make_application: MakeApplication, database_url: str, tmp_path: Path, db: AsyncConnection
) -> None:
    app = create_app(make_application(DATABASE_URL=database_url, MAX_BODY_SIZE="10000"))
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        response = await client.post(
            "/api/avatars", data={"name": "Ada"}, files={"avatar": ("a.png", os.urandom(20_000))}
        )
    response.assert_status(413).assert_json({"error": "payload_too_large"})


async def test_several_files_in_one_field_each_checked_and_stored(api: TestClient) -> None:
    disk = Storage.fake("s3")
    ok = await api.post(
        "/api/documents",
        files=[
            ("documents[]", ("notes.txt", b"plain notes\n", "text/plain")),
            ("documents[]", ("spec.pdf", b"%PDF-1.7\n...", "application/pdf")),
        ],
    )
    ok.assert_created().assert_json({"paths": ["docs/notes.txt", "docs/spec.pdf"]})
    await disk.assert_exists("docs/notes.txt", "plain notes\n")
    refused = await api.post(
        "/api/documents",
        files=[
            ("documents[]", ("notes.txt", b"plain notes\n", "text/plain")),
            ("documents[]", ("run.pdf", b"\x7fELF\x02\x01", "application/pdf")),
        ],
    )
    refused.assert_json_validation_errors(
        {"documents.1": "The documents.1 field must be a file of type: pdf, txt."}
    )


async def test_a_malformed_multipart_body_is_a_400(api: TestClient) -> None:
    response = await api.post(
        "/api/avatars",
        content=b"--x\r\nnonsense",
        headers={"Content-Type": "multipart/form-data"},
    )
    response.assert_status(400)
    assert json.loads(response.text)["error"] == "invalid_multipart"


async def test_a_form_without_files_reads_its_text_fields_as_typed_values(api: TestClient) -> None:
    sent = await api.post("/api/notes", files={"title": (None, "Draft"), "pages": (None, "12")})
    sent.assert_ok().assert_exact_json({"title": "Draft", "pages": 12})
    wrong = await api.post("/api/notes", files={"title": (None, "Draft"), "pages": (None, "x")})
    wrong.assert_json_validation_errors({"pages": "must be an integer"})
    # JSON keeps its strictness: a number sent as a string is refused there.
    strict = await api.post("/api/notes", json={"title": "Draft", "pages": "12"})
    strict.assert_json_validation_errors(["pages"])
