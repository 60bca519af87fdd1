"""Exception handlers: every error leaves the app as ``{"message", "error"}`` JSON.

422 uses Laravel's ``{"message", "errors": {field: [...]}}``. The same renderer serves the
FastAPI exception handlers (errors raised in routes and dependencies) and
:class:`~foundry.http.middleware.exceptions.UnhandledExceptionMiddleware` (anything that escapes), so
an error looks the same wherever it was raised. An outage of Redis or the database (see
:mod:`foundry.kernel.outages`) is a 503 with ``Retry-After``, never a 500.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from email.message import Message
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from foundry.http.validation import format_validation_errors
from foundry.kernel.errors import HttpError, ValidationError
from foundry.kernel.outages import ServiceUnavailableError, outage_of

__all__ = [
    "error_code",
    "error_response",
    "handle_http_error",
    "handle_http_exception",
    "handle_request_validation_error",
    "register_exception_handlers",
    "render_exception",
    "validation_response",
]

# Machine-readable codes for the statuses starlette and FastAPI raise on their own.
_ERROR_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "server_error",
    503: "service_unavailable",
}
_MESSAGES: Mapping[int, str] = {
    401: "Unauthenticated.",
    403: "This action is unauthorized.",
    429: "Too Many Attempts.",
    500: "Server Error.",
}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_code(status: int) -> str:
    """The ``error`` code for a status: ``not_found``, ``method_not_allowed``, ..."""
    known = _ERROR_CODES.get(status)
    if known is not None:
        return known
    words = _phrase(status).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "_", words).strip("_")


def error_response(
    status: int,
    message: str | None = None,
    error: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """``{"message": ..., "error": ..., **extra}`` with ``status`` and ``headers``."""
    body: dict[str, Any] = {
        "message": message or _MESSAGES.get(status) or _phrase(status) + ".",
        "error": error or error_code(status),
        **extra,
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def validation_response(
    errors: Mapping[str, list[str]], message: str | None = None
) -> JSONResponse:
    """Laravel's 422: ``{"message": ..., "errors": {field: [messages]}}``."""
    return _from_http_error(ValidationError(errors, message))


def _from_http_error(exc: HttpError) -> JSONResponse:
    if isinstance(exc, ValidationError):
        body = {"message": exc.message, "errors": exc.errors}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return error_response(exc.status_code, exc.message, exc.error, headers=exc.headers)


def _from_http_exception(exc: HTTPException) -> JSONResponse:
    status = exc.status_code
    # FastAPI's HTTPException allows any JSON-able detail, starlette's only a string.
    detail: Any = exc.detail
    extra: dict[str, Any] = {}
    if isinstance(detail, str):
        # starlette fills ``detail`` with the bare phrase when none was given; ours reads better.
        message = None if detail == _phrase(status) else detail
    else:
        message = None
        if detail is not None:
            extra["detail"] = detail
    return error_response(status, message, headers=exc.headers, **extra)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    parsed = Message()
    parsed["content-type"] = content_type
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _from_request_validation(exc: RequestValidationError, content_type: str | None) -> Response:
    errors = list(exc.errors())
    for error in errors:
        if error.get("type") == "json_invalid":
            position = error.get("loc", ("body", 0))[-1]
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            return error_response(
                400,
                f"The request body is not valid JSON: {reason} (at character {position}).",
                "invalid_json",
            )
    # FastAPI hands the raw bytes to the model when the body was not sent as JSON.
    raw_body = any(
        tuple(e.get("loc", ())) == ("body",) and isinstance(e.get("input"), bytes) for e in errors
    )
    if raw_body and not _is_json(content_type):
        return error_response(
            415,
            "The request body must be sent as JSON (Content-Type: application/json).",
        )
    return validation_response(format_validation_errors(errors))


def render_exception(
    exc: BaseException, *, debug: bool = False, content_type: str | None = None
) -> Response:
    """The JSON response for any exception; a 500 hides the details unless ``debug``.

    A Redis or database outage is a 503 with ``Retry-After`` (in debug mode too: the client
    should retry, not read a trace).
    """
    if isinstance(exc, HttpError):
        return _from_http_error(exc)
    if isinstance(exc, HTTPException):
        return _from_http_exception(exc)
    if isinstance(exc, RequestValidationError):
        return _from_request_validation(exc, content_type)
    if outage_of(exc) is not None:
        return _from_http_error(ServiceUnavailableError())
    if not debug:
        return error_response(500)
    return error_response(
        500,
        str(exc) or "Server Error.",
        exception=f"{type(exc).__module__}.{type(exc).__qualname__}",
        trace="".join(traceback.format_exception(exc)).splitlines(),
    )


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Handler for :class:`foundry.kernel.errors.HttpError` and its subclasses."""
    return render_exception(exc)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Handler for starlette's (and FastAPI's) ``HTTPException``: 404, 405 with ``Allow``, ..."""
    return render_exception(exc)


async def handle_request_validation_error(request: Request, exc: Exception) -> Response:
    """Handler for FastAPI's request validation: 400 bad JSON, 415 not JSON, 422 invalid."""
    return render_exception(exc, content_type=request.headers.get("content-type"))


def register_exception_handlers(app: FastAPI) -> None:
    """Install the handlers; anything else is caught by ``UnhandledExceptionMiddleware``."""
    app.add_exception_handler(HttpError, handle_http_error)
    app.add_exception_handler(HTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_request_validation_error)
