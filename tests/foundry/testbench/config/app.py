"""The test application's providers and route files."""

from __future__ import annotations

from pydantic import Field

from foundry.config.app import FRAMEWORK_PROVIDERS, AppSettings

__all__ = ["AppConfig"]

#: The framework's providers, then the test application's (as ``config/app.py`` lists an app's).
PROVIDERS: tuple[str, ...] = (
    *FRAMEWORK_PROVIDERS,
    "tests.foundry.testbench.providers.AuthServiceProvider",
    "tests.foundry.testbench.providers.EventServiceProvider",
    "tests.foundry.testbench.providers.ObserverServiceProvider",
)


class AppConfig(AppSettings):
    """Every framework provider and route group, as a real application would have them."""

    providers: list[str] = Field(
        default_factory=lambda: list(PROVIDERS), validation_alias="APP_PROVIDERS"
    )
    routes: list[str] = Field(
        default_factory=lambda: [
            "tests.foundry.testbench.routes.api",
            "tests.foundry.testbench.routes.web",
        ],
        validation_alias="APP_ROUTES",
    )


SETTINGS = AppConfig
