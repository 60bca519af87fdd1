"""API routes: JSON endpoints under ``/api/v1``, inside the ``api`` middleware group.

The framework's groups (authentication, OAuth2, roles and permissions) are included here; leave
one out to replace its controllers with your own. The application's routes go in the ``api``
group below: ``api.include(router)`` for a controller's router, ``api.resource("posts",
PostController, authorize=Post)`` for the five REST routes of a resource, named ``posts.index``
... ``posts.destroy`` (``url_for("posts.show", post=1)``). ``artisan route:list`` shows them all.
Routes are matched in the order they are registered.
"""

from __future__ import annotations

from app.http.controllers import user_controller
from foundry.http import routes as foundry_routes
from foundry.http.kernel import HttpKernel
from foundry.http.route_group import RouteGroup

__all__ = ["API_PREFIX", "register"]

API_PREFIX = "/api/v1"


def register(kernel: HttpKernel) -> None:
    """Every API route, in the order requests are matched."""
    foundry_routes.health(kernel)  # /health, /health/ready: outside every middleware group
    foundry_routes.oauth_token_endpoints(kernel)  # /oauth/token first: the busiest route

    api = RouteGroup(kernel, "api", prefix=API_PREFIX)
    api.include(user_controller.router)  # /api/v1/users

    foundry_routes.auth(kernel, prefix=API_PREFIX)  # /api/v1/auth/...
    foundry_routes.passkeys(kernel, prefix=API_PREFIX)  # /api/v1/auth/passkeys/...
    foundry_routes.permissions(kernel, prefix=API_PREFIX)  # /api/v1/roles, /permissions
    foundry_routes.oauth_api(kernel, prefix=API_PREFIX)  # clients, tokens, device codes
    foundry_routes.notifications_api(kernel, prefix=API_PREFIX)  # /api/v1/notifications
    foundry_routes.push_subscriptions(kernel, prefix=API_PREFIX)  # Web Push subscriptions
    foundry_routes.activity(kernel, prefix=API_PREFIX)  # /api/v1/activity
