"""API routes: the framework's groups under ``/api/v1``, and the test application's user listing."""

from __future__ import annotations

from foundry.http import routes as foundry_routes
from foundry.http.kernel import HttpKernel
from tests.foundry.testbench import users

__all__ = ["API_PREFIX", "register"]

API_PREFIX = "/api/v1"


def register(kernel: HttpKernel) -> None:
    """Include every API router, in the order an application's ``routes/api.py`` does."""
    foundry_routes.health(kernel)
    foundry_routes.oauth_token_endpoints(kernel)
    kernel.include(users.router, group="api", prefix=API_PREFIX)
    foundry_routes.auth(kernel, prefix=API_PREFIX)
    foundry_routes.passkeys(kernel, prefix=API_PREFIX)
    foundry_routes.permissions(kernel, prefix=API_PREFIX)
    foundry_routes.oauth_api(kernel, prefix=API_PREFIX)
    foundry_routes.notifications_api(kernel, prefix=API_PREFIX)
    foundry_routes.push_subscriptions(kernel, prefix=API_PREFIX)
    foundry_routes.activity(kernel, prefix=API_PREFIX)
