"""Rate limits for jobs: ``RateLimitedMiddleware("name")`` and the ``RateLimited`` mixin.

Laravel calls the middleware ``RateLimited``; SPEC.md gives that name to the mixin, so the
middleware is ``RateLimitedMiddleware`` here.

A job over its limit is *released* (back on the queue until the window resets), never failed.

```python
RateLimiter.for_("backups", lambda job: Limit.per_hour(1).by(job.user_id))  # gets the job
class BackupJob(Job):
    def middleware(self) -> list[JobMiddleware]:
        return [RateLimitedMiddleware("backups")]

class EmailJob(Job, RateLimited):                       # SPEC.md's mixin form
    def get_rate_limits(self) -> list[RateLimit]:
        return [RateLimit(max_attempts=100, per_seconds=3600)]  # 100/hour for this job class
```

Counters live in the rate limiter's store (``RATE_LIMIT_STORE``): use ``redis`` so that every
worker shares them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from foundry.jobs.middleware import Next
from foundry.jobs.serialization import class_path
from foundry.kernel.facades import facade_root
from foundry.rate_limiting.facade import RateLimiter

if TYPE_CHECKING:
    from foundry.jobs.job import Job
    from foundry.rate_limiting.limit import Limit
    from foundry.rate_limiting.manager import RateLimiterManager

__all__ = ["RateLimit", "RateLimited", "RateLimitedMiddleware", "job_rate_limit_middleware"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``max_attempts`` runs per ``per_seconds``, per job class (and ``key`` when given)."""

    max_attempts: int
    per_seconds: int = 60
    key: str = ""


def _manager() -> RateLimiterManager:
    return facade_root(RateLimiter)


async def _admit(job: Job, name: str, limits: Sequence[Limit], release_after: float | None) -> bool:
    manager = _manager()
    for limit in limits:
        result = await manager.consume(name, limit)
        if not result.allowed:
            job.release(release_after if release_after is not None else result.retry_after)
            if job.context is not None:
                job.context.released_by_limiter = True
            return False
    return True


class RateLimitedMiddleware:
    """Job middleware for a named limiter; the callback receives the job."""

    def __init__(self, limiter: str, *, release_after: float | None = None) -> None:
        self.limiter = limiter
        self.release_after = release_after

    async def handle(self, job: Job, next: Next) -> object:
        """Run ``next(job)`` if the named limiter admits the job, else release it."""
        from foundry.rate_limiting.limit import Limit

        callback = cast(Any, _manager().limiter(self.limiter))
        spec = callback(job)
        if hasattr(spec, "__await__"):
            spec = await spec
        limits = [spec] if isinstance(spec, Limit) else list(spec)
        if not await _admit(job, self.limiter, limits, self.release_after):
            return None
        return await next(job)


class RateLimited:
    """SPEC.md's mixin: ``get_rate_limits()`` limits every job of the class."""

    def get_rate_limits(self) -> list[RateLimit]:
        """The limits (none unless overridden)."""
        return []


class _JobLimits:
    """The middleware the runner adds for a job using the mixin."""

    async def handle(self, job: Job, next: Next) -> object:
        from foundry.rate_limiting.limit import Limit

        assert isinstance(job, RateLimited)
        limits = [
            Limit(rule.max_attempts, rule.per_seconds, key=rule.key)
            for rule in job.get_rate_limits()
        ]
        if not await _admit(job, f"job:{class_path(type(job))}", limits, None):
            return None
        return await next(job)


def job_rate_limit_middleware(job: Job) -> list[_JobLimits]:
    """``[_JobLimits()]`` for a job using the mixin with limits, else ``[]``."""
    if isinstance(job, RateLimited) and job.get_rate_limits():
        return [_JobLimits()]
    return []
