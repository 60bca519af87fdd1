"""Application settings: name, environment, debug, key, URL and service providers."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from foundry.config.base import BASE_PATH, Settings

__all__ = ["FRAMEWORK_PROVIDERS", "AppSettings", "Environment"]

Environment = Literal["local", "testing", "production"]

#: The framework's own providers: each binds a battery or identity service into the container.
FRAMEWORK_PROVIDERS: tuple[str, ...] = (
    "foundry.database.provider.DatabaseServiceProvider",
    "foundry.cache.provider.CacheServiceProvider",
    "foundry.auth.provider.AuthenticationServiceProvider",
    "foundry.auth.passwords.provider.PasswordServiceProvider",
    "foundry.auth.jwt.provider.JwtServiceProvider",
    "foundry.oauth2.provider.OAuth2ServiceProvider",
    "foundry.mail.provider.MailServiceProvider",
    "foundry.sms.provider.SmsServiceProvider",
    "foundry.rate_limiting.provider.RateLimitServiceProvider",
    "foundry.events.service_provider.EventServiceProvider",
    "foundry.database.observer_provider.ObserverServiceProvider",
    "foundry.permissions.provider.PermissionServiceProvider",
    # TOTP and SMS codes as second factors (after the SMS battery and the rate limiter).
    "foundry.mfa.factors_provider.MfaFactorsServiceProvider",
    "foundry.queue.provider.QueueServiceProvider",
    "foundry.broadcasting.provider.BroadcastServiceProvider",
    # Multi-factor authentication: before the factor batteries that add to its registry.
    "foundry.mfa.provider.MfaServiceProvider",
    "foundry.mfa.webauthn.provider.PasskeyServiceProvider",
    "foundry.storage.provider.StorageServiceProvider",
    "foundry.notifications.provider.NotificationServiceProvider",
    "foundry.notifications.web_channels_provider.WebChannelsServiceProvider",
    "foundry.activity.provider.ActivityServiceProvider",
    # The queue dashboard's gate (its pages are mounted by the app's routes/web.py).
    "foundry.dashboard.provider.QueueDashboardServiceProvider",
)


class AppSettings(Settings):
    """``APP_*`` variables."""

    name: str = Field(default="Foundry", validation_alias="APP_NAME")
    env: Environment = Field(default="local", validation_alias="APP_ENV")
    debug: bool = Field(default=False, validation_alias="APP_DEBUG")
    key: str = Field(default="", validation_alias="APP_KEY", repr=False)
    #: Keys used before ``APP_KEY`` (comma-separated ``base64:...``): what they signed is still
    #: accepted (queued job payloads), nothing new is signed with them.
    previous_keys: str = Field(default="", validation_alias="APP_PREVIOUS_KEYS", repr=False)
    url: str = Field(default="http://127.0.0.1:8000", validation_alias="APP_URL")
    timezone: str = Field(default="UTC", validation_alias="APP_TIMEZONE")
    #: Freeze the objects alive after boot out of the garbage collector's walks (servers and
    #: workers; see ``foundry.kernel.gc_tuning``).
    gc_freeze: bool = Field(default=True, validation_alias="APP_GC_FREEZE")
    #: The collector's first-generation threshold once booted (0 keeps Python's default, 700).
    gc_threshold: int = Field(default=10_000, ge=0, validation_alias="APP_GC_THRESHOLD")
    #: Service providers, registered in this order and then booted in this order. The app's
    #: ``config/app.py`` lists the framework's (:data:`FRAMEWORK_PROVIDERS`) and then its own.
    providers: list[str] = Field(
        default_factory=lambda: list(FRAMEWORK_PROVIDERS), validation_alias="APP_PROVIDERS"
    )
    #: Route modules, each with a ``register(kernel)`` function, included in this order.
    routes: list[str] = Field(default_factory=list, validation_alias="APP_ROUTES")
    #: The file ``artisan down`` writes and ``artisan up`` deletes: while it exists, every HTTP
    #: request is answered 503 (see ``foundry.http.maintenance``).
    maintenance_file: Path = Field(
        default=BASE_PATH / "storage" / "framework" / "down",
        validation_alias="APP_MAINTENANCE_FILE",
    )

    @field_validator("maintenance_file")
    @classmethod
    def _under_project_root(cls, value: Path) -> Path:
        # A relative path is the project's, wherever the server or artisan was started from.
        return value if value.is_absolute() else BASE_PATH / value


SETTINGS = AppSettings
