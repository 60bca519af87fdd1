"""FastAPI dependencies: the dashboard's access check for pages and for the JSON endpoints.

Every action (retry, forget, cancel, pause, continue) is an :data:`ApiActor`: the gate, the
session's CSRF token, and, for a user with MFA (or whose role must use it), a second factor
proved within ``MFA_STEP_UP_MAX_AGE`` seconds (403 ``mfa_required`` otherwise: the page sends the
user to the step-up page, which brings them back).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.queue_dashboard import QueueDashboardSettings
from foundry.dashboard.access import DashboardAccess, check_access
from foundry.http.dependencies import Inject
from foundry.http.mfa import BrowserMfa
from foundry.http.oauth_browser import Cookies
from foundry.kernel.application import Application
from foundry.kernel.errors import AuthenticationError, AuthorizationError
from foundry.permissions.gate import AccessGate

__all__ = [
    "CSRF_HEADER",
    "Access",
    "ApiActor",
    "ApiViewer",
    "DashboardSettings",
    "dashboard_settings",
]

#: The header the pages' scripts send the session's CSRF token in.
CSRF_HEADER = "X-CSRF-Token"


def dashboard_settings(app: Inject[Application]) -> QueueDashboardSettings:
    """``QUEUE_DASHBOARD_*``."""
    return app.config.settings(QueueDashboardSettings)


DashboardSettings = Annotated[QueueDashboardSettings, Depends(dashboard_settings)]


async def dashboard_access(
    request: Request,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    gate: Inject[AccessGate],
) -> DashboardAccess:
    """Who is asking, and whether the gate lets them in (pages decide what to answer)."""
    return await check_access(request, cookies, session, users, gate)


Access = Annotated[DashboardAccess, Depends(dashboard_access)]


async def api_viewer(access: Access) -> DashboardAccess:
    """The JSON endpoints' check: 401 without a session, 403 when the gate says no."""
    if access.outcome == "guest":
        raise AuthenticationError("Sign in to see the queue dashboard.")
    if access.outcome == "forbidden":
        raise AuthorizationError("You may not see the queue dashboard.")
    return access


ApiViewer = Annotated[DashboardAccess, Depends(api_viewer)]


async def api_actor(request: Request, access: ApiViewer, mfa: Inject[BrowserMfa]) -> AuthUser:
    """An action's check: :func:`api_viewer`, then the session's CSRF token in
    :data:`CSRF_HEADER` (a 403 ``csrf_mismatch`` otherwise), then a recent second factor
    (:meth:`BrowserMfa.require`: 403 ``mfa_required`` or ``mfa_enrolment_required``)."""
    assert access.browser is not None and access.user is not None
    if not access.browser.csrf_matches(request.headers.get(CSRF_HEADER)):
        raise AuthorizationError(
            "The page's security token is missing or expired: reload the page.",
            error="csrf_mismatch",
        )
    # After the CSRF check: another site's page learns nothing about the user's factors.
    await mfa.require(access.browser, access.user)
    return access.user


ApiActor = Annotated[AuthUser, Depends(api_actor)]
