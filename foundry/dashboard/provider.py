"""``QueueDashboardServiceProvider``: defines the dashboard's gate once every provider booted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.dashboard.access import define_default_gate
from foundry.kernel.providers import ServiceProvider
from foundry.permissions.gate import AccessGate

if TYPE_CHECKING:
    from foundry.kernel.application import Application

__all__ = ["QueueDashboardServiceProvider"]


class QueueDashboardServiceProvider(ServiceProvider):
    """List it in ``config/app.py``; the routes come from ``foundry.dashboard.routes``."""

    def boot(self, app: Application) -> None:
        # After every provider: a definition the app's AuthServiceProvider made wins, whatever
        # the order of the providers.
        app.booted(lambda: define_default_gate(app.container.make(AccessGate)))
