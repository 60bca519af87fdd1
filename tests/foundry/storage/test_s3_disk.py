"""The S3 disk against moto's S3 server: URLs, prefixes, and a large upload that streams."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from foundry.storage import S3Disk, StorageError, StorageManager
from foundry.storage.s3_upload import MULTIPART_THRESHOLD
from tests.conftest import MakeApplication
from tests.foundry.storage.conftest import storage_app

pytestmark = pytest.mark.s3

MIB = 1024 * 1024


@pytest.fixture
def s3(make_application: MakeApplication, tmp_path: Path, s3_env: dict[str, str]) -> S3Disk:
    app = storage_app(make_application, tmp_path, **s3_env)
    disk = app.container.make(StorageManager).disk("s3")
    assert isinstance(disk, S3Disk)
    return disk


async def test_a_temporary_url_is_a_presigned_url_that_reads_the_file(s3: S3Disk) -> None:
    await s3.put("private/report.txt", "for your eyes")
    url = await s3.temporary_url("private/report.txt", timedelta(minutes=5))
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    async with httpx.AsyncClient() as client:
        assert (await client.get(url)).content == b"for your eyes"


async def test_the_public_url_of_a_public_file_reads_it(s3: S3Disk) -> None:
    await s3.put("avatars/a b.txt", "hi", visibility="public")
    url = s3.url("avatars/a b.txt")
    assert url == f"{s3.config.endpoint}/{s3.config.bucket}/avatars/a%20b.txt"
    async with httpx.AsyncClient() as client:
        assert (await client.get(url)).content == b"hi"


async def test_a_prefix_keeps_several_apps_apart_in_one_bucket(
    make_application: MakeApplication, tmp_path: Path, s3_env: dict[str, str]
) -> None:
    config = '{"tenant": {"driver": "s3", "key": "%s", "secret": "%s", "bucket": "%s", ' % (
        s3_env["AWS_ACCESS_KEY_ID"],
        s3_env["AWS_SECRET_ACCESS_KEY"],
        s3_env["AWS_BUCKET"],
    )
    config += '"endpoint": "%s", "use_path_style_endpoint": true, "prefix": "tenant-1"}}' % (
        s3_env["AWS_ENDPOINT"]
    )
    app = storage_app(make_application, tmp_path, FILESYSTEM_DISKS=config, **s3_env)
    manager = app.container.make(StorageManager)
    await manager.disk("tenant").put("a.txt", "mine")
    assert await manager.disk("s3").all_files() == ["tenant-1/a.txt"]
    assert await manager.disk("tenant").all_files() == ["a.txt"]
    assert await manager.disk("tenant").directories() == []


def _large_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(MIB)
    with path.open("wb") as out:
        for index in range(size // MIB):
            chunk = index.to_bytes(8, "big") + block[8:]
            out.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


async def test_a_file_over_100_mib_is_sent_in_parts_without_holding_it_in_memory(
    s3: S3Disk, tmp_path: Path
) -> None:
    size = 110 * MIB
    source = tmp_path / "large.bin"
    expected = _large_file(source, size)
    assert size > MULTIPART_THRESHOLD

    await s3.client()  # opened before measuring: the client's set-up is not the upload's cost
    tracemalloc.start()
    try:
        await s3.put_file("backups/large.bin", source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # One 8 MiB part in flight (and the client's copies of it), far from the 110 MiB a
    # whole-file upload would hold. Measured here: about 18 MiB.
    assert peak < 32 * MIB, f"peak Python memory {peak / MIB:.1f} MiB during the upload"
    assert await s3.size("backups/large.bin") == size
    digest = hashlib.sha256()
    async for chunk in s3.read_stream("backups/large.bin", chunk_size=4 * MIB):
        digest.update(chunk)
    assert digest.hexdigest() == expected
    await s3.delete("backups/large.bin")  # moto keeps objects in its memory


async def test_a_missing_bucket_is_a_storage_error_naming_the_path(
    make_application: MakeApplication, tmp_path: Path, s3_env: dict[str, str]
) -> None:
    env = {**s3_env, "AWS_BUCKET": "no-such-bucket"}
    disk = storage_app(make_application, tmp_path, **env).container.make(StorageManager).disk("s3")
    with pytest.raises(StorageError, match=r"S3 refused the request for \[a.txt\]"):
        await disk.put("a.txt", "x")
