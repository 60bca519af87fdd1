"""The API's OpenAPI document, and the pages that show it (``/docs``, ``/redoc``).

:func:`install` is what the HTTP kernel calls when ``API_DOCS`` is on. Routes document what
their signatures cannot show with FastAPI's ``responses=`` (an error status with a
``description`` gets the shared ``Error`` schema), :func:`responds_with` (a resource, a
collection or a page of them) and :func:`query_parameters` (the query builder's parameters).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from foundry.config.oauth2 import OAuth2Settings
from foundry.http.openapi.components import ERROR, OAUTH_ERROR, VALIDATION_ERROR, error_response
from foundry.http.openapi.docs import ASSETS_PATH, DOCS_CONTENT_SECURITY_POLICY, docs_routes
from foundry.http.openapi.document import build_document
from foundry.http.openapi.query import query_parameters
from foundry.http.openapi.resources import resource_model, responds_with
from foundry.http.openapi.security import BEARER, OAUTH2

__all__ = [
    "ASSETS_PATH",
    "BEARER",
    "DOCS_CONTENT_SECURITY_POLICY",
    "ERROR",
    "OAUTH2",
    "OAUTH_ERROR",
    "VALIDATION_ERROR",
    "build_document",
    "docs_routes",
    "error_response",
    "install",
    "query_parameters",
    "resource_model",
    "responds_with",
]


def install(
    app: FastAPI,
    *,
    group_of: Callable[[Any], str | None],
    oauth2: OAuth2Settings,
    content_security_policy: bool = True,
) -> None:
    """Make ``app.openapi()`` (served at ``app.openapi_url``) the truthful document, and serve
    the pages at ``/docs`` and ``/redoc``.

    The document is built on first request, and again once routes were added.
    """
    if not app.openapi_url:
        raise ValueError("install() needs the app's openapi_url")
    built: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        routes = len(app.router.routes)
        if built.get("routes") != routes:
            built["document"] = build_document(app, group_of=group_of, oauth2=oauth2)
            built["routes"] = routes
        document: dict[str, Any] = built["document"]
        return document

    # FastAPI's /openapi.json route calls ``app.openapi()``: the instance attribute wins.
    setattr(app, "openapi", openapi)
    for route in docs_routes(
        title=app.title,
        openapi_url=app.openapi_url,
        content_security_policy=content_security_policy,
    ):
        app.router.routes.append(route)
