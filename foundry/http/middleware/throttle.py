"""Group throttling: every route of a middleware group counted against one named limiter.

The ``api`` group runs the ``api`` limiter (``RATE_LIMIT_API_PER_MINUTE`` per client IP unless a
provider redefines it), as Laravel's ``api`` group runs ``throttle:api``. As middleware it also
covers routes that answer a ``Response`` themselves, whose dependency-set headers FastAPI drops.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.exceptions import render_exception
from foundry.kernel.errors import HttpError
from foundry.rate_limiting.throttle import apply_limiter

__all__ = ["ThrottleMiddleware"]


class ThrottleMiddleware:
    """Counts each request against ``limiter``: past the limit a 429 in the JSON error shape with
    ``Retry-After``; within it the response gets ``X-RateLimit-Limit`` and
    ``X-RateLimit-Remaining``."""

    def __init__(self, app: ASGIApp, *, limiter: str) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            headers = await apply_limiter(self.limiter, Request(scope, receive))
        except HttpError as exc:
            # Rendered here rather than by the app's handlers, so the group's outer middleware
            # (Cache-Control: no-store) still wraps the 429.
            await render_exception(exc)(scope, receive, send)
            return
        if not headers:
            await self.app(scope, receive, send)
            return
        extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                # A route's own throttle(...) already reported its (tighter) limit: keep that.
                added = [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
