"""Binds the cache manager; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.cache.manager import CacheManager
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["CacheServiceProvider"]


class CacheServiceProvider(ServiceProvider):
    """Registers :class:`CacheManager` as a singleton and checks ``CACHE_STORE`` at start-up."""

    def register(self, container: Container) -> None:
        container.singleton(CacheManager)

    def boot(self, app: Application) -> None:
        # Building the default store does no I/O, but an unknown CACHE_STORE fails at start-up
        # rather than on the first request that touches the cache. Once every provider has
        # booted, so a store the app adds with ``extend`` in its own ``boot`` counts.
        app.booted(app.container.make(CacheManager).store)
