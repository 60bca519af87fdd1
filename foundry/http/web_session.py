"""The browser session of the OAuth2 pages: a signed cookie holding the user id and a CSRF token.

The cookie is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` outside ``local``/``testing``; its
value is ``base64url(json) . HMAC-SHA256`` with a key derived from the app key, so it cannot be
forged or edited, and it expires on its own (``OAUTH2_SESSION_TTL``). Every form carries the
CSRF token, compared in constant time with the cookie's.

It also says when the user last proved a second factor (``mfa``, epoch seconds): the sign-in's
second step and the step-up page (``/oauth/step-up``) set it, and pages that need a recent second
factor (the queue dashboard's actions) compare it with ``MFA_STEP_UP_MAX_AGE``.

It records how the user signed in (``amr``, RFC 8176: ``["pwd"]``, ``["pwd", "otp"]``), so the
OAuth2 tokens approved in this session say it too (:meth:`BrowserSession.login_claims`).

The cookie also says when its session started (``iat``, in milliseconds): ending a user's
sessions (logout-all, a password change or reset) ends every browser session started before, as
:func:`foundry.http.oauth_browser.browser_user` checks. A cookie without it is no session.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.kernel.compare import secrets_match

__all__ = ["BrowserSession", "SessionCookies"]

_PURPOSE = b"foundry:oauth-browser-session"


@dataclass(frozen=True, slots=True)
class BrowserSession:
    """Who is logged in on this browser (``None``: nobody yet) and the session's CSRF token."""

    user_id: int | None
    csrf: str
    expires_at: int
    #: When the session started, in milliseconds since the epoch.
    issued_at: int
    #: When the user last proved a second factor, in seconds since the epoch (``None``: never,
    #: in this session).
    mfa_at: int | None = None
    #: The methods the user proved (RFC 8176 ``amr``); empty: a password only, or nobody.
    amr: tuple[str, ...] = ()

    def csrf_matches(self, presented: str | None) -> bool:
        """Constant-time comparison with the form's token."""
        return bool(presented) and secrets_match(self.csrf, presented or "")

    def with_mfa(self, at: float, method: str | None = None) -> BrowserSession:
        """The same session (user, CSRF token, start, expiry) with a second factor proved at
        ``at`` (``method``: its ``amr`` value, added to the session's): a step-up changes nothing
        else, so the page's forms keep working."""
        amr = self.amr or ("pwd",)
        if method and method not in amr:
            amr = (*amr, method)
        return replace(self, mfa_at=int(at), amr=amr if method else self.amr)

    def login_claims(self) -> dict[str, Any] | None:
        """How the user signed in, as an access token records it (``amr``, ``acr``,
        ``auth_time``, ``mfa_at``); ``None`` when nobody is signed in."""
        if self.user_id is None:
            return None
        amr = list(self.amr or ("pwd",))
        claims: dict[str, Any] = {
            "amr": amr,
            "acr": ACR_MFA if any(method != "pwd" for method in amr) else ACR_PWD,
            "auth_time": self.issued_at // 1000,
        }
        if self.mfa_at is not None:
            claims["mfa_at"] = self.mfa_at
        return claims

    def mfa_within(self, max_age: int, now: float) -> bool:
        """Whether a second factor was proved at most ``max_age`` seconds before ``now`` (a
        time in the future, from a clock that went back, counts as not proved)."""
        return self.mfa_at is not None and 0 <= now - self.mfa_at <= max_age


class SessionCookies:
    """Reads and writes :class:`BrowserSession` cookies."""

    def __init__(self, app_key: bytes, *, name: str, ttl: int, secure: bool) -> None:
        self._key = hmac.new(app_key, _PURPOSE, hashlib.sha256).digest()
        self.name = name
        self.ttl = ttl
        self.secure = secure

    def read(self, request: Request) -> BrowserSession | None:
        """The valid session of the request's cookie, if any."""
        raw = request.cookies.get(self.name)
        if not raw or "." not in raw or len(raw) > 1024:
            return None
        payload, _, signature = raw.rpartition(".")
        if not secrets_match(self._sign(payload), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (binascii.Error, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        expires, user_id, issued = data.get("exp"), data.get("uid"), data.get("iat")
        if not isinstance(expires, int) or expires <= time.time():
            return None
        if user_id is not None and not isinstance(user_id, int):
            return None
        if not isinstance(issued, int):
            return None
        proved = data.get("mfa")
        if proved is not None and (not isinstance(proved, int) or user_id is None):
            return None
        # Cookies written before sessions recorded ``amr`` have none: a password, as before.
        amr = data.get("amr") or []
        if not isinstance(amr, list) or not all(isinstance(method, str) for method in amr):
            return None
        return BrowserSession(user_id, data["csrf"], expires, issued, proved, tuple(amr))

    def start(
        self, user_id: int | None, *, mfa_at: float | None = None, amr: Sequence[str] = ()
    ) -> BrowserSession:
        """A fresh session (a new CSRF token: logging in rotates it); ``mfa_at`` when the
        sign-in included a second factor, ``amr`` the methods it proved."""
        now = time.time()
        return BrowserSession(
            user_id,
            secrets.token_urlsafe(32),
            int(now) + self.ttl,
            int(now * 1000),
            None if mfa_at is None or user_id is None else int(mfa_at),
            () if user_id is None else tuple(dict.fromkeys(amr)),
        )

    def write(self, response: Response, session: BrowserSession) -> None:
        """Set the cookie on ``response``."""
        payload = (
            base64.urlsafe_b64encode(
                json.dumps(
                    {
                        "uid": session.user_id,
                        "csrf": session.csrf,
                        "exp": session.expires_at,
                        "iat": session.issued_at,
                        "mfa": session.mfa_at,
                        "amr": list(session.amr),
                    }
                ).encode()
            )
            .rstrip(b"=")
            .decode()
        )
        response.set_cookie(
            self.name,
            f"{payload}.{self._sign(payload)}",
            max_age=self.ttl,
            # The whole site: the queue dashboard (``/queue``) signs in through these pages too.
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def forget(self, response: Response) -> None:
        """Delete the cookie."""
        response.delete_cookie(self.name, path="/", secure=self.secure, httponly=True)

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()
