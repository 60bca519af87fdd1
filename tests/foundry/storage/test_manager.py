"""The ``Storage`` facade and its manager: the default disk, named disks, fakes, extensions."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.storage import Disk, LocalDisk, Storage, StorageError, StorageManager, UnknownDiskError
from tests.conftest import MakeApplication
from tests.foundry.storage.conftest import storage_app


async def test_the_facade_writes_to_the_default_disk(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    storage_app(make_application, tmp_path)
    await Storage.put("hello.txt", "world")
    assert (tmp_path / "private" / "hello.txt").read_text() == "world"
    assert await Storage.get("hello.txt") == b"world"
    assert Storage.default_disk == "local"


async def test_filesystem_disk_chooses_the_default(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    storage_app(make_application, tmp_path, FILESYSTEM_DISK="public")
    await Storage.put("logo.txt", "x")
    assert (tmp_path / "public" / "logo.txt").exists()
    assert Storage.url("logo.txt") == "http://app.test/storage/logo.txt"
    assert await Storage.get_visibility("logo.txt") == "public"


def test_an_unknown_default_disk_fails_at_start_up(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    with pytest.raises(UnknownDiskError, match="'dropbox' is not defined"):
        storage_app(make_application, tmp_path, FILESYSTEM_DISK="dropbox")


def test_the_local_disk_has_no_public_url(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    storage_app(make_application, tmp_path)
    with pytest.raises(StorageError, match="no public URL; use temporary_url"):
        Storage.disk("local").url("a.txt")


async def test_a_faked_disk_is_a_real_disk_in_a_throwaway_folder(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = storage_app(make_application, tmp_path)
    fake = Storage.fake("s3")
    assert Storage.disk("s3") is fake
    await Storage.disk("s3").put("avatars/1.png", b"\x89PNG")
    await fake.assert_exists("avatars/1.png", b"\x89PNG")
    await fake.assert_missing("avatars/2.png")
    with pytest.raises(AssertionError, match="Unable to find a file at path"):
        await fake.assert_exists("avatars/2.png")
    assert isinstance(fake, LocalDisk)
    folder = fake.root
    assert folder.exists() and tmp_path not in folder.parents
    await app.shutdown()
    assert not folder.exists()


async def test_faking_the_default_disk(make_application: MakeApplication, tmp_path: Path) -> None:
    storage_app(make_application, tmp_path)
    fake = Storage.fake()
    await Storage.put("a.txt", "x")
    await fake.assert_exists("a.txt")
    assert not (tmp_path / "private" / "a.txt").exists()


async def test_extend_adds_a_driver(make_application: MakeApplication, tmp_path: Path) -> None:
    disks = '{"archive": {"driver": "local", "root": "%s"}}' % (tmp_path / "archive")
    app = storage_app(make_application, tmp_path, FILESYSTEM_DISKS=disks)
    manager = app.container.make(StorageManager)
    built: list[str] = []

    def local_with_log(manager: StorageManager, name: str) -> Disk:
        built.append(name)
        config = manager.config(name)
        assert config is not None and config.driver == "local"
        return LocalDisk(name, config, signer=manager.signer, app_url=manager.app.url)

    manager.extend("local", local_with_log)
    await manager.disk("archive").put("old.txt", "x")
    assert built == ["archive"]
    assert (tmp_path / "archive" / "old.txt").exists()
    assert "archive" in manager.disk_names()
