"""Route registration: a controller's router becomes plain routes of the app.

FastAPI 0.165 keeps an included router as one lazy route that is matched level by level on every
request; measured here, each included router a request walks past costs it about as much as all
of the kernel's middleware together. So :func:`add_router` re-registers each route of the router
on the app itself, with the prefix, tags and dependencies it would have had through
``include_router`` (FastAPI builds the copy, from the same arguments, so response models,
streaming and OpenAPI come out the same), and wraps it in its middleware group the way
starlette's ``Route(middleware=...)`` does. A router holding anything else than ``APIRoute`` (a
websocket, a mount) is included whole instead, through :class:`~foundry.http.groups.GroupRouter`.
Either way, routes added to a router after it was registered are not served.

Route names with a dot (``posts.show``, as :func:`~foundry.http.resource_routes.api_resource`
gives them) are chosen names for ``url_for``: registering one a second time fails at boot with
:class:`DuplicateRouteName` naming both paths (the same name on the same path is one
action answering several methods, as ``update`` answers PUT and PATCH). Plain names are FastAPI's defaults (the endpoint
function's name, ``index``), which many routers share.

Building a copy is most of an app's boot: FastAPI analyses the endpoint's signature and builds
its pydantic fields, about 0.2 ms a route. Every app built in one process (a test suite builds
one per test) copies the same routes with the same arguments, so a copy made once is reused:
:func:`_add_copy` keeps the last copy of each route per argument set, and serves a shallow copy of
it with a request handler bound to the new app (its ``dependency_overrides`` hold only for it).
Only plain ``APIRoute`` copies are reused; a custom route class is rebuilt every time, as its
constructor may do more.

The router tries its routes in order until one matches, so every request pays for the routes
registered before its own. A copied plain ``APIRoute`` becomes a :class:`PrefixCheckedRoute`,
which turns a path that cannot match away with a string comparison before FastAPI's regex and
route-context lookups run.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Sequence
from enum import Enum
from typing import Any

from fastapi import APIRouter, FastAPI, params
from fastapi._body_limit import wrap_app_with_body_limit
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts, request_response
from starlette._utils import get_route_path
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from foundry.http.groups import GroupRouter

__all__ = ["DuplicateRouteName", "PrefixCheckedRoute", "add_router"]


class DuplicateRouteName(ValueError):
    """Two routes were given the same dotted name."""


class PrefixCheckedRoute(APIRoute):
    """An ``APIRoute`` that refuses a path lacking its literal part before running the regex.

    A path without parameters must equal the route's path; one with parameters must start with
    the text before its first ``{``. Anything the check lets through is matched by ``APIRoute``
    itself, so which route serves a request never changes.
    """

    def __init__(self, path: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(path, *args, **kwargs)
        literal, brace, _ = self.path.partition("{")
        self._static_path = None if brace else literal
        self._literal_prefix = literal

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """``APIRoute.matches``, skipped for an HTTP path that cannot match."""
        if scope["type"] == "http" and not self._may_match(get_route_path(scope)):
            return Match.NONE, {}
        return super().matches(scope)

    def _may_match(self, path: str) -> bool:
        if self._static_path is not None:
            return path == self._static_path
        return path.startswith(self._literal_prefix)


def add_router(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str = "",
    tags: Sequence[str | Enum] = (),
    dependencies: Sequence[params.Depends] = (),
    middleware: Sequence[Middleware] = (),
    group: str | None = None,
) -> list[BaseRoute]:
    """Serve ``router``'s routes from ``app`` under ``prefix``, inside ``middleware``.

    Returns the route objects that now serve them (what ``iter_route_contexts`` reports as each
    context's ``original_route``).
    """
    contexts = list(iter_route_contexts(router.routes))
    _check_unique_names(app, contexts, prefix)
    flat = not router.form_limits and all(
        isinstance(context.original_route, APIRoute) for context in contexts
    )
    if not flat:
        included: APIRouter = router
        if middleware:
            included = GroupRouter(group or "group", middleware, router)
        app.include_router(
            included, prefix=prefix, tags=list(tags), dependencies=list(dependencies)
        )
        return [context.original_route for context in contexts]
    served: list[BaseRoute] = []
    for context in contexts:
        route = _add_copy(app.router, context, prefix, tags, dependencies)
        for cls, args, kwargs in reversed(middleware):
            route.app = cls(route.app, *args, **kwargs)
        served.append(route)
    return served


def _add_copy(
    target: APIRouter,
    context: RouteContext,
    prefix: str,
    tags: Sequence[str | Enum],
    dependencies: Sequence[params.Depends],
) -> APIRoute:
    original = context.original_route
    assert isinstance(original, APIRoute)
    arguments = _copy_arguments(context, prefix, tags, dependencies)
    reusable = type(original) is APIRoute
    if reusable:
        built = _built_copies.get(original, arguments)
        if built is not None:
            return _serve_again(target, built)
    target.add_api_route(
        **arguments,
        form_limits=original.form_limits or None,
        route_class_override=PrefixCheckedRoute if reusable else type(original),
    )
    route = target.routes[-1]
    assert isinstance(route, APIRoute)
    if reusable:
        _built_copies.put(original, arguments, route)
    return route


def _copy_arguments(
    context: RouteContext,
    prefix: str,
    tags: Sequence[str | Enum],
    dependencies: Sequence[params.Depends],
) -> dict[str, Any]:
    return {
        "path": prefix + str(context.path),
        "endpoint": context.original_route.endpoint,  # type: ignore[attr-defined]
        "response_model": context.response_model,
        "status_code": context.status_code,
        "tags": [*tags, *context.tags],
        "dependencies": [*dependencies, *context.dependencies],
        "summary": context.summary,
        "description": context.description,
        "response_description": context.response_description,
        "responses": context.responses,
        "deprecated": context.deprecated,
        "methods": context.methods,
        "operation_id": context.operation_id,
        "response_model_include": context.response_model_include,
        "response_model_exclude": context.response_model_exclude,
        "response_model_by_alias": context.response_model_by_alias,
        "response_model_exclude_unset": context.response_model_exclude_unset,
        "response_model_exclude_defaults": context.response_model_exclude_defaults,
        "response_model_exclude_none": context.response_model_exclude_none,
        "include_in_schema": context.include_in_schema,
        "response_class": context.response_class,
        "name": context.name,
        "callbacks": context.callbacks,
        "openapi_extra": context.openapi_extra,
        "generate_unique_id_function": context.generate_unique_id_function,
        "strict_content_type": context.strict_content_type,
        "max_body_size": context.max_body_size,
    }


def _serve_again(target: APIRouter, built: APIRoute) -> APIRoute:
    """A copy of ``built`` on ``target``: the analysed endpoint, dependencies and response fields
    are shared (nothing changes them after construction), the request handler is rebuilt as
    ``APIRoute.__init__`` builds it, for ``target``'s app."""
    route = copy.copy(built)
    route.tags = list(built.tags)
    route.dependencies = list(built.dependencies)
    route.responses = dict(built.responses)
    route.dependency_overrides_provider = target.dependency_overrides_provider
    route.app = wrap_app_with_body_limit(
        request_response(route.get_route_handler()), route.max_body_size
    )
    target.routes.append(route)
    target._mark_routes_changed()
    return route


class _BuiltCopies:
    """The last copy built of each route, with the arguments it was built from.

    Keyed by the original route's identity (starlette routes compare by path and endpoint, so
    they cannot be dict keys), bounded so routers made on the fly (tests) do not pile up.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self._entries: OrderedDict[int, tuple[APIRoute, dict[str, Any], APIRoute]] = OrderedDict()
        self._capacity = capacity

    def get(self, original: APIRoute, arguments: dict[str, Any]) -> APIRoute | None:
        entry = self._entries.get(id(original))
        if entry is None or entry[0] is not original or entry[1] != arguments:
            return None
        self._entries.move_to_end(id(original))
        return entry[2]

    def put(self, original: APIRoute, arguments: dict[str, Any], built: APIRoute) -> None:
        self._entries[id(original)] = (original, arguments, built)
        self._entries.move_to_end(id(original))
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)


_built_copies = _BuiltCopies()


def _check_unique_names(app: FastAPI, contexts: Sequence[RouteContext], prefix: str) -> None:
    taken = {
        context.name: str(context.path)
        for context in iter_route_contexts(app.routes)
        if context.name and "." in context.name
    }
    for context in contexts:
        name = context.name
        if not name or "." not in name:
            continue
        path = prefix + str(context.path)
        # The same name on the same path is one route answering another method (PUT, PATCH).
        if taken.get(name, path) != path:
            raise DuplicateRouteName(
                f"route name {name!r} is already taken by {taken[name]}; "
                f"{path} needs another name (route names are unique, for url_for)"
            )
        taken[name] = path
