"""Form requests of the personal access token and OAuth2 client endpoints."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field, field_validator

from foundry.http.requests.form_request import FormRequest

__all__ = ["CreateClientRequest", "CreatePersonalAccessTokenRequest", "UpdateClientRequest"]


class CreatePersonalAccessTokenRequest(FormRequest):
    """``name``, optional ``scopes`` and ``expires_at`` (ISO 8601; UTC when no offset)."""

    name: str = Field(min_length=1, max_length=255)
    scopes: list[str] = Field(default_factory=list, max_length=32)
    expires_at: str | None = Field(default=None, max_length=40)

    @field_validator("expires_at")
    @classmethod
    def _iso_datetime(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("The expires at must be an ISO 8601 date and time.") from None
        return value

    def expiry(self) -> datetime | None:
        """``expires_at`` as an aware datetime."""
        if self.expires_at is None:
            return None
        parsed = datetime.fromisoformat(self.expires_at)
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class CreateClientRequest(FormRequest):
    """A new client: ``name``, ``redirect_uris``, ``grants``, ``scopes``, ``public``."""

    name: str = Field(min_length=1, max_length=255)
    redirect_uris: list[str] = Field(default_factory=list, max_length=20)
    grants: list[str] = Field(
        default_factory=lambda: ["authorization_code", "refresh_token"], max_length=10
    )
    scopes: list[str] = Field(default_factory=list, max_length=32)
    public: bool = False


class UpdateClientRequest(FormRequest):
    """Changes to a client: ``name`` and ``redirect_uris``."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    redirect_uris: list[str] | None = Field(default=None, max_length=20)
