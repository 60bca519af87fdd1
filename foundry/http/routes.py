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
from foundry.http.controllers import broadcasting as broadcasting_controller
from foundry.http.controllers import health as health_controller
from foundry.http.controllers import jwks
from foundry.http.controllers import mfa as mfa_controller
from foundry.http.controllers import (
    mfa_sms,
    mfa_totp,
    notifications,
    oauth_authorize,
    oauth_clients,
    oauth_device,
    oauth_step_up,
    oauth_token,
    passkey_page,
)
from foundry.http.controllers import passkeys as passkeys_controller
from foundry.http.controllers import personal_access_tokens
from foundry.http.controllers import push_subscriptions as push_subscriptions_controller
from foundry.http.controllers import pusher_api, roles
from foundry.http.controllers import storage as storage_controller
from foundry.http.controllers import user_access
from foundry.http.kernel import HttpKernel

__all__ = [
    "activity",
    "auth",
    "broadcasting",
    "health",
    "load_route_files",
    "notifications_api",
    "oauth_api",
    "oauth_token_endpoints",
    "oauth_web",
    "passkeys",
    "passkeys_page",
    "permissions",
    "storage",
    "push_subscriptions",
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
    """Registration, login, refresh, logout, ``/auth/me``, MFA (the login flow, step-up,
    recovery codes, TOTP and SMS codes), email verification, password resets."""
    kernel.include(auth_controller.router, group="api", prefix=prefix)
    kernel.include(mfa_controller.router, group="api", prefix=prefix)
    kernel.include(account_recovery.router, group="api", prefix=prefix)
    kernel.include(mfa_totp.router, group="api", prefix=prefix)
    kernel.include(mfa_sms.router, group="api", prefix=prefix)


def passkeys(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """A user's passkeys and passwordless sign-in: ``/api/v1/auth/passkeys/...``."""
    kernel.include(passkeys_controller.router, group="api", prefix=prefix)


def passkeys_page(kernel: HttpKernel, *, api_prefix: str = "/api/v1") -> None:
    """``/auth/passkeys``: a page to register a passkey and sign in with one (and its script),
    calling the API :func:`passkeys` included under ``api_prefix``."""
    kernel.include(passkey_page.page_router(api_prefix), group="web")


def permissions(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The roles and permissions admin API and a user's roles and permissions."""
    kernel.include(roles.router, group="api", prefix=prefix)
    kernel.include(user_access.router, group="api", prefix=prefix)


def notifications_api(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The signed-in user's stored notifications: list, mark read, mark all read, delete."""
    kernel.include(notifications.router, group="api", prefix=prefix)


def activity(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The activity log's admin API (``GET /activity``, permission ``activity.view``)."""
    kernel.include(activity_controller.router, group="api", prefix=prefix)


def oauth_api(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The device authorization endpoint, OAuth2 client management and personal access tokens."""
    kernel.include(oauth_device.device_router, group="api")
    kernel.include(oauth_clients.router, group="api", prefix=prefix)
    kernel.include(personal_access_tokens.router, group="api", prefix=prefix)


def push_subscriptions(kernel: HttpKernel, *, prefix: str = "/api/v1") -> None:
    """The signed-in user's Web Push subscriptions and the VAPID public key."""
    kernel.include(push_subscriptions_controller.router, group="api", prefix=prefix)


def oauth_web(kernel: HttpKernel) -> None:
    """The browser pages: ``/oauth/authorize`` (login and consent), the step-up page of the
    browser session (``/oauth/step-up``) and device verification."""
    kernel.include(oauth_authorize.router, group="web")
    kernel.include(oauth_step_up.router, group="web")
    kernel.include(oauth_device.router, group="web")


def broadcasting(kernel: HttpKernel) -> None:
    """The WebSocket server (``/app/{key}``), ``POST /broadcasting/auth`` and Pusher's HTTP API
    (``/apps/{id}/...``, signed, so outside the ``api`` group's per-IP rate limit)."""
    kernel.include(broadcasting_controller.socket_router)
    kernel.include(broadcasting_controller.auth_router, group="api")
    kernel.include(pusher_api.router)


def storage(kernel: HttpKernel) -> None:
    """``/storage/{path}`` (the ``public`` disk) and ``/storage-temp/...`` (local temporary URLs),
    outside every middleware group: files need no session."""
    kernel.include(storage_controller.router)


def load_route_files(kernel: HttpKernel, modules: Iterable[str]) -> None:
    """Import each route file (``"routes.api"``) and call its ``register(kernel)``."""
    for name in modules:
        register = getattr(importlib.import_module(name), "register", None)
        if not callable(register):
            raise TypeError(f"route file {name} has no register(kernel) function")
        cast(RouteFile, register)(kernel)
