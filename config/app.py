"""Application settings: name, environment, debug, key, URL and service providers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from config.base import Settings

Environment = Literal["local", "testing", "production"]


class AppSettings(Settings):
    """``APP_*`` variables."""

    name: str = Field(default="Foundry", validation_alias="APP_NAME")
    env: Environment = Field(default="local", validation_alias="APP_ENV")
    debug: bool = Field(default=False, validation_alias="APP_DEBUG")
    key: str = Field(default="", validation_alias="APP_KEY", repr=False)
    url: str = Field(default="http://127.0.0.1:8000", validation_alias="APP_URL")
    timezone: str = Field(default="UTC", validation_alias="APP_TIMEZONE")
    #: Freeze the objects alive after boot out of the garbage collector's walks (servers and
    #: workers; see ``app.support.gc_tuning``).
    gc_freeze: bool = Field(default=True, validation_alias="APP_GC_FREEZE")
    #: The collector's first-generation threshold once booted (0 keeps Python's default, 700).
    gc_threshold: int = Field(default=10_000, ge=0, validation_alias="APP_GC_THRESHOLD")
    #: Service providers, registered in this order and then booted in this order.
    providers: list[str] = Field(
        default=[
            "app.support.database.provider.DatabaseServiceProvider",
            "app.cache.provider.CacheServiceProvider",
            "app.auth.passwords.provider.PasswordServiceProvider",
            "app.auth.jwt.provider.JwtServiceProvider",
            "app.oauth2.provider.OAuth2ServiceProvider",
            "app.mail.provider.MailServiceProvider",
            "app.rate_limiting.provider.RateLimitServiceProvider",
            "app.events.provider.EventServiceProvider",
            "app.observers.provider.ObserverServiceProvider",
            "app.permissions.provider.PermissionServiceProvider",
            "app.policies.provider.AuthServiceProvider",
            "app.queue.provider.QueueServiceProvider",
        ],
        validation_alias="APP_PROVIDERS",
    )


SETTINGS = AppSettings
