"""The last line of defence: an exception nothing else handled becomes a JSON 500.

Starlette's own ``ServerErrorMiddleware`` sits outside every user middleware, so its 500 would
skip the request id, CORS and security headers; this one sits inside them. It logs the exception
(with the request id) and does not re-raise it once the client has its answer.

An outage of Redis or the database is answered with a 503 and logged as one warning line naming
the back end and the driver's error, without a traceback: the traceback of a refused connection
says nothing more, and a line per failed request is what an operator can read during an outage.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.exceptions import render_exception
from foundry.kernel.errors import HttpError
from foundry.kernel.outages import describe_cause, outage_of

__all__ = ["UnhandledExceptionMiddleware"]

logger = logging.getLogger("foundry.http")


def _content_type(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            return str(value.decode("latin-1"))
    return None


class UnhandledExceptionMiddleware:
    """Renders escaped exceptions with the app's error shape; 500s hide details unless ``debug``."""

    def __init__(self, app: ASGIApp, *, debug: bool = False) -> None:
        self.app = app
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        finished = False

        async def tracking_send(message: Message) -> None:
            nonlocal started, finished
            if message["type"] == "http.response.start":
                started = True
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            await self.handle(exc, scope, receive, send, started=started, finished=finished)

    async def handle(
        self,
        exc: Exception,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        started: bool,
        finished: bool,
    ) -> None:
        """Log ``exc`` and answer it, given whether the response had started or finished.

        Re-raises ``exc`` when the response started but did not finish: a half-sent response can
        only be cut off by the server.
        """
        # A 4xx raised on purpose (ours, or Starlette's like the body limit's 413) is an answer.
        expected = isinstance(exc, HttpError | HTTPException) and exc.status_code < 500
        outage = None if expected else outage_of(exc)
        if outage is not None:
            logger.warning(
                "Service unavailable (%s) on %s %s: %s",
                outage,
                scope.get("method", ""),
                scope.get("path", ""),
                describe_cause(exc),
            )
        elif not expected:
            logger.error(
                "Unhandled %s on %s %s",
                type(exc).__name__,
                scope.get("method", ""),
                scope.get("path", ""),
                exc_info=exc,
            )
        if finished:
            return  # the client has its full answer; the error is logged
        if started:
            raise exc
        response = render_exception(exc, debug=self.debug, content_type=_content_type(scope))
        await response(scope, receive, send)
