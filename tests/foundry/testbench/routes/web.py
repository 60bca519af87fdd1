"""Web routes: the framework's OAuth2 pages (login, consent, device verification) and the queue
dashboard."""

from __future__ import annotations

from foundry.dashboard.routes import queue_dashboard
from foundry.http import routes as foundry_routes
from foundry.http.kernel import HttpKernel

__all__ = ["register"]


def register(kernel: HttpKernel) -> None:
    """Include every web router."""
    foundry_routes.oauth_web(kernel)
    foundry_routes.broadcasting(kernel)
    foundry_routes.passkeys_page(kernel)
    queue_dashboard(kernel)
    foundry_routes.storage(kernel)
