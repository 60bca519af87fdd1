"""Binds the rate limiter and defines the built-in ``api`` limiter; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.rate_limiting.limit import Limit
from foundry.rate_limiting.manager import RateLimiterManager
from foundry.rate_limiting.throttle import client_ip

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["RateLimitServiceProvider"]


class RateLimitServiceProvider(ServiceProvider):
    """Registers :class:`RateLimiterManager` as a singleton and checks ``RATE_LIMIT_STORE``.

    ``boot`` defines ``api`` (``RATE_LIMIT_API_PER_MINUTE`` per client IP) unless a provider that
    booted earlier defined it; a provider booting later may redefine it (per user, say).
    """

    def register(self, container: Container) -> None:
        container.singleton(RateLimiterManager)

    def boot(self, app: Application) -> None:
        manager = app.container.make(RateLimiterManager)
        per_minute = manager.settings.api_per_minute
        if not manager.has_limiter("api"):
            manager.for_("api", lambda request: Limit.per_minute(per_minute).by(client_ip(request)))
        app.on_shutdown(manager.aclose)
        # Building the storage does no I/O, but an unknown RATE_LIMIT_STORE fails at start-up
        # (once every provider has booted, so a store the app adds in its ``boot`` counts).
        app.booted(lambda: manager.storage)
