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
    #: Requests per minute per client IP allowed by the built-in ``api`` limiter, which the
    #: ``api`` middleware group applies to every route in it.
    api_per_minute: int = Field(default=60, ge=1, validation_alias="RATE_LIMIT_API_PER_MINUTE")
    #: Failed logins a minute per (email, IP) before 429 (login API, OAuth2 sign-in page,
    #: password grant).
    login_per_minute: int = Field(default=5, ge=1, validation_alias="RATE_LIMIT_LOGIN_PER_MINUTE")
    #: Failed logins a minute per IP, whatever the email, before 429.
    login_ip_per_minute: int = Field(
        default=20, ge=1, validation_alias="RATE_LIMIT_LOGIN_IP_PER_MINUTE"
    )
    #: Failed OAuth2 client authentications a minute per (client_id, IP) before the token,
    #: introspection, revocation and device endpoints refuse that pair with 429.
    client_auth_per_minute: int = Field(
        default=10, ge=1, validation_alias="RATE_LIMIT_CLIENT_AUTH_PER_MINUTE"
    )
    #: Wrong device user codes a minute per IP on ``/oauth/device`` before 429.
    device_code_per_minute: int = Field(
        default=10, ge=1, validation_alias="RATE_LIMIT_DEVICE_CODE_PER_MINUTE"
    )


SETTINGS = RateLimitSettings
