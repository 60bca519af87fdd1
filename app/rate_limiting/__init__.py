"""The rate limiter battery: named limiters, ``throttle("api")``, and direct attempt counting."""

from __future__ import annotations

from app.rate_limiting.errors import RateLimitError, UnknownLimiterError
from app.rate_limiting.limit import Limit, ResponseFactory
from app.rate_limiting.manager import LimiterCallback, LimitResult, LimitSpec, RateLimiterManager
from app.rate_limiting.throttle import (
    Throttle,
    client_ip,
    throttle,
    throttled_limiters,
    verify_limiters,
)
from app.support.facades import facade

__all__ = [
    "Limit",
    "LimitResult",
    "LimitSpec",
    "LimiterCallback",
    "RateLimitError",
    "RateLimiter",
    "RateLimiterManager",
    "ResponseFactory",
    "Throttle",
    "UnknownLimiterError",
    "client_ip",
    "throttle",
    "throttled_limiters",
    "verify_limiters",
]

#: The rate limiter of the running app, typed as :class:`RateLimiterManager`.
RateLimiter: RateLimiterManager = facade(RateLimiterManager)
