"""Form requests of the passkey endpoints (``/api/v1/auth/passkeys``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from foundry.http.requests.form_request import FormRequest

__all__ = ["PasskeyAssertionRequest", "RegisterPasskeyRequest", "RenamePasskeyRequest"]


class RegisterPasskeyRequest(FormRequest):
    """``name`` (how the user will recognise it) and ``credential``: the JSON form of what
    ``navigator.credentials.create()`` answered (``PublicKeyCredential.toJSON()``)."""

    name: str = Field(default="Passkey", min_length=1, max_length=255)
    credential: dict[str, Any]


class RenamePasskeyRequest(FormRequest):
    """The passkey's new ``name``."""

    name: str = Field(min_length=1, max_length=255)


class PasskeyAssertionRequest(FormRequest):
    """``credential``: the JSON form of what ``navigator.credentials.get()`` answered."""

    credential: dict[str, Any]
