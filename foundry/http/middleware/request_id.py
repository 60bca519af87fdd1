"""Request ids: keep a sane incoming ``X-Request-ID`` or make one, echo it, tag the logs."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.kernel.logging import reset_request_id, set_request_id

__all__ = [
    "REQUEST_ID_HEADER",
    "RequestIdMiddleware",
    "is_valid_request_id",
    "new_request_id",
    "request_id_header",
    "request_id_of",
    "with_request_id",
]

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")
# Ids end up in log lines and response headers: bounded, and nothing that could forge a line.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
STATE_KEY = "request_id"


class _IdSource:
    """32 hex digits: 80 random bits per process, then a counter.

    Unique across processes and hosts without a system call per request (``uuid4`` reads
    ``os.urandom`` every time); ids are labels, not secrets.
    """

    def __init__(self) -> None:
        self.reseed()

    def reseed(self) -> None:
        self._prefix = os.urandom(10).hex()
        self._counter = itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"


_ids = _IdSource()
# A forked worker must not hand out its parent's ids.
os.register_at_fork(after_in_child=_ids.reseed)


def new_request_id() -> str:
    """A fresh id for a request (or a job) that arrived without one."""
    return _ids.next()


def is_valid_request_id(value: str) -> bool:
    """Whether a client-sent id may be kept: 1-128 of ``A-Z a-z 0-9 . _ : -``."""
    return _VALID.fullmatch(value) is not None


def request_id_of(scope: Scope) -> str | None:
    """The id the middleware gave this request (``None`` if it did not run)."""
    state = scope.get("state")
    value = state.get(STATE_KEY) if isinstance(state, dict) else None
    return value if isinstance(value, str) else None


def _incoming(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == _HEADER_KEY:
            text = value.decode("latin-1")
            return text if is_valid_request_id(text) else None
    return None


class RequestIdMiddleware:
    """Outermost middleware: every response, errors included, carries ``X-Request-ID``.

    The id is stored in ``scope["state"]["request_id"]`` (``request.state.request_id``) and in
    the logging context variable for the duration of the request.
    """

    def __init__(self, app: ASGIApp, *, trust_incoming: bool = True) -> None:
        self.app = app
        self.trust_incoming = trust_incoming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = self.assign(scope)
        header = request_id_header(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = with_request_id(message.get("headers", ()), header)
            await send(message)

        token = set_request_id(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            reset_request_id(token)

    def assign(self, scope: Scope) -> str:
        """The request's id (the client's when trusted and sane), stored in its state."""
        request_id = (_incoming(scope) if self.trust_incoming else None) or _ids.next()
        scope.setdefault("state", {})[STATE_KEY] = request_id
        return request_id


def request_id_header(request_id: str) -> tuple[bytes, bytes]:
    """The raw ``X-Request-ID`` response header for ``request_id``."""
    return (_HEADER_KEY, request_id.encode("latin-1"))


def with_request_id(
    headers: Iterable[tuple[bytes, bytes]], header: tuple[bytes, bytes]
) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``header`` as the only ``X-Request-ID``.

    Ours replaces any the app set: the id in the logs is the one the client sees.
    """
    kept = list(headers)
    if any(name.lower() == _HEADER_KEY for name, _ in kept):
        kept = [h for h in kept if h[0].lower() != _HEADER_KEY]
    kept.append(header)
    return kept
