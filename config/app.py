"""The application: its service providers and route files (name, key and URL come from ``APP_*``).

The framework's defaults are in :class:`foundry.config.app.AppSettings`.
"""

from __future__ import annotations

from pydantic import Field

from foundry.config.app import FRAMEWORK_PROVIDERS, AppSettings

__all__ = ["AppConfig"]


class AppConfig(AppSettings):
    """This application's settings."""

    #: The framework's providers first, then the application's own (``app/providers/``).
    providers: list[str] = Field(
        default_factory=lambda: [
            *FRAMEWORK_PROVIDERS,
            "app.providers.app_service_provider.AppServiceProvider",
            "app.providers.auth_service_provider.AuthServiceProvider",
            "app.providers.event_service_provider.EventServiceProvider",
            "app.providers.observer_service_provider.ObserverServiceProvider",
        ],
        validation_alias="APP_PROVIDERS",
    )
    #: Route files, included in this order: each has a ``register(kernel)`` function.
    routes: list[str] = Field(
        default_factory=lambda: ["routes.api", "routes.web"], validation_alias="APP_ROUTES"
    )


SETTINGS = AppConfig
