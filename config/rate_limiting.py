"""Rate limiting: where the counters live and how windows are counted.

The framework's defaults are in :class:`foundry.config.rate_limiting.RateLimitSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.rate_limiting import RateLimitSettings

__all__ = ["RateLimitConfig"]


class RateLimitConfig(RateLimitSettings):
    """This application's rate limiting settings."""


SETTINGS = RateLimitConfig
