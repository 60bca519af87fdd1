"""HTTP settings: CORS, body size, security headers, trusted hosts, request ids, health checks.

List values read from the environment are comma-separated
(``CORS_ALLOWED_ORIGINS=https://app.example.com,https://admin.example.com``).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from foundry.config.base import Settings

__all__ = ["HttpSettings"]

CommaList = Annotated[list[str], NoDecode]

MIB = 1024 * 1024


class HttpSettings(Settings):
    """CORS (``CORS_*``), limits and headers of the HTTP kernel."""

    #: Origins allowed to call the API from a browser; empty turns CORS off (same-origin only).
    cors_allowed_origins: CommaList = Field(default=[], validation_alias="CORS_ALLOWED_ORIGINS")
    cors_allowed_methods: CommaList = Field(
        default=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        validation_alias="CORS_ALLOWED_METHODS",
    )
    cors_allowed_headers: CommaList = Field(
        default=["Accept", "Authorization", "Content-Type", "X-Request-ID", "X-Requested-With"],
        validation_alias="CORS_ALLOWED_HEADERS",
    )
    #: Response headers a browser script may read.
    cors_exposed_headers: CommaList = Field(
        default=["X-Request-ID", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining"],
        validation_alias="CORS_EXPOSED_HEADERS",
    )
    cors_allow_credentials: bool = Field(default=False, validation_alias="CORS_ALLOW_CREDENTIALS")
    cors_max_age: int = Field(default=600, ge=0, validation_alias="CORS_MAX_AGE")

    #: Largest request body accepted, in bytes; larger ones get 413.
    max_body_size: int = Field(default=10 * MIB, ge=0, validation_alias="MAX_BODY_SIZE")

    security_headers: bool = Field(default=True, validation_alias="SECURITY_HEADERS")
    frame_options: str = Field(default="DENY", validation_alias="X_FRAME_OPTIONS")
    referrer_policy: str = Field(
        default="strict-origin-when-cross-origin", validation_alias="REFERRER_POLICY"
    )
    #: Sent with HTML pages of the ``web`` group (consent screen, dashboard).
    content_security_policy: str = Field(
        default=(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
            "object-src 'none'"
        ),
        validation_alias="CONTENT_SECURITY_POLICY",
    )
    #: Strict-Transport-Security max-age, sent only in production; 0 turns it off.
    hsts_max_age: int = Field(default=31_536_000, ge=0, validation_alias="HSTS_MAX_AGE")
    hsts_include_subdomains: bool = Field(default=True, validation_alias="HSTS_INCLUDE_SUBDOMAINS")

    #: Host names the app answers to (``*.example.com`` allowed); empty accepts any host.
    trusted_hosts: CommaList = Field(default=[], validation_alias="TRUSTED_HOSTS")

    #: Proxies whose ``X-Forwarded-For/Proto/Host`` are believed: IPs or CIDRs, ``*`` for any
    #: peer. Empty (the default) believes nobody: the client is the connection's own address.
    trusted_proxies: CommaList = Field(default=[], validation_alias="TRUSTED_PROXIES")

    #: Keep a well-formed ``X-Request-ID`` sent by the client (or a proxy) instead of a new one.
    trust_request_id: bool = Field(default=True, validation_alias="TRUST_REQUEST_ID")
    access_log: bool = Field(default=True, validation_alias="ACCESS_LOG")
    #: Serve /docs, /redoc and /openapi.json; unset: everywhere but in production.
    api_docs: bool | None = Field(default=None, validation_alias="API_DOCS")
    #: Seconds each readiness check (database, Redis) may take before it counts as failed.
    health_check_timeout: float = Field(default=2.0, gt=0, validation_alias="HEALTH_CHECK_TIMEOUT")

    @field_validator(
        "cors_allowed_origins",
        "cors_allowed_methods",
        "cors_allowed_headers",
        "cors_exposed_headers",
        "trusted_hosts",
        "trusted_proxies",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: list[str]) -> list[str]:
        # A typo must fail at start-up, not silently trust nobody (or everybody).
        for entry in value:
            if entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR")
        return value


SETTINGS = HttpSettings
