"""Form requests of the ``/api/v1/auth`` endpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from pydantic import Field
from sqlalchemy import ColumnElement, Table, inspect

from foundry import validation as v
from foundry.auth.authenticatable import normalize_email
from foundry.auth.passwords import StrongPassword
from foundry.auth.user_provider import load_user_model
from foundry.config.auth import AuthSettings
from foundry.http.requests.form_request import FormRequest
from foundry.kernel.config import settings

__all__ = [
    "ChangePasswordRequest",
    "ForgotPasswordRequest",
    "LoginRequest",
    "RefreshRequest",
    "RegisterRequest",
    "ResetPasswordRequest",
    "UpdateProfileRequest",
]


class _UnusedEmail(v.Unique):
    """No account has the email yet, compared as accounts store emails (lower case)."""

    def __init__(self) -> None:
        mapper = inspect(load_user_model(settings(AuthSettings).model))
        super().__init__(cast(Table, mapper.local_table).fullname, "email")

    def condition(self, attribute: str, value: object) -> ColumnElement[bool] | bool:
        email = normalize_email(value) if isinstance(value, str) else value
        return super().condition(attribute, email)


class RegisterRequest(FormRequest):
    """``name``, ``email``, ``password`` and ``password_confirmation``.

    Every problem is reported in one 422: a malformed or taken email, a weak or unconfirmed
    password, a missing name.
    """

    name: str = Field(min_length=1, max_length=255)
    email: str = Field(max_length=255)
    password: str = Field(max_length=1024)
    password_confirmation: str = Field(max_length=1024)

    def rules(self) -> Mapping[str, Sequence[v.BaseRule]]:
        return {
            "email": [v.email(), _UnusedEmail()],
            "password": [StrongPassword(), v.confirmed()],
        }


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
    """A new name and/or email; either may be left out, neither may be null."""

    name: v.Sometimes[str] = Field(min_length=1, max_length=255)
    email: v.Sometimes[str] = Field(max_length=255)

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
