"""Locks of the file store: a small JSON file per lock, changed only under the store's guard."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from foundry.cache.files import atomic_write, read_text
from foundry.cache.lock import Lock

if TYPE_CHECKING:
    from foundry.cache.file_store import FileStore

__all__ = ["FileLock"]


class FileLock(Lock):
    """A lock shared by every process using the same cache directory.

    The lock file holds ``{"owner": ..., "expires_at": ...}``; checking and writing it happen
    under the store's OS-level guard, so two processes can never both see it free.
    """

    def __init__(self, store: FileStore, name: str, seconds: float, owner: str | None) -> None:
        super().__init__(name, seconds, owner)
        self._store = store
        digest = hashlib.sha256((store.prefix + name).encode()).hexdigest()
        self.path: Path = store.lock_directory / digest

    def _holder(self) -> str | None:
        found = read_text(self.path)
        if found is None:
            return None
        try:
            state = json.loads(found[0])
            owner, expires_at = str(state["owner"]), state["expires_at"]
        except (ValueError, KeyError, TypeError):
            return None  # unreadable: nobody can own it, so it may be taken over
        if expires_at is not None and float(expires_at) <= self._store.clock():
            return None
        return owner

    def _acquire(self) -> bool:
        with self._store.guard():
            if self._holder() is not None:
                return False
            expires_at = self._store.clock() + self.seconds if self.seconds else None
            atomic_write(self.path, json.dumps({"owner": self.owner, "expires_at": expires_at}))
            return True

    def _release(self) -> bool:
        with self._store.guard():
            if self._holder() != self.owner:
                return False
            self.path.unlink(missing_ok=True)
            return True

    async def acquire(self) -> bool:
        return await asyncio.to_thread(self._acquire)

    async def release(self) -> bool:
        return await asyncio.to_thread(self._release)

    async def force_release(self) -> None:
        await asyncio.to_thread(self.path.unlink, True)

    async def current_owner(self) -> str | None:
        return await asyncio.to_thread(self._holder)
