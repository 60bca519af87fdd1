"""``WEBAUTHN_*`` variables: the relying party passkeys are bound to, and how long a challenge
lives.

A passkey belongs to one relying party id (a registrable domain such as ``example.com``) and the
browser only uses it on pages of that domain; the server accepts a ceremony only from the origins
listed here. Unset, both follow ``APP_URL``: its host is the RP id (``localhost`` for a loopback
address, which browsers accept as a secure context but refuse as an RP id) and its origin is the
one origin allowed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from foundry.config.base import Settings

__all__ = ["WebAuthnSettings"]

CommaList = Annotated[list[str], NoDecode]


class WebAuthnSettings(Settings):
    """Where passkeys are valid and how registration and sign-in ceremonies run."""

    #: The relying party id (``example.com``); empty: the host of ``APP_URL``.
    rp_id: str = Field(default="", validation_alias="WEBAUTHN_RP_ID")
    #: The name authenticators show next to the passkey; empty: ``APP_NAME``.
    rp_name: str = Field(default="", validation_alias="WEBAUTHN_RP_NAME")
    #: Origins (``https://example.com``) a ceremony may come from, comma-separated; empty: the
    #: origin of ``APP_URL``.
    origins: CommaList = Field(default=[], validation_alias="WEBAUTHN_ORIGINS")
    #: Seconds a challenge stays valid; each is accepted once.
    challenge_ttl: int = Field(
        default=180, ge=30, le=600, validation_alias="WEBAUTHN_CHALLENGE_TTL"
    )
    #: Whether authenticators must verify the user (PIN, biometrics) or only should.
    user_verification: Literal["required", "preferred", "discouraged"] = Field(
        default="preferred", validation_alias="WEBAUTHN_USER_VERIFICATION"
    )
    #: Whether new passkeys must be discoverable (stored on the authenticator, usable for
    #: passwordless sign-in without typing an email) or only should be.
    resident_key: Literal["required", "preferred"] = Field(
        default="required", validation_alias="WEBAUTHN_RESIDENT_KEY"
    )

    @field_validator("origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
        return value

    @field_validator("origins")
    @classmethod
    def _are_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            scheme, _, rest = origin.partition("://")
            if scheme not in ("https", "http") or not rest or "/" in rest:
                raise ValueError(f"WEBAUTHN_ORIGINS: {origin!r} is not an origin (https://host)")
        return value


SETTINGS = WebAuthnSettings
