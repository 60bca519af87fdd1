"""Service providers: ``register`` binds services, ``boot`` wires them once all are registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["ServiceProvider"]


class ServiceProvider:
    """Subclass and list the class's dotted path in ``config/app.py`` (``APP_PROVIDERS``).

    ``register`` only binds; it must not resolve other services, which may not be registered yet.
    ``boot`` runs after every provider registered, and may resolve anything. Teardown goes through
    ``app.on_shutdown``.
    """

    def __init__(self, app: Application) -> None:
        self.app = app

    def register(self, container: Container) -> None:
        """Bind this provider's services."""

    def boot(self, app: Application) -> None:
        """Wire the services once every provider has registered."""
