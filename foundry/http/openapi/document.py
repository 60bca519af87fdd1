"""The OpenAPI document: FastAPI's, then made to tell the truth.

FastAPI documents what signatures show; :func:`build_document` adds what the routes really
answer (see :mod:`.statuses`): every error status with the shared ``Error`` schema, 422 in
Laravel's shape (FastAPI's ``HTTPValidationError``/``detail`` is removed), the 503 any request
may get, the security each operation has, the query builder's parameters, the resources the
framework's routes return and their real content types (:mod:`.framework`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from pydantic.json_schema import models_json_schema

from foundry.config.oauth2 import OAuth2Settings
from foundry.http.guards import RouteRequirements, route_requirements
from foundry.http.openapi.components import ERROR_SCHEMAS, SERVICE_UNAVAILABLE, error_response
from foundry.http.openapi.framework import framework_operations
from foundry.http.openapi.operations import OperationDoc
from foundry.http.openapi.query import QUERY_BUILDER_MARKER
from foundry.http.openapi.resources import resource_model
from foundry.http.openapi.security import operation_security, security_schemes
from foundry.http.openapi.statuses import derived_statuses

__all__ = ["build_document"]

_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")

GroupOf = Callable[[Any], str | None]


def _is_error(status: str) -> bool:
    return status[:1] in ("4", "5")


def _merge_response(
    responses: dict[str, Any], status: int, response: Mapping[str, Any], *, replace: bool = False
) -> None:
    """Add ``response`` for ``status``; content of another media type joins the existing
    (``replace``: its schema for the same media type wins)."""
    key = str(status)
    existing = responses.get(key)
    if existing is None or _is_placeholder(existing):
        responses[key] = copy.deepcopy(dict(response))
        return
    if replace and "description" in response:
        existing["description"] = response["description"]
    content = existing.setdefault("content", {})
    for media_type, body in response.get("content", {}).items():
        if replace or media_type not in content:
            content[media_type] = copy.deepcopy(body)
        else:
            _join_schemas(content[media_type], body.get("schema"))
    for name, header in response.get("headers", {}).items():
        existing.setdefault("headers", {}).setdefault(name, header)


def _join_schemas(body: dict[str, Any], schema: Any) -> None:
    """``body``'s schema becomes ``anyOf`` its own and ``schema`` (when they differ)."""
    current = body.get("schema")
    if not schema or current == schema:
        return
    options = list(current["anyOf"]) if current and "anyOf" in current else [current]
    if schema not in options:
        body["schema"] = {"anyOf": [*options, schema]}


def _is_placeholder(response: Mapping[str, Any]) -> bool:
    """FastAPI's own 422 (``HTTPValidationError``) or an error declared with a description only."""
    content = response.get("content")
    if not content:
        return True
    schemas = [body.get("schema") for body in content.values()]
    return all(
        not schema or schema.get("$ref", "").endswith("/HTTPValidationError") for schema in schemas
    )


def _fix_error_responses(responses: dict[str, Any]) -> None:
    """Errors declared without a body (``responses={409: {"description": ...}}``) and FastAPI's
    422 get the real schemas."""
    for key, response in list(responses.items()):
        if _is_error(key) and key.isdigit() and _is_placeholder(response):
            fixed = error_response(int(key), response.get("description"))
            if key == "422":
                fixed["description"] = "Validation failed"
            responses[key] = fixed


def _resource_schemas(
    docs: Mapping[Callable[..., Any], OperationDoc], schemas: dict[str, Any]
) -> dict[Callable[..., Any], dict[str, Any]]:
    """Endpoint -> the ``$ref`` of its resource body; the models join ``components.schemas``."""
    wanted = {
        endpoint: resource_model(doc.resource[0], many=doc.resource[1], paging=doc.resource[2])
        for endpoint, doc in docs.items()
        if doc.resource is not None
    }
    if not wanted:
        return {}
    models = list(dict.fromkeys(wanted.values()))
    refs, defs = models_json_schema(
        [(model, "serialization") for model in models],
        ref_template="#/components/schemas/{model}",
    )
    for name, schema in defs.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    return {endpoint: refs[(model, "serialization")] for endpoint, model in wanted.items()}


def _success_status(operation: Mapping[str, Any]) -> str | None:
    return next((key for key in operation["responses"] if key.startswith("2")), None)


def _apply_doc(
    operation: dict[str, Any], doc: OperationDoc, resource_ref: dict[str, Any] | None
) -> None:
    responses: dict[str, Any] = operation["responses"]
    if doc.without_default_success:
        responses.pop("200", None)
    if doc.security is not None:
        operation["security"] = [
            {name: list(scopes) for name, scopes in item.items()} for item in doc.security
        ]
    success = _success_status(operation)
    if success is not None:
        if resource_ref is not None:
            responses[success]["content"] = {"application/json": {"schema": resource_ref}}
        elif doc.success_content is not None:
            responses[success]["content"] = copy.deepcopy(doc.success_content)
    for status, response in doc.responses.items():
        _merge_response(responses, status, response, replace=True)
    if doc.request_body is not None:
        operation["requestBody"] = copy.deepcopy(doc.request_body)
    if doc.parameters:
        known = {(p.get("name"), p.get("in")) for p in operation.get("parameters", [])}
        extra = [p for p in doc.parameters if (p["name"], p["in"]) not in known]
        operation.setdefault("parameters", []).extend(copy.deepcopy(extra))


def build_document(app: FastAPI, *, group_of: GroupOf, oauth2: OAuth2Settings) -> dict[str, Any]:
    """The app's OpenAPI document (``app.openapi()`` returns it, cached by the kernel)."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    components = document.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    schemas.update(copy.deepcopy(ERROR_SCHEMAS))
    components.setdefault("responses", {})[SERVICE_UNAVAILABLE] = {
        **error_response(503),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    }
    components["securitySchemes"] = security_schemes(oauth2)

    docs = framework_operations()
    resource_refs = _resource_schemas(docs, schemas)
    paths: dict[str, Any] = document.get("paths", {})
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        path_item = paths.get(context.path_format or "")
        if not isinstance(dependant, Dependant) or path_item is None:
            continue
        endpoint = context.endpoint
        group = group_of(context.original_route)
        requirements = route_requirements(dependant)
        for method in sorted(context.methods or ()):
            operation = path_item.get(method.lower())
            if operation is None:
                continue
            doc = docs.get(endpoint) if endpoint is not None else None
            ref = resource_refs.get(endpoint) if endpoint is not None else None
            _document_operation(operation, dependant, group, requirements, doc, ref)
    return document


def _document_operation(
    operation: dict[str, Any],
    dependant: Dependant,
    group: str | None,
    requirements: RouteRequirements,
    doc: OperationDoc | None,
    resource_ref: dict[str, Any] | None,
) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = derived_statuses(dependant, group)
    if operation.pop(QUERY_BUILDER_MARKER, False):
        statuses.update((400, 422))
    _fix_error_responses(responses)
    for status in sorted(statuses):
        _merge_response(responses, status, error_response(status))
    if doc is not None:
        _apply_doc(operation, doc, resource_ref)
    if any(p.get("in") in ("path", "query") for p in operation.get("parameters", [])):
        # RejectNulBytesMiddleware: a NUL byte in the path or query string, for every route.
        _merge_response(responses, 400, error_response(400, "Bad request"))
    responses.setdefault("503", {"$ref": f"#/components/responses/{SERVICE_UNAVAILABLE}"})
    security = operation_security(requirements)
    if security is not None and "security" not in operation:
        operation["security"] = security
    operation["responses"] = dict(sorted(responses.items()))
