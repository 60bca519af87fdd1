"""The access log: one JSON line per request with what an operator needs, and nothing secret.

Logged: method, path (never the query string, which may carry tokens), status, duration in ms,
request id and client address. Never logged: headers (``Authorization``, cookies) and bodies.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
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
        self._template: logging.LogRecord | None = None

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
        record = self._new_record(message)
        record.__dict__.update(fields, request_id=request_id)
        self.logger.handle(record)

    def _new_record(self, message: str) -> logging.LogRecord:
        """The record ``makeRecord`` would build for ``message``, made from a template.

        LogRecord's constructor looks up the thread, the process and the source file on every
        call, and for this line they never change: a copy of a record made once per thread (and
        process) with the time and message set costs a third. A custom record factory (one that
        adds a trace id, say) is used for every line instead.
        """
        if logging.getLogRecordFactory() is not logging.LogRecord:
            return self._make_record(message)
        template = self._template
        if template is None or template.thread != threading.get_ident():
            template = self._template = self._make_record("")
        if template.process != os.getpid():  # a forked worker
            template = self._template = self._make_record("")
        record = logging.LogRecord.__new__(logging.LogRecord)
        attributes = record.__dict__
        attributes.update(template.__dict__)
        created = time.time()
        attributes["created"] = created
        attributes["msecs"] = int((created - int(created)) * 1000) + 0.0
        attributes["relativeCreated"] = (
            template.relativeCreated + (created - template.created) * 1000
        )
        attributes["msg"] = message
        if "taskName" in attributes:  # Python 3.12+: the task that handled the request
            task = _current_task()
            attributes["taskName"] = task.get_name() if task is not None else None
        return record

    def _make_record(self, message: str) -> logging.LogRecord:
        # makeRecord + handle rather than logger.info: it skips the stack walk that finds the
        # caller's file and line, which is the same line every time here.
        return self.logger.makeRecord(
            self.logger.name, logging.INFO, __file__, 0, message, (), None
        )


def _current_task() -> asyncio.Task[object] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None
