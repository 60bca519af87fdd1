"""Canaries: the ``add_api_route`` arguments ``foundry.http.routing.add_router`` copies.

``add_router`` re-registers each route of a router on the app itself, passing every argument of
``APIRouter.add_api_route`` from FastAPI's ``RouteContext`` (``iter_route_contexts``). A FastAPI
upgrade that adds an argument would otherwise be dropped silently from every copied route (a
response option, a body limit): these tests compare the arguments the code passes, read from
its source, with FastAPI's signatures.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi._body_limit import wrap_app_with_body_limit
from fastapi.routing import APIRoute, iter_route_contexts

import foundry.http.routing as routing
from tests.foundry.canaries.signatures import parameters

#: ``add_api_route`` arguments that are not route options: what to register, and how.
POSITIONAL = {"path", "endpoint"}


def _tree() -> ast.Module:
    return ast.parse(Path(inspect.getfile(routing)).read_text())


def _copy_call() -> ast.Call:
    calls = [
        node
        for node in ast.walk(_tree())
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_api_route"
    ]
    assert len(calls) == 1, "expected one add_api_route call in foundry/http/routing.py"
    return calls[0]


def _copied_arguments() -> ast.Dict:
    """The dict ``_copy_arguments`` returns: the arguments read from the route's context."""
    functions = [
        node
        for node in ast.walk(_tree())
        if isinstance(node, ast.FunctionDef) and node.name == "_copy_arguments"
    ]
    assert len(functions) == 1, "expected _copy_arguments in foundry/http/routing.py"
    returned = [node.value for node in ast.walk(functions[0]) if isinstance(node, ast.Return)]
    assert len(returned) == 1 and isinstance(returned[0], ast.Dict)
    return returned[0]


def _passed_keywords() -> set[str]:
    explicit = {keyword.arg for keyword in _copy_call().keywords if keyword.arg is not None}
    copied = {
        key.value
        for key in _copied_arguments().keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }
    return (explicit | copied) - POSITIONAL


def _context_attributes_read() -> set[str]:
    read: set[str] = set()
    for value in _copied_arguments().values:
        for node in ast.walk(value):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "context"
            ):
                read.add(node.attr)
    return read


def test_fastapi_add_api_route_takes_exactly_the_arguments_add_router_copies() -> None:
    taken = set(parameters(APIRouter.add_api_route)) - POSITIONAL
    passed = _passed_keywords()
    assert taken - passed == set(), "new add_api_route arguments that add_router does not copy"
    assert passed - taken == set(), "arguments add_router copies that add_api_route dropped"


def test_fastapi_api_route_takes_what_add_api_route_forwards() -> None:
    route_options = set(parameters(APIRoute.__init__))
    forwarded = set(parameters(APIRouter.add_api_route)) - {"route_class_override"}
    # Only the app's dependency overrides are set by the router itself, not by the caller.
    assert route_options - forwarded == {"dependency_overrides_provider"}
    assert forwarded - route_options == set()


def test_fastapi_route_context_answers_every_attribute_add_router_reads() -> None:
    inner = APIRouter(prefix="/inner", tags=["inner"], dependencies=[Depends(lambda: None)])

    @inner.get("/item/{item_id}", summary="An item", status_code=203)
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    outer = APIRouter()
    outer.include_router(inner, prefix="/outer")
    (context,) = list(iter_route_contexts(outer.routes))
    for name in _context_attributes_read():
        assert hasattr(context, name), f"RouteContext lost {name!r}"
    assert context.path == "/outer/inner/item/{item_id}"
    assert context.status_code == 203
    assert "inner" in context.tags
    assert isinstance(context.original_route, APIRoute)
    # add_router reads the router's and the route's form limits (a router with some is
    # included whole).
    assert hasattr(context.original_route, "form_limits") and hasattr(outer, "form_limits")


def test_api_route_builds_its_app_the_way_a_reused_copy_rebuilds_it() -> None:
    # routing._serve_again gives a reused copy the request handler APIRoute.__init__ builds.
    source = inspect.getsource(APIRoute.__init__)
    assert "self.app = wrap_app_with_body_limit(" in source
    assert "request_response(self.get_route_handler()), max_body_size" in source
    assert parameters(wrap_app_with_body_limit) == ["app", "max_body_size"]
    assert "dependency_overrides_provider=route.dependency_overrides_provider" in (
        inspect.getsource(APIRoute.get_route_handler)
    )
