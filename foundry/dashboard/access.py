"""Who may see the queue dashboard: a user signed in through the browser session of the OAuth2
pages, whom the ``view-queue-dashboard`` gate allows.

The gate is defined, unless the app defined it first, as "has the ``queue.dashboard``
permission"; the ``super-admin`` role passes through the permissions battery's ``before`` hook.
An app decides otherwise with ``Gate.define("view-queue-dashboard", ...)`` in its
``AuthServiceProvider``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.http.oauth_browser import browser_user
from foundry.http.permissions import load_gate_user
from foundry.http.web_session import BrowserSession, SessionCookies
from foundry.permissions.gate import AccessGate

__all__ = [
    "ABILITY",
    "PERMISSION",
    "DashboardAccess",
    "check_access",
    "define_default_gate",
    "has_dashboard_permission",
]

#: The gate ability the dashboard asks.
ABILITY = "view-queue-dashboard"
#: The permission the default gate asks for.
PERMISSION = "queue.dashboard"


def has_dashboard_permission(user: Any) -> bool:
    """The default gate: the user holds :data:`PERMISSION` (directly or through a role)."""
    check = getattr(user, "check_permission_to", None)
    return bool(callable(check) and check(PERMISSION))


def define_default_gate(gate: AccessGate) -> None:
    """Define :data:`ABILITY` as :func:`has_dashboard_permission` unless the app defined it."""
    if not gate.has(ABILITY):
        gate.define(ABILITY, has_dashboard_permission)


@dataclass(frozen=True, slots=True)
class DashboardAccess:
    """The outcome of the check: ``allowed``, ``guest`` (not signed in) or ``forbidden``."""

    outcome: Literal["allowed", "guest", "forbidden"]
    browser: BrowserSession | None
    user: AuthUser | None


async def check_access(
    request: Request,
    cookies: SessionCookies,
    session: AsyncSession,
    users: UserProvider,
    gate: AccessGate,
) -> DashboardAccess:
    """Read the browser session and ask the gate."""
    browser = cookies.read(request)
    user = await browser_user(browser, session, users)
    if user is None:
        return DashboardAccess("guest", browser, None)
    await load_gate_user(request, user)
    allowed = gate.allows(ABILITY, user=user)
    return DashboardAccess("allowed" if allowed else "forbidden", browser, user)
