"""Maximum request body size: 413 in the JSON error shape, with or without Content-Length."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.exceptions import error_response

__all__ = ["BodyTooLargeError", "MaxBodySizeMiddleware"]

_CONTENT_LENGTH = b"content-length"
_TRANSFER_ENCODING = b"transfer-encoding"
# HTTP/2 and 3 may stream a body with neither header, so only HTTP/1 can skip the counting.
_FRAMED_BY_HEADERS = frozenset({"1.0", "1.1"})


class BodyTooLargeError(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit.

    It is a starlette ``HTTPException`` because FastAPI re-raises those from body parsing (any
    other exception there becomes a 400), so the 413 handler answers it.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=_message(limit))


def _message(limit: int) -> str:
    return f"The request body may not be larger than {limit} bytes."


def _body_headers(scope: Scope) -> tuple[bool, int | None]:
    """Whether the request may have a body, and its declared length (``None`` if not given)."""
    chunked = False
    for key, value in scope.get("headers", ()):
        if key == _CONTENT_LENGTH:
            try:
                return True, int(value)
            except ValueError:
                return True, None
        if key == _TRANSFER_ENCODING:
            chunked = True
    return chunked, None


class MaxBodySizeMiddleware:
    """Refuses bodies over ``max_body_size`` bytes.

    A declared ``Content-Length`` over the limit is refused before the app runs. A body streamed
    without one (chunked) is counted as it is read, and reading fails at the first chunk over the
    limit, so an oversized upload is never buffered whole.
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer, receive = self.check(scope, receive)
        if answer is not None:
            await answer(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except BodyTooLargeError:
            # Raised outside a route (a middleware reading the body): answer here if we still can.
            if response_started:
                raise
            await self.refusal()(scope, receive, send)

    def check(self, scope: Scope, receive: Receive) -> tuple[ASGIApp | None, Receive]:
        """The 413 for a declared length over the limit (else ``None``), and the ``receive`` to
        read the body with: it raises :class:`BodyTooLargeError` once the body passes the limit."""
        has_body, declared = _body_headers(scope)
        if not has_body and scope.get("http_version") in _FRAMED_BY_HEADERS:
            # An HTTP/1 request without Content-Length or Transfer-Encoding has no body.
            return None, receive
        limit = self.max_body_size
        if declared is not None and declared > limit:
            return self.refusal(), receive
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        return None, limited_receive

    def refusal(self) -> ASGIApp:
        """The 413 answer."""
        return error_response(413, _message(self.max_body_size))
