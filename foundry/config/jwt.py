"""JWT settings: issuer, audience, access-token lifetime, clock leeway and where the keys live."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator

from foundry.config.base import BASE_PATH, Settings

__all__ = ["DEFAULT_KEYS_PATH", "JwtSettings", "SETTINGS"]

DEFAULT_KEYS_PATH = BASE_PATH / "storage" / "keys"


class JwtSettings(Settings):
    """``JWT_*`` variables.

    Access tokens are RS256 JWTs. Their key pairs live in ``JWT_KEYS_PATH`` (git-ignored; private
    keys are written with mode 0600); ``artisan jwt:keys`` makes the first pair and
    ``artisan jwt:rotate`` a new one.
    """

    #: The ``iss`` claim written and required: ``JWT_ISSUER``, else ``APP_URL`` (the OAuth2
    #: metadata's issuer too), never a request's ``Host``.
    issuer: str = Field(  # type: ignore[pydantic-alias]  # two env names; no __init__ keyword
        default="http://127.0.0.1:8000",
        min_length=1,
        validation_alias=AliasChoices("JWT_ISSUER", "APP_URL"),
    )
    #: The ``aud`` claim written and required.
    audience: str = Field(default="foundry", min_length=1, validation_alias="JWT_AUDIENCE")
    #: Access-token lifetime in seconds (15 minutes); also the longest lifetime ``issue`` allows,
    #: which is what lets a retired key be pruned once this much time (plus leeway) has passed.
    access_ttl: int = Field(default=900, gt=0, validation_alias="JWT_ACCESS_TTL")
    #: Clock skew tolerated on ``exp``, ``nbf`` and ``iat``, in seconds.
    leeway: int = Field(default=30, ge=0, le=300, validation_alias="JWT_LEEWAY")
    #: Directory of the key pairs.
    keys_path: Path = Field(default=DEFAULT_KEYS_PATH, validation_alias="JWT_KEYS_PATH")
    #: RSA modulus size of generated keys, in bits.
    key_size: int = Field(default=2048, ge=2048, le=8192, validation_alias="JWT_KEY_SIZE")
    #: The JOSE ``typ`` header: ``at+jwt`` (RFC 9068) or ``JWT``.
    token_type: str = Field(
        default="at+jwt", pattern="^(at\\+jwt|JWT)$", validation_alias="JWT_TYP"
    )
    #: The cache store of the revocation denylist (empty: ``CACHE_STORE``).
    denylist_store: str = Field(default="", validation_alias="JWT_DENYLIST_STORE")
    #: Seconds the cache believes "not revoked" after reading it from ``revoked_tokens``. A
    #: revocation overwrites the cached answer at once on a shared store (Redis, file); on a
    #: per-process store (``array``) other processes see it within this delay. 0: always ask.
    denylist_negative_ttl: float = Field(
        default=60, ge=0, le=3600, validation_alias="JWT_DENYLIST_NEGATIVE_TTL"
    )

    @field_validator("keys_path")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        # Relative paths mean the same directory whatever the process's working directory.
        return value if value.is_absolute() else BASE_PATH / value


SETTINGS = JwtSettings
