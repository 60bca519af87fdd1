"""The renderer behind every error response."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException as FastAPIHTTPException
from starlette.exceptions import HTTPException
from starlette.responses import Response

from foundry.http.exceptions import error_code, error_response, render_exception
from foundry.kernel.errors import PayloadTooLargeError, TooManyRequestsError, ValidationError


def _body(response: Response) -> Any:
    return json.loads(bytes(response.body))


def test_error_codes_for_statuses_without_a_mapping_come_from_the_phrase() -> None:
    assert error_code(404) == "not_found"
    assert error_code(418) == "im_a_teapot"
    assert error_code(451) == "unavailable_for_legal_reasons"


def test_error_response_defaults_message_and_code_from_the_status() -> None:
    response = error_response(503, headers={"Retry-After": "5"}, checks={"redis": "failed"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert _body(response) == {
        "message": "Service Unavailable.",
        "error": "service_unavailable",
        "checks": {"redis": "failed"},
    }


def test_http_errors_keep_status_message_code_and_headers() -> None:
    response = render_exception(TooManyRequestsError("Slow down.", retry_after=9))
    assert response.status_code == 429 and response.headers["Retry-After"] == "9"
    assert _body(response) == {"message": "Slow down.", "error": "too_many_requests"}
    assert _body(render_exception(PayloadTooLargeError()))["error"] == "payload_too_large"


def test_validation_errors_use_laravels_shape() -> None:
    response = render_exception(ValidationError({"email": ["Taken.", "Too long."]}))
    assert response.status_code == 422
    assert _body(response) == {
        "message": "Taken. (and 1 more error)",
        "errors": {"email": ["Taken.", "Too long."]},
    }


def test_starlette_http_exception_detail_becomes_the_message() -> None:
    assert _body(render_exception(HTTPException(404))) == {
        "message": "Not Found.",
        "error": "not_found",
    }
    custom = render_exception(HTTPException(403, detail="Not your invoice."))
    assert _body(custom) == {"message": "Not your invoice.", "error": "forbidden"}


def test_structured_fastapi_detail_is_kept_under_detail() -> None:
    response = render_exception(FastAPIHTTPException(409, detail={"field": "email"}))
    assert _body(response) == {
        "message": "Conflict.",
        "error": "conflict",
        "detail": {"field": "email"},
    }


def test_other_exceptions_are_500_and_hidden_unless_debug() -> None:
    hidden = render_exception(KeyError("api_key"))
    assert hidden.status_code == 500
    assert _body(hidden) == {"message": "Server Error.", "error": "server_error"}

    shown = _body(render_exception(KeyError("api_key"), debug=True))
    assert shown["exception"] == "builtins.KeyError"
    assert shown["message"] == "'api_key'"
    assert isinstance(shown["trace"], list)
