"""Canary: the FastAPI internals :mod:`foundry.http.route_index` relies on.

``IndexedRouter`` serves an indexed route as ``APIRouter.app`` serves the route it selects
(``_apply_router_form_limits``, ``_update_scope``, ``_route_selected``), rebuilds its index when
``_routes_version`` moves, and ``index_routes`` rebinds ``middleware_stack``, which
``Router.__init__`` binds to ``app``. FastAPI and starlette are pinned exactly; an upgrade that
changes any of these fails here by name.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from fastapi.routing import APIRouter, _apply_router_form_limits, _update_scope
from fastapi.telemetry._api import _route_selected
from starlette.routing import Router

from tests.foundry.canaries.signatures import parameters


def test_apirouter_app_selects_a_route_with_the_helpers_the_index_repeats() -> None:
    source = inspect.getsource(APIRouter.app)
    assert "_apply_router_form_limits(scope, self.form_limits)" in source
    assert "_update_scope(scope, child_scope)" in source
    assert "_route_selected(" in source
    assert "await route.handle(scope, receive, send)" in source
    assert parameters(_apply_router_form_limits) == ["scope", "limits"]
    assert parameters(_update_scope) == ["scope", "child_scope"]
    assert parameters(_route_selected) == ["scope", "path", "mount"]


def test_adding_a_route_bumps_the_routes_version() -> None:
    app = FastAPI()
    before = app.router._routes_version

    async def endpoint() -> None:
        return None

    app.add_api_route("/x", endpoint)
    assert app.router._routes_version > before


def test_the_router_dispatches_through_middleware_stack_bound_to_app() -> None:
    assert "await self.middleware_stack(scope, receive, send)" in inspect.getsource(Router.__call__)
    router = APIRouter()
    assert getattr(router.middleware_stack, "__func__", None) is APIRouter.app
