"""Exceptions that carry an HTTP status, raised by services and turned into JSON by the kernel.

They live in the kernel, not in ``app/http``, so services can raise them without knowing HTTP
exists; the kernel renders each as ``{"message": ..., "error": ...}`` (422:
``{"message": ..., "errors": {field: [...]}}``).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "AuthenticationError",
    "AuthorizationError",
    "BadRequestError",
    "ConflictError",
    "HttpError",
    "NotFoundError",
    "PayloadTooLargeError",
    "TooManyRequestsError",
    "ValidationError",
]


class HttpError(Exception):
    """An error with a status code, a human message and a machine-readable ``error`` code."""

    status_code: int = 500
    error: str = "server_error"
    default_message: str = "Server Error."

    def __init__(
        self,
        message: str | None = None,
        *,
        error: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if error is not None:
            self.error = error
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(self.message)


class BadRequestError(HttpError):
    """400: the request cannot be understood as sent."""

    status_code = 400
    error = "bad_request"
    default_message = "Bad Request."


class AuthenticationError(HttpError):
    """401: no valid credentials."""

    status_code = 401
    error = "unauthenticated"
    default_message = "Unauthenticated."


class AuthorizationError(HttpError):
    """403: authenticated, but not allowed."""

    status_code = 403
    error = "forbidden"
    default_message = "This action is unauthorized."


class NotFoundError(HttpError):
    """404: the resource does not exist (or is hidden from this user)."""

    status_code = 404
    error = "not_found"
    default_message = "Not Found."


class ConflictError(HttpError):
    """409: the request conflicts with the current state."""

    status_code = 409
    error = "conflict"
    default_message = "Conflict."


class PayloadTooLargeError(HttpError):
    """413: the body is larger than the configured maximum."""

    status_code = 413
    error = "payload_too_large"
    default_message = "Payload Too Large."


class TooManyRequestsError(HttpError):
    """429: a rate limit was hit; ``retry_after`` seconds until the next attempt may pass."""

    status_code = 429
    error = "too_many_requests"
    default_message = "Too Many Attempts."

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: int,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        merged = {"Retry-After": str(max(retry_after, 0)), **(headers or {})}
        super().__init__(message, headers=merged)
        self.retry_after = retry_after


class ValidationError(HttpError):
    """422 in Laravel's shape: ``errors`` maps each field to its messages."""

    status_code = 422
    error = "validation_failed"
    default_message = "The given data was invalid."

    def __init__(self, errors: Mapping[str, list[str]], message: str | None = None) -> None:
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}
        if message is None and self.errors:
            first = next(iter(self.errors.values()))
            extra = sum(len(v) for v in self.errors.values()) - 1
            message = first[0] if first else None
            if message and extra > 0:
                message += f" (and {extra} more error{'s' if extra > 1 else ''})"
        super().__init__(message)
