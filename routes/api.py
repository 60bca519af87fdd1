"""API routes: JSON endpoints under ``/api/v1``, inside the ``api`` middleware group.

The framework's groups (authentication, OAuth2, roles and permissions) are included here; leave
one out to replace its controllers with your own. Add the application's routers below them.
"""

from __future__ import annotations

from app.http.controllers import user_controller
from foundry.http import routes as foundry_routes
from foundry.http.kernel import HttpKernel

__all__ = ["register"]

API_PREFIX = "/api/v1"


def register(kernel: HttpKernel) -> None:
    """Include every API router, in the order requests are matched."""
    foundry_routes.health(kernel)
    foundry_routes.oauth_token_endpoints(kernel)
    kernel.include(user_controller.router, group="api", prefix=API_PREFIX)
    foundry_routes.auth(kernel, prefix=API_PREFIX)
    foundry_routes.permissions(kernel, prefix=API_PREFIX)
    foundry_routes.oauth_api(kernel, prefix=API_PREFIX)
