"""The HTTP kernel: global middleware, middleware groups, exception handlers, route inclusion.

Middleware is declared here and only here, outermost first:

* global (every request): trusted proxies, request id, access log, maintenance mode, trusted
  hosts, security headers, CORS, unhandled exceptions, NUL bytes, maximum body size, container
  scope; run as one ASGI layer by :class:`~foundry.http.middleware.pipeline.GlobalMiddleware`;
* groups, applied per router with ``kernel.include(router, group="api", prefix="/api/v1")``:
  ``api`` (the ``api`` rate limiter, ``Cache-Control: no-store`` unless the route sets its
  own, and the ``X-Socket-ID`` that ``broadcast(...).to_others()`` leaves out) and ``web``
  (HTML pages: Content-Security-Policy).

Routes are listed in :mod:`foundry.http.routes`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from enum import Enum
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, FastAPI, params
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from foundry.config.http import HttpSettings
from foundry.config.oauth2 import OAuth2Settings
from foundry.http.exceptions import register_exception_handlers
from foundry.http.middleware import (
    AccessLogMiddleware,
    ContainerScopeMiddleware,
    CorsMiddleware,
    MaxBodySizeMiddleware,
    ProxyHeadersMiddleware,
    RejectNulBytesMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    ThrottleMiddleware,
    TrustedHostsMiddleware,
    UnhandledExceptionMiddleware,
)
from foundry.http.middleware.maintenance import MaintenanceModeMiddleware
from foundry.http.middleware.pipeline import GlobalMiddleware
from foundry.http.middleware.socket_id import SocketIdMiddleware
from foundry.http.openapi import install as install_openapi
from foundry.http.route_index import index_routes
from foundry.http.routing import add_router
from foundry.kernel.application import Application

__all__ = ["HttpKernel", "Lifespan"]

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def _app_version() -> str:
    try:
        return version("foundry")
    except PackageNotFoundError:
        return "0.0.0"


class HttpKernel:
    """Builds the FastAPI app for an :class:`Application` and includes routers into it."""

    def __init__(self, application: Application, *, lifespan: Lifespan | None = None) -> None:
        self.application = application
        self.settings = application.config.settings(HttpSettings)
        docs = self.settings.api_docs
        if docs is None:  # unset: the API's description is not published in production
            docs = not application.is_production()
        self.app = FastAPI(
            title=application.settings.name,
            version=_app_version(),
            # Starlette's debug mode renders HTML tracebacks; our 500 handler decides instead.
            debug=False,
            # /docs and /redoc are ours (foundry.http.openapi): assets served from the package.
            docs_url=None,
            redoc_url=None,
            openapi_url="/openapi.json" if docs else None,
            # One ASGI layer runs them all (see foundry.http.middleware.pipeline).
            middleware=[Middleware(GlobalMiddleware, stack=self.middleware())],
            lifespan=lifespan,
        )
        # Requests for paths without parameters skip the routes registered before their own.
        index_routes(self.app)
        self.app.state.application = application
        self.app.state.kernel = self
        # url_for() outside a request builds URLs from the app the application serves.
        application.container.instance(FastAPI, self.app)
        register_exception_handlers(self.app)
        self._groups = self.middleware_groups()
        # id(route) -> (route, group); the route is kept so its id is never reused.
        self._route_groups: dict[int, tuple[BaseRoute, str]] = {}
        if docs:
            install_openapi(
                self.app,
                group_of=self.group_of,
                oauth2=application.config.settings(OAuth2Settings),
                content_security_policy=bool(
                    self.settings.security_headers and self.settings.content_security_policy
                ),
            )

    @classmethod
    def of(cls, app: FastAPI) -> HttpKernel:
        """The kernel that built ``app``."""
        kernel = getattr(app.state, "kernel", None)
        if not isinstance(kernel, cls):
            raise LookupError("this FastAPI app was not built by HttpKernel")
        return kernel

    def middleware(self) -> list[Middleware]:
        """The global middleware, outermost first."""
        s = self.settings
        # Outermost: everything further in (logs, trusted hosts, rate limits) sees the client,
        # scheme and host a trusted proxy named, and never the headers anyone else sent.
        stack = [Middleware(ProxyHeadersMiddleware, trusted_proxies=s.trusted_proxies)]
        stack.append(Middleware(RequestIdMiddleware, trust_incoming=s.trust_request_id))
        if s.access_log:
            stack.append(Middleware(AccessLogMiddleware))
        # Before anything that may reach the database: `artisan down` means no request runs.
        maintenance_file = self.application.settings.maintenance_file
        stack.append(Middleware(MaintenanceModeMiddleware, path=maintenance_file))
        if s.trusted_hosts:
            stack.append(Middleware(TrustedHostsMiddleware, allowed_hosts=s.trusted_hosts))
        if s.security_headers:
            stack.append(Middleware(SecurityHeadersMiddleware, headers=self._security_headers()))
        if s.cors_allowed_origins:
            stack.append(
                Middleware(
                    CorsMiddleware,
                    allow_origins=s.cors_allowed_origins,
                    allow_methods=s.cors_allowed_methods,
                    allow_headers=s.cors_allowed_headers,
                    expose_headers=s.cors_exposed_headers,
                    allow_credentials=s.cors_allow_credentials,
                    max_age=s.cors_max_age,
                )
            )
        # Inside CORS and the security headers, so a 500 still carries them.
        stack.append(
            Middleware(UnhandledExceptionMiddleware, debug=self.application.settings.debug)
        )
        stack.append(Middleware(RejectNulBytesMiddleware))
        stack.append(Middleware(MaxBodySizeMiddleware, max_body_size=s.max_body_size))
        stack.append(Middleware(ContainerScopeMiddleware, container=self.application.container))
        return stack

    def middleware_groups(self) -> dict[str, list[Middleware]]:
        """Group name -> middleware (outermost first) for the routers included into it."""
        s = self.settings
        return {
            "api": [
                Middleware(SecurityHeadersMiddleware, headers={"Cache-Control": "no-store"}),
                # Inside the headers above, so a 429 is not cached either.
                Middleware(ThrottleMiddleware, limiter="api"),
                Middleware(SocketIdMiddleware),
            ],
            "web": [
                Middleware(
                    SecurityHeadersMiddleware,
                    html_headers=(
                        {"Content-Security-Policy": s.content_security_policy}
                        if s.security_headers and s.content_security_policy
                        else {}
                    ),
                )
            ],
        }

    def _security_headers(self) -> dict[str, str]:
        s = self.settings
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": s.referrer_policy}
        if s.frame_options:
            headers["X-Frame-Options"] = s.frame_options
        if self.application.is_production() and s.hsts_max_age > 0:
            value = f"max-age={s.hsts_max_age}"
            headers["Strict-Transport-Security"] = (
                value + "; includeSubDomains" if s.hsts_include_subdomains else value
            )
        return headers

    def include(
        self,
        router: APIRouter,
        *,
        group: str | None = None,
        prefix: str = "",
        tags: Sequence[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        """Serve ``router``'s routes under ``prefix``, inside ``group``'s middleware if given.

        The routes are copied onto the app (see :mod:`foundry.http.routing`): register a router once
        all its routes are defined.
        """
        served = add_router(
            self.app,
            router,
            prefix=prefix,
            tags=tags or (),
            dependencies=dependencies or (),
            middleware=self._group(group) if group is not None else (),
            group=group,
        )
        if group is not None:
            for route in served:
                self._route_groups[id(route)] = (route, group)

    def group_of(self, route: BaseRoute) -> str | None:
        """The middleware group ``route`` runs in (``None`` for none).

        ``route`` is a route of ``app.routes`` or a context's ``original_route`` from
        ``fastapi.routing.iter_route_contexts(app.routes)``.
        """
        found = self._route_groups.get(id(route))
        return found[1] if found is not None and found[0] is route else None

    def _group(self, name: str) -> Sequence[Middleware]:
        groups: Mapping[str, Sequence[Middleware]] = self._groups
        if name not in groups:
            raise KeyError(f"unknown middleware group {name!r}; known: {', '.join(groups)}")
        return groups[name]
