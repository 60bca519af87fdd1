"""What the document says of an operation beyond what FastAPI sees: ``OperationDoc``.

The framework's own controllers answer OAuth2 errors, HTML pages, redirects and resources that
FastAPI cannot see (they return ``Response`` objects); :mod:`.framework` describes them with
these. An application documents its routes with FastAPI's own ``responses=`` (statuses with a
``description`` get the ``Error`` schema), :func:`~.resources.responds_with` and
:func:`~.query.query_parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.http.openapi.components import OAUTH_ERROR, error_response, html_response
from foundry.http.openapi.resources import Paging

__all__ = [
    "OperationDoc",
    "form_body",
    "html",
    "json_object",
    "oauth_error",
    "query_parameter",
    "redirect",
]


@dataclass(frozen=True)
class OperationDoc:
    """Additions to one operation of the document.

    Attributes:
        responses: status -> response object; content is merged with what is derived.
        success_content: replaces the content of the operation's success response.
        request_body: the operation's ``requestBody``.
        parameters: extra parameters (query parameters read from ``request``).
        resource: ``(resource class, many, paging)`` returned with the success status.
        without_default_success: drop FastAPI's default 200 (the route never answers it: a
            form post that redirects).
        security: the operation's ``security`` when no guard dependency tells it.
    """

    responses: Mapping[int, dict[str, Any]] = field(default_factory=dict)
    success_content: dict[str, Any] | None = None
    request_body: dict[str, Any] | None = None
    parameters: Sequence[dict[str, Any]] = ()
    resource: tuple[type[Any], bool, Paging] | None = None
    without_default_success: bool = False
    security: Sequence[Mapping[str, Sequence[str]]] | None = None


def oauth_error(description: str) -> dict[str, Any]:
    """An RFC 6749 error response."""
    return error_response(400, description, schema=OAUTH_ERROR)


def html(description: str) -> dict[str, Any]:
    """An HTML page."""
    return html_response(description)


def redirect(description: str) -> dict[str, Any]:
    """A redirect (``Location``), no body."""
    return {
        "description": description,
        "headers": {"Location": {"schema": {"type": "string"}, "description": "Where to go"}},
    }


def json_object(
    properties: Mapping[str, Any],
    required: Sequence[str] = (),
    media_type: str = "application/json",
) -> dict[str, Any]:
    """Content of a JSON object with these properties."""
    schema: dict[str, Any] = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    return {media_type: {"schema": schema}}


def form_body(
    properties: Mapping[str, Any], required: Sequence[str] = (), description: str = ""
) -> dict[str, Any]:
    """An ``application/x-www-form-urlencoded`` request body."""
    body: dict[str, Any] = {
        "required": bool(required),
        "content": json_object(properties, required, "application/x-www-form-urlencoded"),
    }
    if description:
        body["description"] = description
    return body


def query_parameter(name: str, description: str, schema: dict[str, Any] | None = None) -> Any:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }
