"""Refuse a NUL byte in the path or the query string with a 400, before any route runs.

No text column takes one (PostgreSQL answers ``invalid byte sequence for encoding "UTF8":
0x00``, a 500), and no legitimate client sends one. Bodies are checked where they are parsed:
form requests and the OAuth2 endpoints' forms.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.http.exceptions import error_response

__all__ = ["NUL_MESSAGE", "RejectNulBytesMiddleware"]

NUL_MESSAGE = "The request contains a NUL byte."


class RejectNulBytesMiddleware:
    """A 400 ``invalid_input`` for ``%00`` (or a raw NUL) in the path or query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self.refusal(scope) if scope["type"] == "http" else None
        await (answer or self.app)(scope, receive, send)

    @staticmethod
    def refusal(scope: Scope) -> ASGIApp | None:
        """The 400 for a request with a NUL byte in its path or query (``None`` if it has none)."""
        query: bytes = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"\x00" in query or b"%00" in query.lower():
            return error_response(400, NUL_MESSAGE, "invalid_input")
        return None
