"""Trusted hosts: refuse requests whose ``Host`` header names a host the app does not serve."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.http.exceptions import error_response

__all__ = ["TrustedHostsMiddleware", "host_allowed"]

_MAX_REMEMBERED = 256


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    """Whether ``host`` (port ignored) matches a pattern: ``example.com``, ``*.example.com``."""
    name = host.lower()
    if name.startswith("["):  # IPv6 literal: [::1]:8000
        name = name.split("]", 1)[0] + "]"
    else:
        name = name.split(":", 1)[0]
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class TrustedHostsMiddleware:
    """400 ``invalid_host`` for a ``Host`` outside ``allowed_hosts`` (guards password-reset links
    and cache poisoning built from the Host header)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.allowed_hosts = list(allowed_hosts)
        # The same few Host values arrive all day; remember the verdicts (bounded: a client can
        # send any Host it likes).
        self._verdicts: dict[bytes, bool] = {}

    def _allowed(self, host: bytes) -> bool:
        verdict = self._verdicts.get(host)
        if verdict is None:
            verdict = host_allowed(host.decode("latin-1"), self.allowed_hosts)
            if len(self._verdicts) < _MAX_REMEMBERED:
                self._verdicts[host] = verdict
        return verdict

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.admits(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.refusal()(scope, receive, send)

    def admits(self, scope: Scope) -> bool:
        """Whether the request's ``Host`` is one the app serves."""
        if not self.allowed_hosts:
            return True
        host = b""
        for key, value in scope.get("headers", ()):
            if key == b"host":
                host = value
                break
        return self._allowed(host)

    @staticmethod
    def refusal() -> ASGIApp:
        """The 400 for an HTTP request with a Host outside the list."""
        return error_response(400, "Invalid host header.", "invalid_host")
