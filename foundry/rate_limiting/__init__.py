"""The rate limiter battery: named limiters, ``throttle("api")``, and direct attempt counting."""

from __future__ import annotations

from foundry.rate_limiting.errors import (
    RateLimitError,
    UnknownLimiterError,
    UnknownRateLimitStoreError,
)
from foundry.rate_limiting.facade import RateLimiter
from foundry.rate_limiting.limit import Limit, ResponseFactory
from foundry.rate_limiting.manager import (
    LimiterCallback,
    LimitResult,
    LimitSpec,
    RateLimiterManager,
    StorageFactory,
)
from foundry.rate_limiting.throttle import (
    Throttle,
    apply_limiter,
    client_ip,
    throttle,
    throttled_limiters,
    verify_limiters,
)

__all__ = [
    "Limit",
    "LimitResult",
    "LimitSpec",
    "LimiterCallback",
    "RateLimitError",
    "RateLimiter",
    "RateLimiterManager",
    "ResponseFactory",
    "StorageFactory",
    "Throttle",
    "UnknownLimiterError",
    "UnknownRateLimitStoreError",
    "apply_limiter",
    "client_ip",
    "throttle",
    "throttled_limiters",
    "verify_limiters",
]
