"""The rate limiter: named limiters for routes and Laravel's direct hit/attempts API.

Counters live in the ``limits`` storage chosen by ``RATE_LIMIT_STORE`` (memory or Redis). A named
limiter's counters are keyed by its name and each limit's key, so two limiters never share one;
direct calls (``hit``, ``attempts``...) use keys of their own that never meet a limiter's.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from limits.aio.storage import Storage
from limits.aio.strategies import RateLimiter

from foundry.config.rate_limiting import RateLimitSettings
from foundry.kernel.facades import Swappable
from foundry.kernel.redis import RedisConnector
from foundry.rate_limiting.errors import UnknownLimiterError
from foundry.rate_limiting.limit import Limit
from foundry.rate_limiting.storage import close_storage, create_storage, create_strategy

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["LimitResult", "LimitSpec", "LimiterCallback", "RateLimiterManager"]

#: What a limiter callback returns: one limit or several (each is checked).
LimitSpec = Limit | Sequence[Limit]
#: ``RateLimiter.for_("api", lambda request: Limit.per_minute(60).by(...))``; may be async.
LimiterCallback = Callable[["Request"], LimitSpec | Awaitable[LimitSpec]]


def _segment(text: str) -> str:
    # limits joins key parts with "/": quoting keeps ("a/b", "c") and ("a", "b/c") apart.
    return quote(text, safe="")


@dataclass(frozen=True, slots=True)
class LimitResult:
    """The outcome of one attempt against one limit."""

    limit: Limit
    allowed: bool
    remaining: int
    #: When the window resets, in seconds since the epoch.
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
        self.settings = settings
        self.redis = redis
        self._limiters: dict[str, LimiterCallback] = {}
        self._storage: Storage | None = None
        self._strategy: RateLimiter | None = None

    # -- storage -----------------------------------------------------------------------------------

    @property
    def storage(self) -> Storage:
        """The ``limits`` storage holding the counters, built on first use."""
        if self._storage is None:
            self._storage = create_storage(self.settings, self.redis)
        return self._storage

    @property
    def strategy(self) -> RateLimiter:
        """The ``limits`` strategy counting the named limiters' windows."""
        if self._strategy is None:
            self._strategy = create_strategy(self.settings, self.storage)
        return self._strategy

    async def aclose(self) -> None:
        """Release what the storage holds (on app shutdown)."""
        if self._storage is not None:
            await close_storage(self._storage)

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
        allowed = await self.strategy.hit(item, *parts, cost=cost)
        stats = await self.strategy.get_window_stats(item, *parts)
        return LimitResult(limit, allowed, stats.remaining, stats.reset_time)

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
        """Swap in a limiter with fresh in-memory counters and the same named limiters."""
        fake = RateLimiterManager(self.settings.model_copy(update={"store": "memory"}), self.redis)
        fake._limiters = dict(self._limiters)
        return self.swap(fake)
