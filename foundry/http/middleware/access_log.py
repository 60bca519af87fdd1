"""The access log: one JSON line per request with what an operator needs, and nothing secret.

Logged: method, path (never the query string, which may carry tokens), status, duration in ms,
request id and client address. Never logged: headers (``Authorization``, cookies) and bodies.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.middleware.request_id import request_id_of
from foundry.kernel.logging import json_line_handler

__all__ = ["ACCESS_LOGGER", "AccessLogMiddleware"]

ACCESS_LOGGER = "foundry.http.access"


class AccessLogMiddleware:
    """Logs each HTTP request on ``foundry.http.access`` once its response has been sent."""

    def __init__(self, app: ASGIApp, *, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled():
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # Until a response starts, an escaping exception means the client gets a 500.
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            self.record(scope, status, (time.perf_counter() - started) * 1000)

    def enabled(self) -> bool:
        """Whether a request would be logged (the logger's level may change while serving)."""
        return self.logger.isEnabledFor(logging.INFO)

    def record(self, scope: Scope, status: int, duration_ms: float) -> None:
        """Log the line for a request answered with ``status`` after ``duration_ms``."""
        client = scope.get("client")
        method = scope.get("method", "")
        path = scope.get("path", "")
        message = f"{method} {path} {status}"
        request_id = request_id_of(scope)
        fields = {
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(duration_ms, 2),
            "client": client[0] if client else None,
        }
        direct = json_line_handler(self.logger)
        if direct is not None:
            handler, formatter = direct
            name = self.logger.name
            line = formatter.scalar_line(time.time(), "INFO", name, message, request_id, fields)
            handler.write_line(line)
            return
        # makeRecord + handle rather than logger.info: it skips the stack walk that finds the
        # caller's file and line, which is the same line every time here.
        record = self.logger.makeRecord(
            self.logger.name, logging.INFO, __file__, 0, message, (), None
        )
        record.__dict__.update(fields, request_id=request_id)
        self.logger.handle(record)
