"""The ``local`` driver: a folder of this machine (the ``local`` and ``public`` disks).

Writes go to a temporary file beside the target and are renamed into place, so a reader never
sees half a file. Visibility is the file's mode, as Flysystem's: ``public`` is ``0o644`` (others
may read), ``private`` is ``0o600``. A temporary URL is an app URL signed with the app key
(:class:`~foundry.kernel.signed_urls.UrlSigner`), answered by the framework's storage route.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TypeVar
from urllib.parse import quote

from anyio import to_thread

from foundry.config.filesystems import LocalDiskConfig, Visibility
from foundry.kernel.signed_urls import UrlSigner
from foundry.storage.disk import CHUNK_SIZE, Disk, FileSource, seconds
from foundry.storage.errors import FileNotFoundInStorageError, PathConflictError, StorageError
from foundry.storage.paths import clean_directory, clean_path

__all__ = ["LocalDisk", "TEMPORARY_URL_PREFIX", "signed_path"]

T = TypeVar("T")

#: Where the framework's route serves local temporary URLs: ``/storage-temp/{disk}/{path}``.
TEMPORARY_URL_PREFIX = "/storage-temp"

_MODES: dict[Visibility, int] = {"public": 0o644, "private": 0o600}


def signed_path(disk: str, path: str) -> str:
    """The path (before signing) of ``path`` on ``disk`` under :data:`TEMPORARY_URL_PREFIX`."""
    return f"{TEMPORARY_URL_PREFIX}/{quote(disk, safe='')}/{quote(path)}"


async def _run(work: Callable[[], T]) -> T:
    # File system calls block: off the event loop, as Starlette serves files.
    return await to_thread.run_sync(work)


class LocalDisk(Disk):
    """Files under ``config.root``."""

    def __init__(
        self, name: str, config: LocalDiskConfig, *, signer: UrlSigner, app_url: str
    ) -> None:
        super().__init__(name)
        self.config = config
        self.root = config.root
        self._signer = signer
        self._app_url = app_url.rstrip("/")

    def path(self, path: str) -> Path:
        """The file system path of ``path`` on this disk (refusing any that leaves the root)."""
        return self.root / clean_path(path)

    def _directory(self, directory: str) -> Path:
        return self.root / clean_directory(directory)

    def _existing(self, path: str) -> Path:
        full = self.path(path)
        if not full.is_file():
            raise FileNotFoundInStorageError(f"File not found at path [{path}].")
        return full

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, path: str, fill: Callable[[IO[bytes]], None], visibility: Visibility) -> str:
        clean = clean_path(path)
        target = self.root / clean
        _make_parents(target, clean)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                fill(out)
            os.chmod(temporary, _MODES[visibility])
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            if error.errno in _DIRECTORY_IN_THE_WAY:
                raise PathConflictError(f"A directory is at path [{clean}].") from None
            raise
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return clean

    async def put(
        self, path: str, contents: bytes | str, *, visibility: Visibility | None = None
    ) -> str:
        data = contents.encode("utf-8") if isinstance(contents, str) else contents
        chosen = visibility or self.config.visibility

        def fill(out: IO[bytes]) -> None:
            out.write(data)

        return await _run(lambda: self._write(path, fill, chosen))

    async def put_file(
        self, path: str, source: FileSource, *, visibility: Visibility | None = None
    ) -> str:
        chosen = visibility or self.config.visibility

        def fill(out: IO[bytes]) -> None:
            if isinstance(source, Path):
                with source.open("rb") as opened:
                    shutil.copyfileobj(opened, out, CHUNK_SIZE)
            else:
                shutil.copyfileobj(source, out, CHUNK_SIZE)

        return await _run(lambda: self._write(path, fill, chosen))

    async def delete(self, *paths: str) -> bool:
        targets = [self.path(path) for path in paths]

        def remove() -> bool:
            existed = True
            for target in targets:
                try:
                    target.unlink()
                except FileNotFoundError:
                    existed = False
            return existed

        return await _run(remove)

    async def delete_directory(self, directory: str) -> None:
        target = self._directory(directory)
        if target == self.root:
            raise StorageError("Refusing to delete the root of a disk; name a directory.")
        await _run(lambda: shutil.rmtree(target, ignore_errors=True))

    async def copy(self, source: str, target: str) -> None:
        origin = self._existing(source)
        mode = stat.S_IMODE(origin.stat().st_mode)
        visibility: Visibility = "public" if mode & stat.S_IROTH else "private"
        await self.put_file(target, origin, visibility=visibility)

    async def move(self, source: str, target: str) -> None:
        origin = self._existing(source)
        destination = self.path(target)

        def rename() -> None:
            _make_parents(destination, target)
            try:
                os.replace(origin, destination)
            except OSError as error:
                if error.errno in _DIRECTORY_IN_THE_WAY:
                    raise PathConflictError(f"A directory is at path [{target}].") from None
                raise

        await _run(rename)

    # -- reading ---------------------------------------------------------------------------------

    async def get(self, path: str) -> bytes:
        full = self.path(path)
        try:
            return await _run(full.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise FileNotFoundInStorageError(f"File not found at path [{path}].") from None

    async def read_stream(self, path: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        full = self._existing(path)
        opened = await _run(lambda: full.open("rb"))
        try:
            while chunk := await _run(lambda: opened.read(chunk_size)):
                yield chunk
        finally:
            opened.close()

    async def exists(self, path: str) -> bool:
        full = self.path(path)
        return await _run(full.is_file)

    async def size(self, path: str) -> int:
        full = self._existing(path)
        return (await _run(full.stat)).st_size

    async def last_modified(self, path: str) -> datetime:
        full = self._existing(path)
        return datetime.fromtimestamp((await _run(full.stat)).st_mtime, UTC)

    # -- listing ---------------------------------------------------------------------------------

    def _list(self, directory: str, *, recursive: bool, files: bool) -> list[str]:
        base = self._directory(directory)
        if not base.is_dir():
            return []
        found = base.rglob("*") if recursive else base.iterdir()
        return sorted(
            entry.relative_to(self.root).as_posix()
            for entry in found
            if (entry.is_file() if files else entry.is_dir())
            and not entry.name.startswith(".upload-")
        )

    async def files(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        return await _run(lambda: self._list(directory, recursive=recursive, files=True))

    async def directories(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        return await _run(lambda: self._list(directory, recursive=recursive, files=False))

    # -- URLs and visibility ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        if self.config.url is None:
            raise StorageError(
                f"The [{self.name}] disk has no public URL; use temporary_url() for its files."
            )
        return f"{self.config.url.rstrip('/')}/{quote(clean_path(path))}"

    async def temporary_url(self, path: str, expires_in: int | timedelta) -> str:
        clean = clean_path(path)
        signed = self._signer.sign(signed_path(self.name, clean), expires_in=seconds(expires_in))
        return self._app_url + signed

    async def get_visibility(self, path: str) -> Visibility:
        full = self._existing(path)
        mode = stat.S_IMODE((await _run(full.stat)).st_mode)
        return "public" if mode & stat.S_IROTH else "private"

    async def set_visibility(self, path: str, visibility: Visibility) -> None:
        full = self._existing(path)
        await _run(lambda: os.chmod(full, _MODES[visibility]))


#: What renaming a file onto a directory raises (EISDIR; ENOTEMPTY/EEXIST when it holds files).
_DIRECTORY_IN_THE_WAY = frozenset({errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST})


def _make_parents(target: Path, path: str) -> None:
    """Create ``target``'s parent directories; a file in their way is the caller's conflict."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise PathConflictError(f"A file is in the way of path [{path}].") from None
