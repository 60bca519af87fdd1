"""The route list: every router the app serves, with its prefix and middleware group.

Laravel keeps ``routes/api.php`` and ``routes/web.php``; here one function registers both kinds::

    kernel.include(users.router, group="api", prefix="/api/v1")
    kernel.include(consent.router, group="web", prefix="/oauth")

Routers outside any group (health checks) get only the global middleware.
"""

from __future__ import annotations

from app.http.controllers import (
    account_recovery,
    auth,
    health,
    jwks,
    oauth_authorize,
    oauth_clients,
    oauth_device,
    oauth_token,
    personal_access_tokens,
    roles,
    user_access,
    users,
)
from app.http.kernel import HttpKernel

__all__ = ["register_routes"]


def register_routes(kernel: HttpKernel) -> None:
    """Include every router of the app into ``kernel``."""
    kernel.include(health.router)
    kernel.include(jwks.router)
    # Routes are matched in order: the busiest machine-to-machine endpoint goes first.
    kernel.include(oauth_token.router, group="api")
    kernel.include(users.router, group="api", prefix="/api/v1")
    kernel.include(auth.router, group="api", prefix="/api/v1")
    kernel.include(account_recovery.router, group="api", prefix="/api/v1")
    kernel.include(roles.router, group="api", prefix="/api/v1")
    kernel.include(user_access.router, group="api", prefix="/api/v1")
    kernel.include(oauth_authorize.router, group="web")
    kernel.include(oauth_device.device_router, group="api")
    kernel.include(oauth_device.router, group="web")
    kernel.include(oauth_clients.router, group="api", prefix="/api/v1")
    kernel.include(personal_access_tokens.router, group="api", prefix="/api/v1")
