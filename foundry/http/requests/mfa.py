"""Form requests of the ``/api/v1/auth/mfa`` endpoints.

A proof is one of ``code`` (a TOTP or SMS code), ``recovery_code`` or ``credential`` (a WebAuthn
assertion), with ``method`` naming the factor when the proof alone does not.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from foundry import validation as v
from foundry.http.requests.form_request import FormRequest

__all__ = ["MfaChallengeRequest", "MfaProofRequest", "MfaVerifyRequest"]


class MfaProofRequest(FormRequest):
    """A second-factor proof (step-up)."""

    method: v.Sometimes[str] = Field(min_length=1, max_length=32)
    code: v.Sometimes[str] = Field(min_length=1, max_length=64)
    recovery_code: v.Sometimes[str] = Field(min_length=1, max_length=64)
    credential: v.Sometimes[dict[str, Any]]

    def proof(self) -> dict[str, Any]:
        """The fields sent, for the factor's ``verify``."""
        return {
            name: value
            for name in ("method", "code", "recovery_code", "credential")
            if (value := getattr(self, name)) is not None
        }


class MfaVerifyRequest(MfaProofRequest):
    """The login's ``mfa_token`` and a proof."""

    mfa_token: str = Field(min_length=1, max_length=256)


class MfaChallengeRequest(FormRequest):
    """``method`` to start, for the login's ``mfa_token`` (or the bearer token's user)."""

    method: str = Field(min_length=1, max_length=32)
    mfa_token: v.Sometimes[str] = Field(min_length=1, max_length=256)
