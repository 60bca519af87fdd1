"""Checked by mypy only, never run: named drivers and forwarded methods keep their types.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import assert_type

from limits.aio.storage import MemoryStorage, Storage

from foundry.cache import ArrayStore, Cache, CacheManager, Repository, Store
from foundry.kernel.drivers import DriverRegistry
from foundry.mail import Mail, Mailer, PendingMail, SentMessage
from foundry.mail.mailable import Mailable
from foundry.rate_limiting import RateLimiter, RateLimiterManager


def array_store(manager: CacheManager) -> Store:
    return ArrayStore(manager.clock)


def array_repository(manager: CacheManager, name: str) -> Repository:
    return Repository(ArrayStore(manager.clock), name)


def memory_storage(manager: RateLimiterManager) -> Storage:
    return MemoryStorage()


async def well_typed(mailable: Mailable) -> None:
    assert_type(Cache.store("redis"), Repository)
    assert_type(Cache.store_names(), list[str])
    Cache.extend("shared", array_store)
    assert_type(Mail.mailer("smtp"), Mailer)
    assert_type(Mail.to("ada@example.com"), PendingMail)
    assert_type(await Mail.send(mailable, after_commit=False), SentMessage)
    RateLimiter.extend("local", memory_storage)
    assert_type(RateLimiter.storage, Storage)
    registry = DriverRegistry(
        Cache, kind="cache store", built_in={"array": array_repository}, default=lambda: "array"
    )
    assert_type(registry, DriverRegistry[CacheManager, Repository])
    assert_type(registry.driver("array"), Repository)


async def rejected(mailable: Mailable, registry: DriverRegistry[CacheManager, Repository]) -> None:
    Cache.store(1)  # type: ignore[arg-type]
    Cache.extend("shared", array_repository)  # type: ignore[arg-type]
    Mail.to(42)  # type: ignore[arg-type]
    await Mail.send(mailable, after_comit=False)  # type: ignore[call-arg]
    Mail.extend("outbox", array_repository)  # type: ignore[arg-type]
    RateLimiter.extend("local", array_store)  # type: ignore[arg-type]
    registry.extend("array", array_store)  # type: ignore[arg-type]
    registry.driver("array").forgett("key")  # type: ignore[attr-defined]
    # A factory for another manager's drivers.
    DriverRegistry(Mail, kind="x", built_in={"a": array_repository}, default=str)  # type: ignore[dict-item]
