"""Registers the password hasher; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.auth.passwords.hasher import PasswordHasher
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["PasswordServiceProvider"]


class PasswordServiceProvider(ServiceProvider):
    """Binds :class:`PasswordHasher` as a singleton and stops its threads at shutdown."""

    def register(self, container: Container) -> None:
        container.singleton(PasswordHasher)

    def boot(self, app: Application) -> None:
        def close() -> None:
            # Only if something used it: resolving it now would start a pool just to stop it.
            hasher = app.container.resolved(PasswordHasher)
            if hasher is not None:
                hasher.close()

        app.on_shutdown(close)
