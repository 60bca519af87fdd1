"""CORS from config: preflights answered here, allowed origins echoed, everyone else ignored.

Starlette ships a CORS middleware; this one answers a refused preflight in the app's JSON error
shape and works on raw header lists, since it runs on every request (most of which are not
cross-origin at all).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.exceptions import error_response

__all__ = ["CorsMiddleware"]

_ORIGIN = b"origin"
_REQUEST_METHOD = b"access-control-request-method"
_REQUEST_HEADERS = b"access-control-request-headers"
# Responses differ by Origin, so shared caches must key on it.
_VARY = (b"vary", b"Origin")
# Always allowed by browsers without a preflight; never needs listing.
_SAFELISTED_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type"})


def _encode(value: str) -> bytes:
    return value.encode("latin-1")


class CorsMiddleware:
    """Cross-origin resource sharing for the origins in ``allow_origins`` (``"*"`` for any)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_origins: Sequence[str],
        allow_methods: Sequence[str] = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        allow_headers: Sequence[str] = (),
        expose_headers: Sequence[str] = (),
        allow_credentials: bool = False,
        max_age: int = 600,
    ) -> None:
        if "*" in allow_origins and allow_credentials:
            # Any site could then make credentialed requests as the user: refuse the config.
            raise ValueError(
                "CORS_ALLOWED_ORIGINS='*' cannot be combined with CORS_ALLOW_CREDENTIALS=true; "
                "list the trusted origins instead"
            )
        self.app = app
        self.any_origin = "*" in allow_origins
        self.origins = frozenset(o.rstrip("/") for o in allow_origins if o != "*")
        self.any_method = "*" in allow_methods
        self.methods = frozenset(m.upper() for m in allow_methods)
        self.any_header = "*" in allow_headers
        self.headers = frozenset(h.lower() for h in allow_headers) | _SAFELISTED_HEADERS
        self.allow_credentials = allow_credentials
        self.max_age = max_age
        # Headers added to every answer for an allowed origin, encoded once.
        self.common: list[tuple[bytes, bytes]] = [_VARY]
        if allow_credentials:
            self.common.append((b"access-control-allow-credentials", b"true"))
        self.exposed: list[tuple[bytes, bytes]] = (
            [(b"access-control-expose-headers", _encode(", ".join(expose_headers)))]
            if expose_headers
            else []
        )
        self.allowed_methods_value = _encode(", ".join(sorted(self.methods - {"*"})))

    def _allowed(self, origin: str) -> bool:
        return self.any_origin or origin.rstrip("/") in self.origins

    def _allow_origin_value(self, origin: str) -> bytes:
        return b"*" if self.any_origin else _encode(origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer, extra = self.inspect(scope)
        if answer is not None:
            await answer(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def inspect(self, scope: Scope) -> tuple[ASGIApp | None, list[tuple[bytes, bytes]]]:
        """The answer to a preflight (else ``None``), and the headers to add to the response."""
        origin: str | None = None
        preflight_method: str | None = None
        for key, value in scope.get("headers", ()):
            if key == _ORIGIN:
                origin = value.decode("latin-1")
            elif key == _REQUEST_METHOD:
                preflight_method = value.decode("latin-1")
        if origin is not None and preflight_method is not None and scope["method"] == "OPTIONS":
            return self._preflight(scope, origin, preflight_method), []
        if origin is not None and self._allowed(origin):
            value = self._allow_origin_value(origin)
            return None, [(b"access-control-allow-origin", value), *self.common, *self.exposed]
        return None, [_VARY]

    def _preflight(self, scope: Scope, origin: str, method: str) -> Response:
        requested = ""
        for key, value in scope.get("headers", ()):
            if key == _REQUEST_HEADERS:
                requested = value.decode("latin-1")
        wanted = [h.strip().lower() for h in requested.split(",") if h.strip()]

        if not self._allowed(origin):
            return self._refuse("origin", origin)
        if not (self.any_method or method.upper() in self.methods):
            return self._refuse("method", method)
        refused = [h for h in wanted if not (self.any_header or h in self.headers)]
        if refused:
            return self._refuse("headers", ", ".join(refused))

        response = Response(status_code=204)
        headers = response.raw_headers
        headers.append((b"access-control-allow-origin", self._allow_origin_value(origin)))
        headers.extend(self.common)
        methods = _encode(method.upper()) if self.any_method else self.allowed_methods_value
        headers.append((b"access-control-allow-methods", methods))
        if wanted:
            headers.append((b"access-control-allow-headers", _encode(", ".join(wanted))))
        headers.append((b"access-control-max-age", _encode(str(self.max_age))))
        return response

    @staticmethod
    def _refuse(what: str, value: str) -> Response:
        message = f"CORS preflight refused: {what} {value!r} is not allowed."
        response = error_response(403, message, "cors_refused")
        response.raw_headers.append(_VARY)
        return response
