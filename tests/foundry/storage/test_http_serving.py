"""The app serves the ``public`` disk under ``/storage`` and local disks' temporary URLs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from foundry.http.app import create_app
from foundry.storage import StorageManager
from foundry.storage.local_disk import signed_path
from foundry.testing import TestClient
from tests.conftest import MakeApplication


@pytest.fixture
async def web(make_application: MakeApplication, tmp_path: Path) -> AsyncIterator[TestClient]:
    env = {
        "APP_KEY": "base64:" + "B" * 43 + "=",
        "APP_URL": "http://app.test",
        "FILESYSTEM_LOCAL_ROOT": str(tmp_path / "private"),
        "FILESYSTEM_PUBLIC_ROOT": str(tmp_path / "public"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
    }
    async with TestClient(create_app(make_application(**env))) as client:
        yield client


def _manager(client: TestClient) -> StorageManager:
    assert client.application is not None
    return client.application.container.make(StorageManager)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_a_public_file_is_served_under_storage(web: TestClient) -> None:
    await _manager(web).disk("public").put("logos/app.png", b"\x89PNG data")
    response = await web.get("/storage/logos/app.png")
    response.assert_ok()
    assert response.response.content == b"\x89PNG data"
    response.assert_header("Content-Type", "image/png")
    response.assert_header("X-Content-Type-Options", "nosniff")


async def test_a_missing_public_file_is_a_json_404(web: TestClient) -> None:
    response = await web.get("/storage/nope.png")
    response.assert_not_found().assert_json({"error": "file_not_found"})


async def test_climbing_out_of_the_public_disk_is_refused(web: TestClient, tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text("s3cr3t")
    response = await web.get("/storage/..%2Fprivate%2Fsecret.txt")
    response.assert_status(400).assert_json({"error": "unsafe_path"})


async def test_an_uploaded_html_file_is_sent_as_a_download(web: TestClient) -> None:
    await _manager(web).disk("public").put("evil.html", "<script>alert(1)</script>")
    response = await web.get("/storage/evil.html")
    response.assert_ok().assert_header("Content-Disposition", "attachment")
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response.headers["Content-Security-Policy"]


async def test_a_temporary_url_of_a_local_disk_reads_a_private_file(web: TestClient) -> None:
    disk = _manager(web).disk("local")
    await disk.put("invoices/1.pdf", b"%PDF-1.7 invoice")
    url = await disk.temporary_url("invoices/1.pdf", 300)
    assert url.startswith("http://app.test/storage-temp/local/invoices/1.pdf?expires=")
    response = await web.get(_path_and_query(url))
    response.assert_ok()
    assert response.response.content == b"%PDF-1.7 invoice"


async def test_a_tampered_or_expired_temporary_url_is_a_403(web: TestClient) -> None:
    manager = _manager(web)
    disk = manager.disk("local")
    await disk.put("invoices/1.pdf", b"one")
    await disk.put("invoices/2.pdf", b"two")
    url = await disk.temporary_url("invoices/1.pdf", 300)
    tampered = _path_and_query(url).replace("1.pdf", "2.pdf")
    (await web.get(tampered)).assert_forbidden().assert_json({"error": "invalid_signature"})
    expired = manager.signer.sign(
        signed_path("local", "invoices/1.pdf"), expires_in=60, now=time.time() - 3600
    )
    (await web.get(expired)).assert_forbidden()
    unsigned = "/storage-temp/local/invoices/1.pdf"
    (await web.get(unsigned)).assert_forbidden()
