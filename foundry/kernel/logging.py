"""Structured logging: one JSON object per line, each tagged with the current request id.

The request id lives in a context variable that the HTTP kernel (and a queue worker, for a job)
sets; :class:`RequestIdFilter` copies it onto every record that reaches our handler, so a line
written deep inside a service still says which request caused it. Values under keys that look like
credentials (``authorization``, ``password``, ``token``, ...) are replaced before a line is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Mapping
from contextvars import ContextVar, Token
from functools import lru_cache
from typing import IO, Any

import orjson

from foundry.config.logging import LoggingSettings

__all__ = [
    "JsonFormatter",
    "REDACTED",
    "RequestIdFilter",
    "TextFormatter",
    "configure_logging",
    "json_line_handler",
    "current_request_id",
    "redact",
    "reset_request_id",
    "set_request_id",
]

REDACTED = "[redacted]"

_request_id: ContextVar[str | None] = ContextVar("foundry_request_id", default=None)

# Key names whose values must never reach a log line, wherever they are nested.
_SENSITIVE_KEY = re.compile(
    r"authorization|password|passwd|secret|token|api[_-]?key|cookie|credential|private[_-]?key",
    re.IGNORECASE,
)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", logging.INFO, "", 0, "", (), None).__dict__.keys()
) | {"message", "asctime", "request_id", "taskName", "color_message"}

# Uvicorn installs its own handlers before importing the app; we take its lines over so every
# line has one format. Its access log is replaced by ours (which knows the request id).
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
_UVICORN_ACCESS = "uvicorn.access"
#: HTTP client libraries that log every request's full URL at INFO (httpx: "HTTP Request: POST
#: https://hooks.slack.com/services/T0/B0/<secret>") or its traffic at DEBUG. The URLs our
#: clients call carry secrets in their path or query (Slack and Discord webhook tokens, a
#: webhook route's query token, the Pusher HTTP API's auth_signature), so these log warnings
#: and up only, whatever LOG_LEVEL says.
_QUIET_CLIENT_LOGGERS = ("httpx", "httpcore")


def current_request_id() -> str | None:
    """The id of the request (or job) being handled in this context, if any."""
    return _request_id.get()


def set_request_id(value: str | None) -> Token[str | None]:
    """Tag the log lines of the current context; undo with :func:`reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token: Token[str | None]) -> None:
    """Restore the request id that was current before :func:`set_request_id`."""
    _request_id.reset(token)


@lru_cache(maxsize=1024)
def _is_sensitive(key: str) -> bool:
    # The same few keys come back on every line; remember the answer.
    return _SENSITIVE_KEY.search(key) is not None


_SCALARS = (str, int, float, bool, type(None))


def redact(value: Any) -> Any:
    """A copy of ``value`` with credential-looking keys masked, at any depth."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED if _is_sensitive(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    attributes = record.__dict__
    names = attributes.keys() - _STANDARD_ATTRS  # a set operation in C: most lines have none
    extra: dict[str, Any] = {}
    if not names:
        return extra
    for key in attributes:  # in insertion order, so lines read the same every time
        if key not in names:
            continue
        value = attributes[key]
        if _is_sensitive(key):
            extra[key] = REDACTED
        elif isinstance(value, _SCALARS):
            extra[key] = value
        else:  # containers (a starlette ``Headers`` too) are searched for credentials
            extra[key] = redact(value)
    return extra


class _Timestamps:
    """ISO 8601 UTC timestamps; the part up to the second is formatted once per second."""

    __slots__ = ("_second", "_prefix")

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def format(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = second
        return f"{self._prefix}.{int((created - second) * 1000):03d}Z"


class RequestIdFilter(logging.Filter):
    """Copies the current request id onto each record (``None`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"timestamp", "level", "logger", "message", "request_id", ...extra}`` on one line."""

    def __init__(self) -> None:
        super().__init__()
        self._timestamps = _Timestamps()
        # What orjson cannot write (an integer over 64 bits) goes through the json module.
        self._fallback = json.JSONEncoder(default=str, ensure_ascii=False)

    def format(self, record: logging.LogRecord) -> str:
        payload = self._head(
            record.created,
            record.levelname,
            record.name,
            record.getMessage(),
            getattr(record, "request_id", None) or _request_id.get(),
        )
        payload.update(_extra_fields(record))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return self._encode(payload)

    def scalar_line(
        self,
        created: float,
        level: str,
        logger: str,
        message: str,
        request_id: str | None,
        fields: Mapping[str, str | int | float | bool | None],
    ) -> str:
        """The line :meth:`format` writes for a record with these attributes and ``fields``
        (scalars, under keys that are not secret-looking) given as ``extra=``."""
        payload = self._head(created, level, logger, message, request_id or _request_id.get())
        payload.update(fields)
        return self._encode(payload)

    def _head(
        self, created: float, level: str, logger: str, message: str, request_id: str | None
    ) -> dict[str, Any]:
        return {
            "timestamp": self._timestamps.format(created),
            "level": level,
            "logger": logger,
            "message": message,
            "request_id": request_id,
        }

    def _encode(self, payload: dict[str, Any]) -> str:
        try:
            return orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
        except TypeError:  # orjson.JSONEncodeError is one
            return self._fallback.encode(payload)


class TextFormatter(logging.Formatter):
    """``2024-01-01 12:00:00,000 INFO [request id] logger: message key=value ...``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get() or "-"
        line = super().format(record)
        extra = _extra_fields(record)
        if extra:
            line += " " + " ".join(f"{key}={value}" for key, value in extra.items())
        return line


class _FoundryHandler(logging.StreamHandler[IO[str]]):
    """Marks the handler :func:`configure_logging` installed, so a second call replaces it."""

    def write_line(self, line: str) -> None:
        """Write a formatted line as ``emit`` does (under the handler's lock, then flushed)."""
        self.acquire()
        try:
            self.stream.write(line + self.terminator)
            self.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": line}))
        finally:
            self.release()


def json_line_handler(logger: logging.Logger) -> tuple[_FoundryHandler, JsonFormatter] | None:
    """The one handler (and its formatter) an INFO line of ``logger`` would reach, when that is
    the JSON handler :func:`configure_logging` installed and nothing else could see the record.

    Then a caller that writes the same line itself (the access log, once a request) skips
    building a ``LogRecord`` and the handler chain, about half of what a line costs. Any other
    handler on the way (a test's ``caplog``, an error tracker), a logger filter, a handler level
    above INFO or a custom record factory answers ``None``: log the record as usual then.
    """
    if logger.filters or logging.getLogRecordFactory() is not logging.LogRecord:
        return None
    found: _FoundryHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            if found is not None or type(handler) is not _FoundryHandler:
                return None
            found = handler
        current = current.parent if current.propagate else None
    if found is None or found.level > logging.INFO:
        return None
    formatter = found.formatter
    if type(formatter) is not JsonFormatter or len(found.filters) != 1:
        return None
    if type(found.filters[0]) is not RequestIdFilter:
        return None
    return found, formatter


def configure_logging(
    settings: LoggingSettings | None = None, *, stream: IO[str] | None = None
) -> logging.Handler:
    """Send every log line through one handler on the root logger, in the configured format.

    Calling it again (a second app in the same process, a test) replaces the handler rather than
    adding another, so lines are never written twice. Returns the installed handler.
    """
    settings = settings or LoggingSettings.load()
    if stream is None:
        stream = sys.stdout if settings.stream == "stdout" else sys.stderr
    handler = _FoundryHandler(stream)
    handler.setFormatter(JsonFormatter() if settings.format == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())

    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, _FoundryHandler):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.level)

    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger(_UVICORN_ACCESS)
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
    for name in _QUIET_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
