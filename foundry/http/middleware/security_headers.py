"""Security headers: added to responses that do not set them already."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeadersMiddleware"]

_CONTENT_TYPE = b"content-type"


def _encode(headers: Mapping[str, str] | None) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]


class SecurityHeadersMiddleware:
    """Adds ``headers`` to every response and ``html_headers`` to ``text/html`` ones.

    A header the route set itself wins, so a page can relax its own policy. The kernel installs
    one globally (``X-Content-Type-Options``, ``X-Frame-Options``, ``Referrer-Policy``, HSTS in
    production) and the ``web`` group adds the Content-Security-Policy for HTML pages.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        headers: Mapping[str, str] | None = None,
        html_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        # Encoded once: this runs on every response.
        self.headers = _encode(headers)
        self.html_headers = _encode(html_headers)
        self._names = frozenset(key for key, _ in self.headers + self.html_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.headers or self.html_headers):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.add(list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def add(self, raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """``raw`` (changed in place) with the headers it does not set already."""
        present = {key.lower() for key, _ in raw}
        extra = self.headers
        if self.html_headers:
            content_type = next((v for k, v in raw if k.lower() == _CONTENT_TYPE), b"")
            if content_type.lower().startswith(b"text/html"):
                extra = extra + self.html_headers
        if present.isdisjoint(self._names):  # the usual case: the route set none of them
            raw.extend(extra)
        else:
            raw.extend((key, value) for key, value in extra if key not in present)
        return raw
