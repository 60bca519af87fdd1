"""The kernel's global middleware as one ASGI layer.

Stacked one inside the other, the eleven global middleware cost every request eleven coroutine
calls and up to six ``send`` wrappers: about half of what Foundry added to a trivial route under
uvicorn (``scripts/bench/http_overhead.py``). ``GlobalMiddleware`` builds that same stack, and for
an HTTP request runs each middleware's steps itself, in the stack's order, from one coroutine with
one ``send`` wrapper. Each middleware class is still the one place its rule lives: the pipeline
calls its methods (``forwarded``, ``assign``, ``answer``, ``inspect``, ``check``, ``handle``...),
and WebSocket and lifespan scopes go through the stacked classes unchanged.

One difference from the stack: an answer given before the app runs (maintenance, a refused
``Host``) carries the security headers too, as every other answer does.

A stack the pipeline does not know (a class it has no steps for, or the kernel's classes in
another order) is simply run stacked, for HTTP as well.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TypeVar

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.middleware.access_log import AccessLogMiddleware
from foundry.http.middleware.body_limit import MaxBodySizeMiddleware
from foundry.http.middleware.container_scope import CONTAINER_STATE_KEY, ContainerScopeMiddleware
from foundry.http.middleware.cors import CorsMiddleware
from foundry.http.middleware.exceptions import UnhandledExceptionMiddleware
from foundry.http.middleware.maintenance import MaintenanceModeMiddleware
from foundry.http.middleware.nul_bytes import RejectNulBytesMiddleware
from foundry.http.middleware.proxy_headers import ProxyHeadersMiddleware
from foundry.http.middleware.request_id import (
    RequestIdMiddleware,
    request_id_header,
    with_request_id,
)
from foundry.http.middleware.security_headers import SecurityHeadersMiddleware
from foundry.http.middleware.trusted_hosts import TrustedHostsMiddleware
from foundry.kernel.logging import reset_request_id, set_request_id

__all__ = ["GlobalMiddleware"]

Headers = list[tuple[bytes, bytes]]
T = TypeVar("T")

# The order the kernel stacks them in, outermost first; the pipeline's steps follow it.
ORDER: tuple[type, ...] = (
    ProxyHeadersMiddleware,
    RequestIdMiddleware,
    AccessLogMiddleware,
    MaintenanceModeMiddleware,
    TrustedHostsMiddleware,
    SecurityHeadersMiddleware,
    CorsMiddleware,
    UnhandledExceptionMiddleware,
    RejectNulBytesMiddleware,
    MaxBodySizeMiddleware,
    ContainerScopeMiddleware,
)
# The pipeline cannot run a request without these.
REQUIRED = (RequestIdMiddleware, ContainerScopeMiddleware)


def _stack(app: ASGIApp, middleware: Sequence[Middleware]) -> tuple[ASGIApp, list[object]]:
    """``app`` wrapped in ``middleware`` (outermost first), and the instances, outermost first."""
    instances: list[object] = []
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
        instances.append(app)
    instances.reverse()
    return app, instances


def _in_order(instances: Sequence[object]) -> bool:
    types = [type(instance) for instance in instances]
    if len(set(types)) != len(types) or any(t not in ORDER for t in types):
        return False
    return types == sorted(types, key=ORDER.index) and all(t in types for t in REQUIRED)


def _find(instances: Sequence[object], cls: type[T]) -> T | None:
    return next((instance for instance in instances if type(instance) is cls), None)


class GlobalMiddleware:
    """Runs ``stack`` (the kernel's global middleware, outermost first) around ``app``."""

    def __init__(self, app: ASGIApp, *, stack: Sequence[Middleware]) -> None:
        self.app = app
        self.stacked, instances = _stack(app, stack)
        self.fused = _in_order(instances)
        self.proxies = _find(instances, ProxyHeadersMiddleware)
        self.request_ids = _find(instances, RequestIdMiddleware)
        self.access_log = _find(instances, AccessLogMiddleware)
        self.maintenance = _find(instances, MaintenanceModeMiddleware)
        self.trusted_hosts = _find(instances, TrustedHostsMiddleware)
        self.security_headers = _find(instances, SecurityHeadersMiddleware)
        self.cors = _find(instances, CorsMiddleware)
        self.exceptions = _find(instances, UnhandledExceptionMiddleware)
        self.nul_bytes = _find(instances, RejectNulBytesMiddleware)
        self.body_limit = _find(instances, MaxBodySizeMiddleware)
        self.container_scope = _find(instances, ContainerScopeMiddleware)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.fused:
            await self.stacked(scope, receive, send)
            return
        await self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.request_ids is not None and self.container_scope is not None
        if self.proxies is not None:
            scope = self.proxies.forwarded(scope)
        request_id = self.request_ids.assign(scope)
        id_header = request_id_header(request_id)
        security = self.security_headers
        log = self.access_log if self.access_log is not None and self.access_log.enabled() else None
        began = time.perf_counter()
        # Until a response starts, an escaping exception means the client gets a 500.
        status = 500
        started = finished = False
        cors_headers: Headers = []

        async def send_on(message: Message) -> None:
            nonlocal status, started, finished
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                headers = [*message.get("headers", ()), *cors_headers]
                if security is not None:
                    security.add(headers)
                message["headers"] = with_request_id(headers, id_header)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                finished = True
            await send(message)

        token = set_request_id(request_id)
        try:
            answer, receive, cors_headers = self._before_app(scope, receive)
            if answer is not None:
                await answer(scope, receive, send_on)
                return
            # What ContainerScopeMiddleware's ``async with`` does, without its two coroutines.
            request_container = self.container_scope.container.scope()
            scope["state"][CONTAINER_STATE_KEY] = request_container
            container_token = request_container.activate()
            try:
                await self.app(scope, receive, send_on)
            finally:
                try:
                    await request_container.aclose()
                finally:
                    request_container.deactivate(container_token)
        except Exception as exc:  # a BodyTooLargeError read outside a route too: a 413
            if self.exceptions is None:
                raise
            await self.exceptions.handle(
                exc, scope, receive, send_on, started=started, finished=finished
            )
        finally:
            reset_request_id(token)
            if log is not None:
                log.record(scope, status, (time.perf_counter() - began) * 1000)

    def _before_app(
        self, scope: Scope, receive: Receive
    ) -> tuple[ASGIApp | None, Receive, Headers]:
        """The answer given instead of the app (else ``None``), the ``receive`` to pass on, and
        the CORS headers for the response."""
        answer: ASGIApp | None = None
        if self.maintenance is not None:
            answer = self.maintenance.answer(scope)
            if answer is not None:
                return answer, receive, []
        if self.trusted_hosts is not None and not self.trusted_hosts.admits(scope):
            return self.trusted_hosts.refusal(), receive, []
        cors_headers: Headers = []
        if self.cors is not None:
            answer, cors_headers = self.cors.inspect(scope)
            if answer is not None:
                return answer, receive, []
        if self.nul_bytes is not None:
            answer = self.nul_bytes.refusal(scope)
            if answer is not None:
                return answer, receive, cors_headers
        if self.body_limit is not None:
            answer, receive = self.body_limit.check(scope, receive)
        return answer, receive, cors_headers
