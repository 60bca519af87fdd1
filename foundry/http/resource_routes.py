"""``api_resource``: the five REST routes of a resource from one controller (Laravel's
``Route::apiResource``).

::

    kernel.include(api_resource("posts", PostController, authorize=Post), group="api",
                   prefix="/api/v1")

=========  ===============  ===================  ==============
action     method           path                 name
=========  ===============  ===================  ==============
index      GET              /posts               posts.index
store      POST (201)       /posts               posts.store
show       GET              /posts/{post}        posts.show
update     PUT, PATCH       /posts/{post}        posts.update
destroy    DELETE (204)     /posts/{post}        posts.destroy
=========  ===============  ===================  ==============

The controller is a class (built with no arguments; its methods receive services through
``Inject[...]``) or a module with those functions. ``"users.posts"`` nests: ``/users/{user}/posts``
and ``/users/{user}/posts/{post}``, named ``users.posts.index``...; pair it with
``bind(Post, scope_bindings="user")`` so a post of another user is a 404. The path parameter is the
singular of the resource's name (``people`` -> ``{person}``), which :data:`Bound` finds by the
model's name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from fastapi import APIRouter, params

from foundry.http.authorization import authorize_resource
from foundry.kernel.english import english

__all__ = ["RESOURCE_ACTIONS", "api_resource", "resource_parameter"]


@dataclass(frozen=True, slots=True)
class _Action:
    methods: tuple[str, ...]
    on_item: bool
    status_code: int | None = None


_ACTIONS: Mapping[str, _Action] = {
    "index": _Action(("GET",), on_item=False),
    "store": _Action(("POST",), on_item=False, status_code=201),
    "show": _Action(("GET",), on_item=True),
    "update": _Action(("PUT", "PATCH"), on_item=True),
    "destroy": _Action(("DELETE",), on_item=True, status_code=204),
}
#: The actions of an API resource, in the order their routes are registered.
RESOURCE_ACTIONS: tuple[str, ...] = tuple(_ACTIONS)


def resource_parameter(name: str) -> str:
    """The path parameter of a resource segment: ``posts`` -> ``post``, ``blog-posts`` ->
    ``blog_post``."""
    words = name.replace("-", "_")
    singular = english().singular_noun(words)
    return singular if isinstance(singular, str) and singular else words


def api_resource(
    name: str,
    controller: type[Any] | ModuleType | object,
    *,
    parameter: str | None = None,
    only: Collection[str] | None = None,
    except_: Collection[str] = (),
    authorize: type[Any] | None = None,
    tags: list[str] | None = None,
) -> APIRouter:
    """A router with the REST routes of ``name`` served by ``controller``'s methods.

    Args:
        name: the resource's path and route-name prefix, dotted for nesting (``"users.posts"``).
        controller: a class (instantiated once, with no arguments), an instance or a module.
        parameter: the item's path parameter (default: the singular of the last segment).
        only: register these actions only. ``except_``: all but these.
        authorize: a model whose policy authorizes each action (:func:`authorize_resource`).
        tags: OpenAPI tags (default: the last segment).

    Raises:
        TypeError: the controller lacks one of the actions asked for.
        ValueError: an unknown action in ``only``/``except_``.
    """
    unknown = set(only or ()) | set(except_)
    unknown -= set(RESOURCE_ACTIONS)
    if unknown:
        raise ValueError(f"unknown resource actions {sorted(unknown)}; known: {RESOURCE_ACTIONS}")
    actions = [a for a in RESOURCE_ACTIONS if (only is None or a in only) and a not in except_]
    target = controller() if isinstance(controller, type) else controller
    label = getattr(controller, "__name__", type(controller).__name__)
    segments = name.split(".")
    item = parameter or resource_parameter(segments[-1])
    collection_path = "".join(
        f"/{segment}/{{{resource_parameter(segment)}}}" for segment in segments[:-1]
    )
    collection_path += f"/{segments[-1]}"
    checks: dict[str, params.Depends] = {}
    if authorize is not None:
        parent = resource_parameter(segments[-2]) if len(segments) > 1 else None
        checks = authorize_resource(authorize, item, scope_bindings=parent)
    router = APIRouter(tags=list(tags or [segments[-1]]))
    for action in actions:
        endpoint = getattr(target, action, None)
        if not callable(endpoint):
            raise TypeError(
                f"{label} has no {action}() for {name}.{action}; "
                f"pass only=[...] or except_=[...] to register fewer routes"
            )
        spec = _ACTIONS[action]
        # One route per method: OpenAPI needs an operation id for each, and FastAPI gives a
        # route answering PUT and PATCH one id for both (a duplicate-id warning).
        for method in spec.methods:
            router.add_api_route(
                f"{collection_path}/{{{item}}}" if spec.on_item else collection_path,
                endpoint,
                methods=[method],
                name=f"{name}.{action}",
                status_code=spec.status_code,
                dependencies=[checks[action]] if action in checks else None,
            )
    return router
