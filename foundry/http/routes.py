"""The framework's route groups, which the application's route files include (as Passport's and
Fortify's routes are included in Laravel), and the loader of those route files.

Each group takes the kernel and the prefix of its API routes::

    from foundry.http import routes as foundry_routes

    def register(kernel: HttpKernel) -> None:
        foundry_routes.auth(kernel, prefix="/api/v1")

Its controllers live in :mod:`foundry.http.controllers`; an application replaces one by not
including the group and including its own router instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import cast

from foundry.http.controllers import (
    account_recovery,
)
from foundry.http.controllers import activity as activity_controller
from foundry.http.controllers import auth as auth_controller
from foundry.http.controllers import health as health_controller
from foundry.http.controllers import (
    jwks,
    oauth_authorize,
    oauth_clients,
    oauth_device,
    oauth_token,
    personal_access_tokens,
    roles,
    user_access,
)
from foundry.http.kernel import HttpKernel

__all__ = [
    "activity",
    "auth",
    "health",
    "load_route_files",
    "oauth_api",
    "oauth_token_endpoints",
    "oauth_web",
    "permissions",
]

RouteFile = Callable[[HttpKernel], None]


def health(kernel: HttpKernel) -> None:
    """``GET /health`` and ``/health/ready``, outside every middleware group."""
    kernel.include(health_controller.router)


def oauth_token_endpoints(kernel: HttpKernel) -> None:
    """``/oauth/token``, introspection, revocation, metadata and ``/.well-known/jwks.json``.

    Include it first: routes are matched in order and the token endpoint is the busiest
    machine-to-machine route.
    """
    kernel.include(jwks.router)
    kernel.include(oauth_token.router, group="api")


def auth(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """Registration, login, refresh, logout, ``/auth/me``, email verification, password resets."""
    kernel.include(auth_controller.router, group="api", prefix=prefix)
    kernel.include(account_recovery.router, group="api", prefix=prefix)


def permissions(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The roles and permissions admin API and a user's roles and permissions."""
    kernel.include(roles.router, group="api", prefix=prefix)
    kernel.include(user_access.router, group="api", prefix=prefix)


def activity(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The activity log's admin API (``GET /activity``, permission ``activity.view``)."""
    kernel.include(activity_controller.router, group="api", prefix=prefix)


def oauth_api(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The device authorization endpoint, OAuth2 client management and personal access tokens."""
    kernel.include(oauth_device.device_router, group="api")
    kernel.include(oauth_clients.router, group="api", prefix=prefix)
    kernel.include(personal_access_tokens.router, group="api", prefix=prefix)


def oauth_web(kernel: HttpKernel) -> None:
    """The browser pages: ``/oauth/authorize`` (login and consent) and device verification."""
    kernel.include(oauth_authorize.router, group="web")
    kernel.include(oauth_device.router, group="web")


def load_route_files(kernel: HttpKernel, modules: Iterable[str]) -> None:
    """Import each route file (``"routes.api"``) and call its ``register(kernel)``."""
    for name in modules:
        register = getattr(importlib.import_module(name), "register", None)
        if not callable(register):
            raise TypeError(f"route file {name} has no register(kernel) function")
        cast(RouteFile, register)(kernel)
