"""Answer every request with 503 while ``artisan down`` is in effect (Laravel's
``PreventRequestsDuringMaintenance``).

It sits just inside the request id and access log, so a 503 still carries ``X-Request-ID`` and is
logged, and outside everything that could touch the database or Redis: a site taken down for a
migration must not run half of a request first. ``/health`` answers 503 too, so a load balancer
stops sending traffic to a host in maintenance.
"""

from __future__ import annotations

import hmac
import os
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.http.exceptions import error_response
from foundry.http.maintenance import (
    BYPASS_COOKIE,
    BYPASS_LIFETIME,
    MaintenanceState,
    bypass_cookie_value,
    hash_secret,
    is_valid_bypass_cookie,
    read_state,
)

__all__ = ["MAINTENANCE_MESSAGE", "MaintenanceModeMiddleware"]

MAINTENANCE_MESSAGE = "The application is down for maintenance."


class MaintenanceModeMiddleware:
    """503 ``{"message", "error": "service_unavailable"}`` with ``Retry-After`` while down.

    A visit to ``/<secret>`` (``artisan down --secret``) redirects to ``/`` with a cookie that
    lets that browser through for 12 hours, as Laravel does.
    """

    def __init__(self, app: ASGIApp, *, path: Path) -> None:
        self.app = app
        self.path = path
        self._path_text = os.fspath(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self.answer(scope) if scope["type"] == "http" else None
        await (answer or self.app)(scope, receive, send)

    def answer(self, scope: Scope) -> ASGIApp | None:
        """The response to give instead of the app while down (``None`` to let it through)."""
        # The common case costs one access() call: about 1 us, where os.path.exists costs 2 (it
        # builds a stat result, or raises for the missing file) and opening the file about 7.
        missing = not os.access(self._path_text, os.F_OK)
        state = None if missing else read_state(self.path)
        if state is None:
            return None
        if state.secret_hash is not None:
            if self._is_secret_path(scope["path"], state.secret_hash):
                return self._set_bypass_cookie(state.secret_hash, scope)
            if self._has_bypass_cookie(scope, state.secret_hash):
                return None
        return self._unavailable(state)

    @staticmethod
    def _is_secret_path(path: str, secret_hash: str) -> bool:
        candidate = path.strip("/")
        return bool(candidate) and hmac.compare_digest(hash_secret(candidate), secret_hash)

    @staticmethod
    def _has_bypass_cookie(scope: Scope, secret_hash: str) -> bool:
        for name, value in scope.get("headers", ()):
            if name != b"cookie":
                continue
            cookies: SimpleCookie = SimpleCookie()
            try:
                cookies.load(value.decode("latin-1"))
            except CookieError:  # a malformed header is simply no bypass
                continue
            morsel = cookies.get(BYPASS_COOKIE)
            if morsel is not None and is_valid_bypass_cookie(secret_hash, morsel.value):
                return True
        return False

    @staticmethod
    def _set_bypass_cookie(secret_hash: str, scope: Scope) -> ASGIApp:
        response = RedirectResponse("/", status_code=302)
        response.set_cookie(
            BYPASS_COOKIE,
            bypass_cookie_value(secret_hash),
            max_age=BYPASS_LIFETIME,
            httponly=True,
            # Secure whenever the request came over HTTPS; on plain-HTTP local servers a Secure
            # cookie would never be sent back, and the bypass would not work at all.
            secure=scope.get("scheme") == "https",
            samesite="lax",
        )
        return response

    @staticmethod
    def _unavailable(state: MaintenanceState) -> ASGIApp:
        headers = {"Retry-After": str(state.retry)} if state.retry is not None else {}
        return error_response(
            503, state.message or MAINTENANCE_MESSAGE, "service_unavailable", headers=headers
        )
