"""Errors raised by the rate limiter (hitting a limit raises ``TooManyRequestsError``)."""

from __future__ import annotations

__all__ = ["RateLimitError", "UnknownLimiterError", "UnknownRateLimitStoreError"]


class RateLimitError(Exception):
    """Base class of the rate limiter's own errors."""


class UnknownLimiterError(RateLimitError, LookupError):
    """``throttle("name")`` for a limiter nobody defined with ``RateLimiter.for_``.

    A typo in a limiter name must not turn the limit off, so it is an error, never a pass.
    """


class UnknownRateLimitStoreError(RateLimitError, LookupError):
    """A ``RATE_LIMIT_STORE`` that is neither built in nor added with ``RateLimiterManager.extend``."""
