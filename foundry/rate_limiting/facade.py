"""The ``RateLimiter`` facade: the running application's :class:`RateLimiterManager`."""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.rate_limiting.manager import RateLimiterManager

__all__ = ["RateLimiter"]

#: The rate limiter of the running app, typed as :class:`RateLimiterManager`.
RateLimiter: RateLimiterManager = facade(RateLimiterManager)
