"""The app factory: ``create_app()`` builds the FastAPI app; ``uvicorn foundry.http.app:app``
serves one, with the route files the application lists in ``config/app.py``.

``app`` is built on first access (a module ``__getattr__``), so importing this module -- as the
CLI and the tests do -- builds nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from foundry.config.logging import LoggingSettings
from foundry.http.kernel import HttpKernel
from foundry.http.production import check_production
from foundry.http.routes import load_route_files
from foundry.kernel.application import Application
from foundry.kernel.gc_tuning import tune_after_boot
from foundry.kernel.logging import configure_logging

__all__ = ["create_app"]


def create_app(
    application: Application | None = None, *, routes: Sequence[str] | None = None
) -> FastAPI:
    """Build the HTTP app for ``application`` (a fresh, bootstrapped ``Application()`` if none).

    ``routes`` names the route files to load instead of the application's ``APP_ROUTES`` (what
    ``artisan broadcast:serve`` uses to serve the broadcasting routes alone).

    The app's lifespan shuts the application down (closing pools and clients) when the server
    stops; ``app.state.application`` is the application it serves.

    Raises:
        UnsafeProductionConfigError: ``APP_ENV=production`` without ``TRUSTED_HOSTS``, with a
            mailer that delivers nothing, or with ``APP_DEBUG=true``.
    """
    application = application or Application()
    application.bootstrap()
    check_production(application)
    configure_logging(application.config.settings(LoggingSettings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        settings = application.settings
        tune_after_boot(freeze=settings.gc_freeze, threshold=settings.gc_threshold)
        try:
            yield
        finally:
            await application.shutdown()

    kernel = HttpKernel(application, lifespan=lifespan)
    load_route_files(kernel, application.settings.routes if routes is None else routes)
    return kernel.app


def __getattr__(name: str) -> FastAPI:
    # ``uvicorn foundry.http.app:app`` looks the attribute up; build the app then, once.
    if name == "app":
        built = create_app()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
