"""Form requests of the TOTP and SMS code endpoints (``/api/v1/auth/mfa/totp``, ``/sms``)."""

from __future__ import annotations

from pydantic import Field

from foundry.http.requests.form_request import FormRequest

__all__ = ["DisableSmsRequest", "DisableTotpRequest", "EnrolPhoneRequest", "MfaCodeRequest"]


class MfaCodeRequest(FormRequest):
    """``code``: six digits from the authenticator app or the SMS."""

    code: str = Field(min_length=1, max_length=16)


class DisableTotpRequest(FormRequest):
    """Either a current ``code`` from the app or the account's ``password``."""

    code: str | None = Field(default=None, min_length=1, max_length=16)
    password: str | None = Field(default=None, min_length=1, max_length=1024)


class EnrolPhoneRequest(FormRequest):
    """``phone``: the number to text codes to, in E.164 form (``+14155550123``)."""

    phone: str = Field(min_length=1, max_length=32)


class DisableSmsRequest(FormRequest):
    """The account's ``password``."""

    password: str = Field(min_length=1, max_length=1024)
