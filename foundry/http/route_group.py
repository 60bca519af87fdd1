"""``RouteGroup``: the prefix, middleware group and shared dependencies of some routes, stated
once in a route file (Laravel's ``Route::prefix('api/v1')->middleware('api')->group(...)``).

::

    def register(kernel: HttpKernel) -> None:
        api = RouteGroup(kernel, "api", prefix="/api/v1")
        api.include(user_controller.router)                      # /api/v1/users...
        api.resource("posts", PostController, authorize=Post)    # posts.index ... posts.destroy

Routes are matched in the order they are included.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from types import ModuleType
from typing import Any

from fastapi import APIRouter, params

from foundry.http.kernel import HttpKernel
from foundry.http.resource_routes import api_resource

__all__ = ["RouteGroup"]


class RouteGroup:
    """Includes routers into ``kernel`` under one prefix, middleware group and dependencies."""

    def __init__(
        self,
        kernel: HttpKernel,
        group: str | None,
        *,
        prefix: str = "",
        dependencies: Sequence[params.Depends] = (),
    ) -> None:
        self.kernel = kernel
        self.group = group
        self.prefix = prefix
        self.dependencies = tuple(dependencies)

    def include(self, router: APIRouter) -> RouteGroup:
        """Serve ``router``'s routes in this group; returns the group, to chain."""
        self.kernel.include(
            router, group=self.group, prefix=self.prefix, dependencies=self.dependencies
        )
        return self

    def resource(
        self,
        name: str,
        controller: type[Any] | ModuleType | object,
        *,
        parameter: str | None = None,
        only: Collection[str] | None = None,
        except_: Collection[str] = (),
        authorize: type[Any] | None = None,
    ) -> RouteGroup:
        """The five REST routes of ``name`` (:func:`~foundry.http.resource_routes.api_resource`)."""
        router = api_resource(
            name,
            controller,
            parameter=parameter,
            only=only,
            except_=except_,
            authorize=authorize,
        )
        return self.include(router)
