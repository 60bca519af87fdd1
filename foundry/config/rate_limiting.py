"""Rate limiter settings: where the counters live and how windows are counted."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from foundry.config.base import Settings

RateLimitStrategy = Literal["fixed-window", "moving-window", "sliding-window-counter"]


class RateLimitSettings(Settings):
    """``RATE_LIMIT_*`` variables.

    ``memory`` keeps counters in the process (the embedded default: each uvicorn worker counts on
    its own); ``redis`` shares them across processes and machines on ``REDIS_URL``. Stores added
    with ``RateLimiterManager.extend`` may be named here too.
    """

    store: str = Field(default="memory", min_length=1, validation_alias="RATE_LIMIT_STORE")
    #: ``fixed-window`` is Laravel's behaviour; ``moving-window`` and ``sliding-window-counter``
    #: stop the burst a fixed window allows at a window boundary, at some cost.
    strategy: RateLimitStrategy = Field(
        default="fixed-window", validation_alias="RATE_LIMIT_STRATEGY"
    )
    #: Appended to ``REDIS_PREFIX`` for every counter key on Redis.
    prefix: str = Field(default="rate_limit", min_length=1, validation_alias="RATE_LIMIT_PREFIX")
    #: Requests per minute per client allowed by the built-in ``api`` limiter.
    api_per_minute: int = Field(default=60, ge=1, validation_alias="RATE_LIMIT_API_PER_MINUTE")


SETTINGS = RateLimitSettings
