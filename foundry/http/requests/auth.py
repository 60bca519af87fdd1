"""Form requests of the ``/api/v1/auth`` endpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import Field

from foundry import validation as v
from foundry.http.requests.form_request import FormRequest

__all__ = [
    "ChangePasswordRequest",
    "ForgotPasswordRequest",
    "LoginRequest",
    "RefreshRequest",
    "RegisterRequest",
    "ResetPasswordRequest",
    "UpdateProfileRequest",
]


class RegisterRequest(FormRequest):
    """``name``, ``email``, ``password`` and ``password_confirmation``."""

    name: str = Field(min_length=1, max_length=255)
    email: str = Field(max_length=255)
    password: str = Field(max_length=1024)
    password_confirmation: str = Field(max_length=1024)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.email()], "password": [v.confirmed()]}


class LoginRequest(FormRequest):
    """``email`` and ``password``."""

    email: str = Field(max_length=255)
    password: str = Field(max_length=1024)


class RefreshRequest(FormRequest):
    """The refresh token to spend."""

    refresh_token: str = Field(min_length=1, max_length=512)


class ChangePasswordRequest(FormRequest):
    """The current password and the new one, confirmed."""

    current_password: str = Field(max_length=1024)
    password: str = Field(max_length=1024)
    password_confirmation: str = Field(max_length=1024)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"password": [v.confirmed()]}


class UpdateProfileRequest(FormRequest):
    """A new name and/or email."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    email: str | None = Field(default=None, max_length=255)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.email()]}


class ForgotPasswordRequest(FormRequest):
    """The email to send a reset link to."""

    email: str = Field(max_length=255)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.email()]}


class ResetPasswordRequest(FormRequest):
    """The emailed token, the email and the new password, confirmed."""

    token: str = Field(min_length=1, max_length=256)
    email: str = Field(max_length=255)
    password: str = Field(max_length=1024)
    password_confirmation: str = Field(max_length=1024)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {"email": [v.email()], "password": [v.confirmed()]}
