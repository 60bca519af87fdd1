"""Web routes: HTML pages inside the ``web`` middleware group (Content-Security-Policy).

The framework's OAuth2 pages (login, consent, device verification) are included here; add the
application's pages to the ``web`` group below (``web.include(pages.router)``).
"""

from __future__ import annotations

from foundry.dashboard.routes import queue_dashboard
from foundry.http import routes as foundry_routes
from foundry.http.kernel import HttpKernel

__all__ = ["register"]


def register(kernel: HttpKernel) -> None:
    """Every web route, in the order requests are matched."""
    foundry_routes.oauth_web(kernel)  # /oauth/authorize, /oauth/device
    foundry_routes.broadcasting(kernel)  # /app/{key} (WebSocket), /broadcasting/auth, /apps/...
    foundry_routes.passkeys_page(kernel)  # /auth/passkeys
    queue_dashboard(kernel)  # /queue (QUEUE_DASHBOARD_PATH; QUEUE_DASHBOARD_ENABLED=false: off)
    foundry_routes.storage(kernel)  # /storage (the public disk), /storage-temp (signed links)
    # The application's pages, once it has some:
    # RouteGroup(kernel, "web").include(pages.router)   (foundry.http.route_group)
