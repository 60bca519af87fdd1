"""The rate limiter: named limiters for routes and Laravel's direct hit/attempts API.

Counters live in the ``limits`` storage chosen by ``RATE_LIMIT_STORE`` (memory, Redis, or one
added with ``extend``). A named limiter's counters are keyed by its name and each limit's key, so
two limiters never share one; direct calls (``hit``, ``attempts``...) use keys of their own that
never meet a limiter's.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter, RateLimiter

from foundry.config.rate_limiting import RateLimitSettings
from foundry.kernel.drivers import DriverFactory, DriverRegistry
from foundry.kernel.facades import Swappable
from foundry.kernel.redis import RedisConnector
from foundry.rate_limiting.errors import UnknownLimiterError, UnknownRateLimitStoreError
from foundry.rate_limiting.limit import Limit
from foundry.rate_limiting.storage import close_storage, create_strategy, redis_storage

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = [
    "BUILT_IN_STORES",
    "LimitResult",
    "LimitSpec",
    "LimiterCallback",
    "RateLimiterManager",
    "StorageFactory",
]

#: What a limiter callback returns: one limit or several (each is checked).
LimitSpec = Limit | Sequence[Limit]
#: ``RateLimiter.for_("api", lambda request: Limit.per_minute(60).by(...))``; may be async.
LimiterCallback = Callable[["Request"], LimitSpec | Awaitable[LimitSpec]]
#: Builds a counter storage for the manager asking (which gives access to its settings and Redis).
StorageFactory = Callable[["RateLimiterManager"], Storage]

_BUILT_IN: Final[Mapping[str, DriverFactory[RateLimiterManager, Storage]]] = MappingProxyType(
    {
        "memory": lambda manager, name: MemoryStorage(),
        "redis": lambda manager, name: redis_storage(manager.settings, manager.redis),
    }
)
BUILT_IN_STORES: Final = tuple(_BUILT_IN)


def _segment(text: str) -> str:
    # limits joins key parts with "/": quoting keeps ("a/b", "c") and ("a", "b/c") apart.
    return quote(text, safe="")


@dataclass(frozen=True, slots=True)
class LimitResult:
    """The outcome of one attempt against one limit."""

    limit: Limit
    allowed: bool
    remaining: int
    #: When the window resets, in seconds since the epoch: exact for a refused attempt, and for
    #: an allowed one under the ``fixed-window`` strategy only a bound (it resets no later).
    reset_at: float

    @property
    def retry_after(self) -> int:
        """Whole seconds until an attempt may pass again (at least 1)."""
        return max(1, math.ceil(self.reset_at - time.time()))

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-Limit``/``-Remaining``, plus ``Retry-After`` and ``-Reset`` when hit."""
        headers = {
            "X-RateLimit-Limit": str(self.limit.max_attempts),
            "X-RateLimit-Remaining": str(self.remaining if self.allowed else 0),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
            headers["X-RateLimit-Reset"] = str(math.ceil(self.reset_at))
        return headers


class RateLimiterManager(Swappable):
    """Bound as a singleton; reached through the ``RateLimiter`` facade."""

    def __init__(self, settings: RateLimitSettings, redis: RedisConnector) -> None:
        self.settings: RateLimitSettings = settings
        self.redis: RedisConnector = redis
        self._limiters: dict[str, LimiterCallback] = {}
        self._stores = DriverRegistry(
            self,
            kind="rate limit store",
            built_in=_BUILT_IN,
            default=lambda: self.settings.store,
            error=UnknownRateLimitStoreError,
        )
        self._strategy: RateLimiter | None = None

    # -- storage -----------------------------------------------------------------------------------

    @property
    def storage(self) -> Storage:
        """The ``limits`` storage of ``RATE_LIMIT_STORE``, holding the counters; built on first use.

        Raises:
            UnknownRateLimitStoreError: no store has that name.
        """
        return self._stores.driver()

    @property
    def strategy(self) -> RateLimiter:
        """The ``limits`` strategy counting the named limiters' windows."""
        storage = self.storage
        if self._strategy is None or self._strategy.storage is not storage:
            self._strategy = create_strategy(self.settings, storage)
        return self._strategy

    def store_names(self) -> list[str]:
        """Every counter store name this manager can build."""
        return self._stores.names()

    def extend(self, name: str, factory: StorageFactory) -> None:
        """Make ``factory(manager)`` the counter store called ``name`` (replacing a built-in one).

        Name it in ``RATE_LIMIT_STORE`` to count there; any ``limits.aio`` storage will do.
        """
        self._stores.extend(name, lambda manager, store: factory(manager))

    async def aclose(self) -> None:
        """Release what the storages hold (on app shutdown)."""
        for storage in self._stores.built().values():
            await close_storage(storage)

    # -- named limiters ----------------------------------------------------------------------------

    def for_(self, name: str, callback: LimiterCallback) -> None:
        """Define (or redefine) the limiter ``name``: ``callback(request)`` gives its limits."""
        self._limiters[name] = callback

    def limiter(self, name: str) -> LimiterCallback:
        """The callback of limiter ``name``; raises :class:`UnknownLimiterError` if undefined."""
        try:
            return self._limiters[name]
        except KeyError:
            known = ", ".join(sorted(self._limiters)) or "none"
            raise UnknownLimiterError(
                f"rate limiter {name!r} is not defined (defined: {known}); "
                f"define it with RateLimiter.for_({name!r}, ...) in a service provider's boot()"
            ) from None

    def has_limiter(self, name: str) -> bool:
        """Whether limiter ``name`` is defined."""
        return name in self._limiters

    def limiter_names(self) -> list[str]:
        """Every defined limiter name."""
        return sorted(self._limiters)

    async def limits_for(self, name: str, request: Request) -> list[Limit]:
        """The limits limiter ``name`` applies to ``request``."""
        spec = self.limiter(name)(request)
        if inspect.isawaitable(spec):
            spec = await spec
        return [spec] if isinstance(spec, Limit) else list(spec)

    async def consume(self, name: str, limit: Limit, cost: int = 1) -> LimitResult:
        """Count one attempt (``cost``) against ``limit`` of limiter ``name``."""
        if limit.unlimited:
            return LimitResult(limit, True, limit.max_attempts, time.time())
        item = limit.item()
        parts = (_segment(name), _segment(limit.key))
        strategy = self.strategy
        if isinstance(strategy, FixedWindowRateLimiter):
            return await self._consume_fixed_window(limit, item, item.key_for(*parts), cost)
        allowed = await strategy.hit(item, *parts, cost=cost)
        stats = await strategy.get_window_stats(item, *parts)
        return LimitResult(limit, allowed, stats.remaining, stats.reset_time)

    async def _consume_fixed_window(
        self, limit: Limit, item: RateLimitItem, key: str, cost: int
    ) -> LimitResult:
        # The strategy's hit() then get_window_stats() is three storage calls (three Redis round
        # trips on every API request); the count the increment returns already tells both
        # whether the attempt passed and how many are left. Only a refusal needs the reset time.
        storage = self.strategy.storage
        count = await storage.incr(key, item.get_expiry(), amount=cost)
        allowed = count <= item.amount
        if allowed:
            reset_at = time.time() + item.get_expiry()
        else:
            reset_at = await storage.get_expiry(key)
        return LimitResult(limit, allowed, max(0, item.amount - count), reset_at)

    async def reset_limit(self, name: str, limit: Limit) -> None:
        """Forget the attempts counted against ``limit`` of limiter ``name``."""
        if not limit.unlimited:
            await self.strategy.clear(limit.item(), _segment(name), _segment(limit.key))

    # -- direct use (Laravel's RateLimiter::hit etc.) ----------------------------------------------

    @staticmethod
    def _key(key: str) -> str:
        return "attempts/" + _segment(key)

    async def increment(self, key: str, decay_seconds: int = 60, amount: int = 1) -> int:
        """Add ``amount`` attempts to ``key``; the first starts a ``decay_seconds`` window."""
        return await self.storage.incr(self._key(key), decay_seconds, amount)

    async def hit(self, key: str, decay_seconds: int = 60) -> int:
        """Count one attempt against ``key``; the number of attempts in the window."""
        return await self.increment(key, decay_seconds)

    async def attempts(self, key: str) -> int:
        """Attempts counted against ``key`` in the current window."""
        return await self.storage.get(self._key(key))

    async def too_many_attempts(self, key: str, max_attempts: int) -> bool:
        """Whether ``key`` has used up ``max_attempts`` in the current window."""
        return await self.attempts(key) >= max_attempts

    async def remaining(self, key: str, max_attempts: int) -> int:
        """Attempts ``key`` has left in the current window."""
        return max(0, max_attempts - await self.attempts(key))

    async def available_in(self, key: str) -> int:
        """Seconds until ``key``'s window resets (0 when it has no attempts)."""
        expires_at = await self.storage.get_expiry(self._key(key))
        return max(0, math.ceil(expires_at - time.time()))

    async def clear(self, key: str) -> None:
        """Forget every attempt counted against ``key``."""
        await self.storage.clear(self._key(key))

    # -- testing -----------------------------------------------------------------------------------

    def fake(self) -> RateLimiterManager:
        """Swap in a limiter with fresh in-memory counters and the same named limiters.

        Stores added with :meth:`extend` come along, except one replacing ``memory``.
        """
        fake = RateLimiterManager(self.settings.model_copy(update={"store": "memory"}), self.redis)
        fake._limiters = dict(self._limiters)
        fake._stores.adopt_extensions(self._stores, keep_built_in=("memory",))
        return self.swap(fake)
