"""Binds the SMS manager; listed among the framework's providers (``FRAMEWORK_PROVIDERS``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.sms.manager import SmsManager

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["SmsServiceProvider"]


class SmsServiceProvider(ServiceProvider):
    """Registers :class:`SmsManager` as a singleton and checks ``SMS_DRIVER`` at start-up."""

    def register(self, container: Container) -> None:
        container.singleton(SmsManager)

    def boot(self, app: Application) -> None:
        container = app.container
        # Building the default driver does no I/O, but an unknown SMS_DRIVER (or a twilio driver
        # without its credentials) fails at start-up rather than on the first code sent. Once
        # every provider has booted, so a driver the app adds with ``extend`` counts.
        app.booted(lambda: container.make(SmsManager).driver())

        async def close() -> None:
            manager = container.resolved(SmsManager)
            if manager is not None:
                await manager.aclose()

        app.on_shutdown(close)
