"""The ``file`` store: one file per key, shared by every process on the machine.

The embedded default: no server needed, and every uvicorn and queue worker sees the same entries.
A key's file lives at ``<path>/ab/cd/<sha256 of prefix + key>``; it holds the expiry time (0 for
never) on its first line and the JSON value after it. Writes go through a temporary file and a
rename, so a reader never sees half a value; all file I/O runs in worker threads, off the event
loop. Tags are not supported (use ``array`` or ``redis``).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from foundry.cache.errors import NonNumericValueError
from foundry.cache.file_lock import FileLock
from foundry.cache.files import atomic_write, guarded, read_text, remove_tree, unlink_if_same
from foundry.cache.serialization import dumps, loads
from foundry.cache.store import Store

__all__ = ["FileStore"]

Clock = Callable[[], float]
_ENTRY_DIR = re.compile(r"^[0-9a-f]{2}$")


class FileStore(Store):
    """Entries under ``directory``; locks in ``directory/locks`` (which ``flush`` leaves alone)."""

    def __init__(
        self,
        directory: Path,
        *,
        prefix: str = "",
        clock: Clock = time.time,
        guard_timeout: float = 10.0,
    ) -> None:
        self.directory = directory
        self.prefix = prefix
        self.clock = clock
        self.guard_timeout = guard_timeout
        self.lock_directory = directory / "locks"
        self._guard_path = self.lock_directory / ".guard"

    def path_for(self, key: str) -> Path:
        """The file that holds ``key``."""
        digest = hashlib.sha256((self.prefix + key).encode()).hexdigest()
        return self.directory / digest[:2] / digest[2:4] / digest

    # -- synchronous steps, run in a worker thread ---------------------------------------------

    def _read(self, key: str) -> str | None:
        entry = self._read_entry(key)
        return None if entry is None else entry[1]

    def _read_entry(self, key: str) -> tuple[str, str] | None:
        """``(expiry line, value)`` of a live entry; an expired entry's file is removed."""
        path = self.path_for(key)
        found = read_text(path)
        if found is None:
            return None
        text, inode = found
        head, newline, value = text.partition("\n")
        try:
            expires_at = float(head)
        except ValueError:
            expires_at = -1.0  # not ours or cut short: treat as expired
        if not newline or (expires_at != 0 and expires_at <= self.clock()):
            unlink_if_same(path, inode)
            return None
        return head, value

    def _write(self, key: str, value: str, ttl: float | None) -> None:
        expires_at = 0.0 if ttl is None else self.clock() + ttl
        atomic_write(self.path_for(key), f"{expires_at!r}\n{value}")

    def _add(self, key: str, value: str, ttl: float | None) -> bool:
        with self.guard():
            if self._read(key) is not None:
                return False
            self._write(key, value, ttl)
            return True

    def _increment(self, key: str, by: int) -> int:
        with self.guard():
            entry = self._read_entry(key)
            if entry is None:
                self._write(key, dumps(by), None)
                return by
            head, text = entry
            current = loads(text)
            if type(current) is not int:
                raise NonNumericValueError(f"cache key {key!r} does not hold an integer")
            # Keep the entry's expiry, as Redis INCRBY does.
            atomic_write(self.path_for(key), f"{head}\n{dumps(current + by)}")
            return int(current + by)

    def _forget(self, key: str) -> bool:
        try:
            self.path_for(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def _flush(self) -> None:
        if not self.directory.is_dir():
            return
        for child in self.directory.iterdir():
            if child.is_dir() and _ENTRY_DIR.match(child.name):
                remove_tree(child)

    # -- the Store API ---------------------------------------------------------------------------

    async def get(self, key: str) -> str | None:
        return await asyncio.to_thread(self._read, key)

    async def put(self, key: str, value: str, ttl: float | None) -> None:
        await asyncio.to_thread(self._write, key, value, ttl)

    async def add(self, key: str, value: str, ttl: float | None) -> bool:
        return await asyncio.to_thread(self._add, key, value, ttl)

    async def increment(self, key: str, by: int) -> int:
        return await asyncio.to_thread(self._increment, key, by)

    async def forget(self, key: str) -> bool:
        return await asyncio.to_thread(self._forget, key)

    async def flush(self) -> None:
        await asyncio.to_thread(self._flush)

    def lock(self, name: str, seconds: float, owner: str | None = None) -> FileLock:
        return FileLock(self, name, seconds, owner)

    def guard(self) -> AbstractContextManager[None]:
        """The store's cross-process guard (see :func:`foundry.cache.files.guarded`)."""
        return guarded(self._guard_path, self.guard_timeout)
