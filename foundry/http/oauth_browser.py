"""Dependencies shared by the OAuth2 HTML pages: the session cookies, the signed-in user, the
``next`` target of a form and the second-factor proof a form carries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.revocations import sessions_ended_at
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.oauth2 import OAuth2Settings
from foundry.http.auth import Authenticated
from foundry.http.dependencies import Inject
from foundry.http.web_session import BrowserSession, SessionCookies
from foundry.kernel.application import Application

__all__ = [
    "Cookies",
    "SpaUser",
    "browser_user",
    "form_proof",
    "safe_next",
    "session_cookies",
    "spa_user",
]


def session_cookies(app: Inject[Application], settings: Inject[OAuth2Settings]) -> SessionCookies:
    """The cookie codec; ``Secure`` unless the app runs ``local`` or ``testing``."""
    return SessionCookies(
        app.key(),
        name=settings.session_cookie,
        ttl=settings.session_ttl,
        secure=app.environment not in ("local", "testing"),
    )


Cookies = Annotated[SessionCookies, Depends(session_cookies)]


async def browser_user(
    browser: BrowserSession | None, session: AsyncSession, users: UserProvider
) -> AuthUser | None:
    """The user of a browser session, if they still exist and have not ended their sessions
    (logout-all, a password change or reset) since it started."""
    if browser is None or browser.user_id is None:
        return None
    ended = await sessions_ended_at(session, browser.user_id)
    if ended is not None and browser.issued_at <= int(ended.timestamp() * 1000):
        return None
    return await users.find(session, browser.user_id)


async def spa_user(auth: Authenticated) -> AuthUser | None:
    """The user of a first-party login token (``Authorization: Bearer``), else ``None``.

    OAuth access tokens (they carry ``client_id``) and personal access tokens are refused here: a
    token issued to one client must not approve another.
    """
    if auth is None or not auth.first_party:
        return None
    return auth.user


SpaUser = Annotated[AuthUser | None, Depends(spa_user)]


def safe_next(value: str | None, default: str = "/oauth/device") -> str:
    """A path of this site (the authorization and device pages, the queue dashboard), else
    ``default``: never an open redirect, so no scheme, no host and no ``//`` or backslash a
    browser reads as one."""
    if not value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value or not value.startswith("/"):
        return default
    if value.startswith("//") or any(ord(char) < 0x20 for char in value):
        return default
    return value


def form_proof(form: Mapping[str, str]) -> dict[str, Any]:
    """The second-factor proof of a posted form, as :class:`~foundry.mfa.service.MfaService`
    takes it: ``code``, ``recovery_code``, or ``method=webauthn`` with the passkey's assertion as
    a JSON ``credential`` field (what the page's passkey button fills in). Empty fields are left
    out."""
    proof: dict[str, Any] = {
        name: form[name].strip()
        for name in ("method", "code", "recovery_code")
        if form.get(name, "").strip()
    }
    if form.get("credential"):
        try:
            credential = json.loads(form["credential"])
        except ValueError:
            credential = None
        if isinstance(credential, dict):
            proof["credential"] = credential
    if "recovery_code" in proof and "code" not in proof:
        proof.setdefault("method", "recovery_code")
    return proof
