"""Checked by mypy only, never run: the ``Storage`` facade is typed as its manager."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import assert_type

from foundry.config.filesystems import Visibility
from foundry.storage import Disk, Storage


async def well_typed() -> None:
    assert_type(await Storage.put("a.txt", "hi"), str)
    assert_type(await Storage.put_file("b.bin", Path("b.bin"), visibility="public"), str)
    assert_type(await Storage.get("a.txt"), bytes)
    assert_type(Storage.read_stream("a.txt"), AsyncIterator[bytes])
    assert_type(await Storage.exists("a.txt"), bool)
    assert_type(await Storage.size("a.txt"), int)
    assert_type(await Storage.last_modified("a.txt"), datetime)
    assert_type(await Storage.files("docs", recursive=True), list[str])
    assert_type(await Storage.temporary_url("a.txt", 60), str)
    assert_type(await Storage.get_visibility("a.txt"), Visibility)
    assert_type(Storage.disk("s3"), Disk)
    assert_type(Storage.fake("s3"), Disk)


async def rejected() -> None:
    await Storage.put("a.txt", 1)  # type: ignore[arg-type]
    await Storage.set_visibility("a.txt", "world")  # type: ignore[arg-type]
    await Storage.gett("a.txt")  # type: ignore[attr-defined]
    await Storage.files(recursive="yes")  # type: ignore[arg-type]
