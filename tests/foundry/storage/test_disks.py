"""What every disk does, run on the local disk and on the S3 disk against moto's server."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from foundry.storage import Disk, FileNotFoundInStorageError, UnsafePathError


async def test_put_get_exists_and_delete(disk: Disk) -> None:
    assert await disk.put("notes/today.txt", "hello") == "notes/today.txt"
    assert await disk.get("notes/today.txt") == b"hello"
    assert await disk.exists("notes/today.txt")
    await disk.assert_exists("notes/today.txt", "hello")
    assert await disk.delete("notes/today.txt") is True
    assert await disk.missing("notes/today.txt")
    await disk.assert_missing("notes/today.txt")
    assert await disk.delete("notes/today.txt") is False


async def test_a_missing_file_is_a_not_found_error(disk: Disk) -> None:
    with pytest.raises(FileNotFoundInStorageError):
        await disk.get("nope.txt")
    with pytest.raises(FileNotFoundInStorageError):
        await disk.size("nope.txt")
    with pytest.raises(FileNotFoundInStorageError):
        async for _ in disk.read_stream("nope.txt"):
            pass


async def test_put_file_streams_from_a_path_and_from_an_open_file(
    disk: Disk, tmp_path: Path
) -> None:
    source = tmp_path / "report.csv"
    source.write_bytes(b"a,b\n1,2\n")
    await disk.put_file("reports/r.csv", source)
    await disk.put_file("reports/copy.csv", io.BytesIO(b"x,y\n"))
    assert await disk.get("reports/r.csv") == b"a,b\n1,2\n"
    assert await disk.get("reports/copy.csv") == b"x,y\n"


async def test_read_stream_yields_the_file_in_chunks(disk: Disk) -> None:
    data = bytes(range(256)) * 1000
    await disk.put("blob.bin", data)
    chunks = [chunk async for chunk in disk.read_stream("blob.bin", chunk_size=10_000)]
    assert b"".join(chunks) == data
    assert len(chunks) > 1


async def test_size_and_last_modified(disk: Disk) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    await disk.put("a.txt", "12345")
    assert await disk.size("a.txt") == 5
    modified = await disk.last_modified("a.txt")
    assert modified.tzinfo is not None
    assert before <= modified <= datetime.now(UTC) + timedelta(seconds=5)


async def test_copy_and_move(disk: Disk) -> None:
    await disk.put("a.txt", "one")
    await disk.copy("a.txt", "copies/b.txt")
    await disk.move("a.txt", "moved/c.txt")
    assert await disk.get("copies/b.txt") == b"one"
    assert await disk.get("moved/c.txt") == b"one"
    assert await disk.missing("a.txt")


async def test_files_and_directories_with_and_without_recursion(disk: Disk) -> None:
    for path in ("top.txt", "a/one.txt", "a/b/two.txt", "a/b/c/three.txt", "d/four.txt"):
        await disk.put(path, "x")
    assert await disk.files() == ["top.txt"]
    assert await disk.files("a") == ["a/one.txt"]
    assert await disk.files("a", recursive=True) == ["a/b/c/three.txt", "a/b/two.txt", "a/one.txt"]
    assert await disk.all_files() == sorted(
        ["top.txt", "a/one.txt", "a/b/two.txt", "a/b/c/three.txt", "d/four.txt"]
    )
    assert await disk.directories() == ["a", "d"]
    assert await disk.directories("a") == ["a/b"]
    assert await disk.all_directories() == ["a", "a/b", "a/b/c", "d"]
    assert await disk.files("nothing-here") == []
    await disk.delete_directory("a")
    assert await disk.all_files() == ["d/four.txt", "top.txt"]


async def test_visibility_defaults_to_private_and_can_be_changed(disk: Disk) -> None:
    await disk.put("secret.txt", "s")
    await disk.put("open.txt", "o", visibility="public")
    assert await disk.get_visibility("secret.txt") == "private"
    assert await disk.get_visibility("open.txt") == "public"
    await disk.set_visibility("secret.txt", "public")
    assert await disk.get_visibility("secret.txt") == "public"
    await disk.set_visibility("secret.txt", "private")
    assert await disk.get_visibility("secret.txt") == "private"


@pytest.mark.parametrize(
    "path", ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "a\x00b", "..", ""]
)
async def test_paths_leaving_the_disk_are_refused(disk: Disk, path: str) -> None:
    with pytest.raises(UnsafePathError):
        await disk.put(path, "x")
    with pytest.raises(UnsafePathError):
        await disk.get(path)


async def test_paths_are_normalised(disk: Disk) -> None:
    await disk.put("a//b/./c.txt", "x")
    assert await disk.all_files() == ["a/b/c.txt"]
