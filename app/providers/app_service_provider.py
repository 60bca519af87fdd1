"""The application's own services: bind them in ``register``, use other services in ``boot``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["AppServiceProvider"]


class AppServiceProvider(ServiceProvider):
    """Laravel's ``AppServiceProvider``: the place for the application's bindings.

    Example: ``container.singleton(PaymentGateway, StripeGateway)`` in ``register``; a
    ``CacheManager.extend("memcached", ...)`` call in ``boot``.
    """

    def register(self, container: Container) -> None:
        """Bind the application's services."""

    def boot(self, app: Application) -> None:
        """Run once every provider is registered."""
