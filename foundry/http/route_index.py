"""A static-path index for the app's router, so a route registered last costs what the first does.

Starlette (and FastAPI's ``APIRouter``) try every route in registration order until one matches,
running each route's regex: a request pays for every route registered before its own.
:class:`IndexedRouter` keeps, for each path of a route without parameters, the routes that could
answer that exact path, in registration order: the routes registered for it, every earlier or
later route with parameters whose regex matches it, and every route whose matching it cannot
reason about (mounts, hosts, included routers, route classes with their own ``matches``). Any
route left out answers ``Match.NONE`` for that path, so walking only the candidates picks the
route the full walk would pick: an earlier dynamic route that matches still wins.

Only a candidate's full match is served from the index. When none matches fully (405, slash
redirects, 404, FastAPI's low-priority routes), the request takes ``APIRouter.app``'s full walk,
which answers exactly as before. Paths with parameters are not indexed and walk every route.

The index is built on the first request and rebuilt when the route list changes (FastAPI's
route version, bumped by ``add_api_route``/``include_router``, or the number of routes, which
starlette's ``mount``/``add_route`` change). Replacing a route in place in ``router.routes``
without either is not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIRouter, _apply_router_form_limits, _update_scope
from fastapi.telemetry._api import _route_selected
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Receive, Scope, Send

from foundry.http.routing import PrefixCheckedRoute

__all__ = ["IndexedRouter", "index_routes", "static_path_index"]

# Route classes whose ``matches`` answers NONE for a path their ``path_regex`` rejects. A
# subclass overriding ``matches`` is not on the list and is kept as a candidate for every path.
_REGEX_MATCHERS: frozenset[Callable[..., Any]] = frozenset(
    {Route.matches, APIRoute.matches, PrefixCheckedRoute.matches}
)


def _static_path(route: BaseRoute) -> str | None:
    path = getattr(route, "path", None)
    if isinstance(route, Route) and isinstance(path, str) and "{" not in path:
        return path
    return None


def _may_match(route: BaseRoute, path: str) -> bool:
    if type(route).matches not in _REGEX_MATCHERS:
        return True
    assert isinstance(route, Route)  # every class in _REGEX_MATCHERS is a Route
    return route.path_regex.match(path) is not None


def static_path_index(routes: Sequence[BaseRoute]) -> dict[str, tuple[BaseRoute, ...]]:
    """Each parameterless route path -> the routes that could match it, in registration order."""
    paths = {path for route in routes if (path := _static_path(route)) is not None}
    return {
        path: tuple(route for route in routes if _may_match(route, path)) for path in sorted(paths)
    }


class IndexedRouter(APIRouter):
    """``APIRouter`` that serves requests for parameterless paths through a static-path index."""

    _index: dict[str, tuple[BaseRoute, ...]]
    _index_key: tuple[int, int] | None = None

    def _candidates(self, path: str) -> tuple[BaseRoute, ...] | None:
        key = (self._routes_version, len(self.routes))
        if key != self._index_key:
            self._index = static_path_index(self.routes)
            self._index_key = key
        return self._index.get(path)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a full match among the indexed candidates; anything else as ``APIRouter``."""
        if scope["type"] == "http":
            candidates = self._candidates(get_route_path(scope))
            if candidates is not None:
                for route in candidates:
                    match, child_scope = route.matches(scope)
                    if match is Match.FULL:
                        # What APIRouter.app does for the route it selects.
                        _apply_router_form_limits(scope, self.form_limits)
                        scope.setdefault("router", self)
                        _update_scope(scope, child_scope)
                        _route_selected(
                            scope=scope,
                            path=getattr(route, "path_format", None),
                            mount=isinstance(route, Mount),
                        )
                        await route.handle(scope, receive, send)
                        return
        await super().app(scope, receive, send)


def index_routes(app: FastAPI) -> None:
    """Make ``app``'s router an :class:`IndexedRouter`, before it serves its first request.

    FastAPI builds its ``APIRouter`` itself and offers no way to choose the class; every
    attribute the subclass needs is built lazily, so the instance changes class and keeps its
    identity (``app.router`` and everything referring to it stay valid).
    """
    router = app.router
    if type(router) is not APIRouter:
        raise TypeError(f"cannot index a {type(router).__name__}; expected FastAPI's APIRouter")
    # Router.__init__ bound ``middleware_stack`` to the old class's ``app``.
    if getattr(router.middleware_stack, "__func__", None) is not APIRouter.app:
        raise TypeError("the app's router has its own middleware; it cannot be indexed")
    router.__class__ = IndexedRouter
    router.middleware_stack = router.app
