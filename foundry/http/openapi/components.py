"""The shared component schemas every error response references.

``Error`` is the body of every error the kernel renders (:mod:`foundry.http.exceptions`),
``ValidationError`` Laravel's 422 and ``OAuthError`` RFC 6749's, which the OAuth2 endpoints
answer with. :func:`error_response` builds an operation's response object for a status.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

__all__ = [
    "ERROR",
    "ERROR_SCHEMAS",
    "OAUTH_ERROR",
    "SERVICE_UNAVAILABLE",
    "VALIDATION_ERROR",
    "any_error_response",
    "error_response",
    "html_response",
    "schema_ref",
]

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"
OAUTH_ERROR = "OAuthError"
#: The shared response (``#/components/responses/...``) of a maintenance-mode or outage 503.
SERVICE_UNAVAILABLE = "ServiceUnavailable"

_FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": "Field name (dotted for nested fields) -> its error messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

#: name -> JSON schema, merged into ``components.schemas``.
ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR: {
        "title": ERROR,
        "type": "object",
        "description": "Every error: a human message and a machine-readable `error` code.",
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "examples": ["This action is unauthorized."]},
            "error": {"type": "string", "examples": ["forbidden"]},
            "errors": _FIELD_ERRORS,
        },
    },
    VALIDATION_ERROR: {
        "title": VALIDATION_ERROR,
        "type": "object",
        "description": "Laravel's 422: the first message, and every message by field.",
        "required": ["message", "errors"],
        "properties": {
            "message": {"type": "string", "examples": ["The email field is required."]},
            "errors": _FIELD_ERRORS,
        },
    },
    OAUTH_ERROR: {
        "title": OAUTH_ERROR,
        "type": "object",
        "description": "An OAuth2 error (RFC 6749 section 5.2).",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "examples": ["invalid_grant"]},
            "error_description": {"type": "string"},
            "error_uri": {"type": "string"},
        },
    },
}

_DESCRIPTIONS = {
    400: "Bad request (malformed JSON, query parameter or header)",
    401: "Unauthenticated: no bearer token, or an invalid, expired or revoked one",
    403: "Forbidden: a missing permission, scope, or policy refusal",
    404: "Not found",
    409: "Conflict",
    413: "The request body is too large",
    415: "The request body is not JSON",
    422: "Validation failed",
    429: "Too many requests: retry after `Retry-After` seconds",
    503: "Maintenance mode or an outage: retry after `Retry-After` seconds",
}


def schema_ref(name: str) -> dict[str, str]:
    """``{"$ref": "#/components/schemas/<name>"}``."""
    return {"$ref": f"#/components/schemas/{name}"}


def _description(status: int) -> str:
    known = _DESCRIPTIONS.get(status)
    if known is not None:
        return known
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_response(
    status: int,
    description: str | None = None,
    *,
    schema: str | None = None,
    media_type: str = "application/json",
) -> dict[str, Any]:
    """The response object of an error ``status``: ``ValidationError`` for 422, else ``Error``."""
    name = schema or (VALIDATION_ERROR if status == 422 else ERROR)
    return {
        "description": description or _description(status),
        "content": {media_type: {"schema": schema_ref(name)}},
    }


def any_error_response(status: int, description: str, *names: str) -> dict[str, Any]:
    """An error ``status`` whose body is any of the ``names`` schemas."""
    schema = {"anyOf": [schema_ref(name) for name in names]}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def html_response(description: str) -> dict[str, Any]:
    """A response that is an HTML page."""
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}
