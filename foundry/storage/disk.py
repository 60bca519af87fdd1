"""The contract every disk keeps (Flysystem's ``FilesystemOperator``), and what all disks share.

Paths are relative to the disk and ``/``-separated (:mod:`foundry.storage.paths` refuses any that
leaves it). Every operation is async; the local disk runs its file system calls in a thread, the
S3 disk talks to the server over aiohttp. Large files go through :meth:`Disk.put_file` and
:meth:`Disk.read_stream`, which never hold the whole file in memory.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TypeAlias

from foundry.config.filesystems import Visibility

__all__ = ["Disk", "FileSource", "Visibility", "seconds"]

#: What :meth:`Disk.put_file` streams from: a file on this machine, or an open binary file.
FileSource: TypeAlias = Path | IO[bytes]

#: How much :meth:`Disk.read_stream` yields at a time by default.
CHUNK_SIZE = 64 * 1024


def seconds(expires_in: int | timedelta) -> int:
    """A lifetime as whole seconds (at least one)."""
    total = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    if total < 1:
        raise ValueError("a temporary URL must live at least one second")
    return int(total)


class Disk(ABC):
    """One named disk: a folder, a bucket, or a fake of either in tests."""

    def __init__(self, name: str) -> None:
        #: The disk's name in ``config/filesystems.py`` (``"local"``, ``"s3"``).
        self.name = name

    # -- writing ---------------------------------------------------------------------------------

    @abstractmethod
    async def put(
        self, path: str, contents: bytes | str, *, visibility: Visibility | None = None
    ) -> str:
        """Write ``contents`` (text is written as UTF-8) to ``path``; returns the clean path."""

    @abstractmethod
    async def put_file(
        self, path: str, source: FileSource, *, visibility: Visibility | None = None
    ) -> str:
        """Stream ``source`` to ``path`` without reading it whole into memory.

        An open file is read from its current position to its end. Returns the clean path.
        """

    @abstractmethod
    async def delete(self, *paths: str) -> bool:
        """Delete each file; ``True`` when every one existed."""

    @abstractmethod
    async def delete_directory(self, directory: str) -> None:
        """Delete ``directory`` and everything under it (nothing happens when it is missing)."""

    @abstractmethod
    async def copy(self, source: str, target: str) -> None:
        """Copy the file at ``source`` to ``target`` (replacing what is there)."""

    async def move(self, source: str, target: str) -> None:
        """Move the file at ``source`` to ``target``."""
        await self.copy(source, target)
        await self.delete(source)

    # -- reading ---------------------------------------------------------------------------------

    @abstractmethod
    async def get(self, path: str) -> bytes:
        """The file's contents.

        Raises:
            FileNotFoundInStorageError: no file is at ``path``.
        """

    @abstractmethod
    def read_stream(self, path: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The file's contents, ``chunk_size`` bytes at a time (``async for chunk in ...``).

        Raises:
            FileNotFoundInStorageError: no file is at ``path`` (on the first iteration).
        """

    @abstractmethod
    async def exists(self, path: str) -> bool:
        """Whether a file is at ``path``."""

    async def missing(self, path: str) -> bool:
        """Whether no file is at ``path``."""
        return not await self.exists(path)

    @abstractmethod
    async def size(self, path: str) -> int:
        """The file's size in bytes."""

    @abstractmethod
    async def last_modified(self, path: str) -> datetime:
        """When the file was last written (timezone-aware, UTC)."""

    # -- listing ---------------------------------------------------------------------------------

    @abstractmethod
    async def files(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        """The files in ``directory`` (with ``recursive``, also those below it), sorted."""

    @abstractmethod
    async def directories(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        """The directories in ``directory`` (with ``recursive``, also those below it), sorted."""

    async def all_files(self, directory: str = "") -> list[str]:
        """Every file under ``directory``, at any depth (Laravel's ``allFiles``)."""
        return await self.files(directory, recursive=True)

    async def all_directories(self, directory: str = "") -> list[str]:
        """Every directory under ``directory``, at any depth."""
        return await self.directories(directory, recursive=True)

    # -- URLs and visibility ---------------------------------------------------------------------

    @abstractmethod
    def url(self, path: str) -> str:
        """The permanent public URL of the file (for files whose visibility is public).

        Raises:
            StorageError: the disk has no public URL (``local``: use :meth:`temporary_url`).
        """

    @abstractmethod
    async def temporary_url(self, path: str, expires_in: int | timedelta) -> str:
        """A signed URL that reads the file until it expires, whatever its visibility."""

    @abstractmethod
    async def get_visibility(self, path: str) -> Visibility:
        """``public`` or ``private``."""

    @abstractmethod
    async def set_visibility(self, path: str, visibility: Visibility) -> None:
        """Make the file ``public`` or ``private``."""

    # -- test assertions (on any disk, as Laravel's; mostly used on ``Storage.fake()``) ----------

    async def assert_exists(self, path: str, contents: bytes | str | None = None) -> None:
        """Fail the test unless a file is at ``path`` (holding ``contents``, when given)."""
        assert await self.exists(path), f"Unable to find a file at path [{path}] on [{self.name}]."
        if contents is not None:
            expected = contents.encode("utf-8") if isinstance(contents, str) else contents
            actual = await self.get(path)
            assert actual == expected, f"File [{path}] on [{self.name}] holds other contents."

    async def assert_missing(self, path: str) -> None:
        """Fail the test if a file is at ``path``."""
        assert await self.missing(path), f"Found an unexpected file at path [{path}]."

    async def assert_directory_empty(self, directory: str = "") -> None:
        """Fail the test unless ``directory`` holds no file at any depth."""
        found = await self.all_files(directory)
        assert not found, f"Directory [{directory}] on [{self.name}] is not empty: {found}."

    async def aclose(self) -> None:
        """Release connections (the S3 disk's HTTP pool); the disk may be used again after."""
