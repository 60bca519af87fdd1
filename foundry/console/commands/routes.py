"""``route:list``: every route of the app, its action, middleware group, auth and requirements.

``Auth`` is the caller a route admits (``user``, ``first-party``, ``token``, ``optional``, or
nothing for a public route); ``Requires`` lists its role, permission, scope and policy checks
(``permission:users.view``, ``scope:profile``, ``policy:update Post``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from foundry.console.output import Output
from foundry.console.runtime import load_config

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.routing import BaseRoute

__all__ = ["RouteRow", "collect_routes", "route_list"]


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One line of the listing."""

    method: str
    uri: str
    name: str
    action: str
    middleware: str
    auth: str = ""
    requires: str = ""


def route_list(
    method: Annotated[
        str | None, typer.Option("--method", help="Only routes answering this method (GET, ...)")
    ] = None,
    path: Annotated[
        str | None, typer.Option("--path", help="Only routes whose URI contains this")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the routes as JSON")] = False,
) -> None:
    """List all registered routes: method, URI, name, action, middleware group, auth, checks."""
    from foundry.http.app import create_app
    from foundry.kernel.application import Application
    from foundry.kernel.container import set_root_container

    application = Application(config=load_config())
    try:
        rows = collect_routes(create_app(application))
    finally:
        # Building the app opens nothing, but providers may have registered shutdown callbacks.
        asyncio.run(application.shutdown())
        set_root_container(None)
    if method is not None:
        wanted = method.upper()
        rows = [row for row in rows if wanted in row.method.split("|")]
    if path is not None:
        rows = [row for row in rows if path in row.uri]
    output = Output()
    if as_json:
        output.json([asdict(row) for row in rows])
        return
    if not rows:
        output.info("Your application doesn't have any routes matching the given criteria.")
        return
    output.table(
        ["Method", "URI", "Name", "Action", "Middleware", "Auth", "Requires"],
        [
            [row.method, row.uri, row.name, row.action, row.middleware, row.auth, row.requires]
            for row in rows
        ],
    )
    output.line()
    output.line(f"Showing [{len(rows)}] routes", style="bold")


def collect_routes(app: FastAPI) -> list[RouteRow]:
    """The app's routes, with included routers flattened, sorted by URI then method."""
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import iter_route_contexts

    from foundry.http.guards import route_requirements
    from foundry.http.kernel import HttpKernel

    try:
        kernel: HttpKernel | None = HttpKernel.of(app)
    except LookupError:
        kernel = None
    rows: list[RouteRow] = []
    for context in iter_route_contexts(app.routes):
        uri = context.path or ""
        if not uri:
            continue
        endpoint = context.endpoint
        action = f"{endpoint.__module__}.{endpoint.__qualname__}" if endpoint is not None else ""
        dependant = getattr(context, "dependant", None)
        needs = route_requirements(dependant) if isinstance(dependant, Dependant) else None
        rows.append(
            RouteRow(
                method=_methods(context.methods),
                uri=uri,
                name=context.name or "",
                action=action,
                middleware=(kernel.group_of(context.original_route) or "") if kernel else "",
                auth=needs.auth if needs else "",
                requires=" ".join(needs.requires) if needs else "",
            )
        )
    rows.sort(key=lambda row: (row.uri, row.method))
    return rows


def _methods(methods: set[str] | None) -> str:
    if not methods:
        return "ANY"
    ordered = sorted(methods, key=lambda m: (m not in ("GET", "HEAD"), m))
    return "|".join(ordered)
