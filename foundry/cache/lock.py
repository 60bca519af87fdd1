"""Atomic locks: one owner at a time across every process that shares the store.

``Cache.lock("reports", 10)`` names a lock that expires after 10 seconds (0: never), so a crashed
holder cannot block the others for ever. Only the owner releases it; hand ``lock.owner`` to another
process and ``Cache.restore_lock(name, owner)`` there to release it from that process.
"""

from __future__ import annotations

import asyncio
import inspect
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Literal, Self, TypeVar, overload

from foundry.cache.errors import LockTimeoutError

__all__ = ["Lock", "new_owner"]

T = TypeVar("T")


def new_owner() -> str:
    """A random owner token: unguessable, so no other holder can release the lock by chance."""
    return secrets.token_hex(16)


class Lock(ABC):
    """A named lock held for ``seconds`` (0: until released) by ``owner``."""

    def __init__(self, name: str, seconds: float, owner: str | None = None) -> None:
        if seconds < 0:
            raise ValueError("a lock's seconds must be 0 (no expiry) or more")
        self.name = name
        self.seconds = seconds
        self.owner = owner or new_owner()
        self.retry_interval = 0.1

    @abstractmethod
    async def acquire(self) -> bool:
        """Take the lock if nobody holds it; ``False`` at once if somebody does."""

    @abstractmethod
    async def release(self) -> bool:
        """Release the lock if this owner holds it; ``False`` (and nothing changes) otherwise."""

    @abstractmethod
    async def force_release(self) -> None:
        """Release the lock whoever holds it."""

    @abstractmethod
    async def current_owner(self) -> str | None:
        """The owner holding the lock now, or ``None``."""

    async def is_owned(self) -> bool:
        """Whether this lock's owner holds it now."""
        return await self.current_owner() == self.owner

    def retry_every(self, seconds: float) -> Self:
        """How long :meth:`block` sleeps between attempts (default 0.1 s)."""
        self.retry_interval = seconds
        return self

    @overload
    async def block(self, timeout: float) -> Literal[True]: ...

    @overload
    async def block(self, timeout: float, callback: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def block(self, timeout: float, callback: Callable[[], T]) -> T: ...

    async def block(self, timeout: float, callback: Callable[[], object] | None = None) -> object:
        """Wait up to ``timeout`` seconds for the lock; raise :class:`LockTimeoutError` after.

        With ``callback`` (sync or async): run it holding the lock, release, return its result.
        Without: return ``True`` holding the lock; release it yourself.
        """
        deadline = time.monotonic() + timeout
        while not await self.acquire():
            left = deadline - time.monotonic()
            if left <= 0:
                raise LockTimeoutError(f"could not acquire lock {self.name!r} in {timeout} s")
            await asyncio.sleep(min(self.retry_interval, left))
        if callback is None:
            return True
        try:
            result = callback()
            if inspect.isawaitable(result):
                result = await result
            return result
        finally:
            await self.release()

    async def __aenter__(self) -> Self:
        if not await self.acquire():
            raise LockTimeoutError(f"lock {self.name!r} is held by another owner")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.release()
