"""``WithoutOverlapping`` and ``ThrottlesExceptions`` job middleware.

```python
def middleware(self) -> list[JobMiddleware]:
    return [
        WithoutOverlapping(f"user:{self.user_id}", release_after=10, expire_after=300),
        ThrottlesExceptions(max_attempts=5, decay_seconds=600),
    ]
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.cache import Cache
from foundry.jobs.middleware import Next
from foundry.jobs.serialization import class_path
from foundry.kernel.facades import facade_root
from foundry.rate_limiting.facade import RateLimiter

if TYPE_CHECKING:
    from foundry.jobs.job import Job
    from foundry.rate_limiting.manager import RateLimiterManager

__all__ = ["ThrottlesExceptions", "WithoutOverlapping"]


class WithoutOverlapping:
    """Never run two jobs of the same class and ``key`` at once (a cache lock).

    A job that finds the lock taken is released for ``release_after`` seconds (``None``: deleted
    instead). ``expire_after`` bounds the lock, so a worker that died cannot hold it for ever.
    """

    def __init__(
        self, key: str = "", release_after: float | None = 0, expire_after: float = 0
    ) -> None:
        self.key = key
        self.release_after = release_after
        self.expire_after = expire_after

    async def handle(self, job: Job, next: Next) -> object:
        """Run under the lock, or release/delete the job when it is held."""
        cache = facade_root(Cache)
        name = f"queue:overlap:{class_path(type(job))}:{self.key}"
        lock = cache.store().lock(name, self.expire_after)
        if not await lock.acquire():
            if self.release_after is None:
                job.delete()
            else:
                job.release(self.release_after)
            return None
        try:
            return await next(job)
        finally:
            await lock.release()


class ThrottlesExceptions:
    """After ``max_attempts`` exceptions within ``decay_seconds``, stop running the job class
    (or ``key``) for the rest of the window: jobs are released until it resets."""

    def __init__(self, max_attempts: int = 10, decay_seconds: int = 600, key: str = "") -> None:
        self.max_attempts = max_attempts
        self.decay_seconds = decay_seconds
        self.key = key

    async def handle(self, job: Job, next: Next) -> object:
        """Release while throttled; count exceptions; a success clears the count."""
        limiter = facade_root(RateLimiter)
        key = f"queue:throttle:{class_path(type(job))}:{self.key}"
        if await limiter.too_many_attempts(key, self.max_attempts):
            job.release(max(1, await limiter.available_in(key)))
            return None
        try:
            result = await next(job)
        except Exception:
            await limiter.hit(key, self.decay_seconds)
            raise
        await limiter.clear(key)
        return result
