"""Authentication settings: the user model, password strength and the password hasher's parameters."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings

__all__ = ["AuthSettings"]


class AuthSettings(Settings):
    """``AUTH_MODEL`` and the ``PASSWORD_*`` variables.

    The argon2id defaults are OWASP's Password Storage Cheat Sheet minimum for argon2id:
    19 MiB of memory (19456 KiB), 2 iterations, 1 degree of parallelism. OWASP lists
    m=47104 KiB/t=1/p=1 as an equivalent choice; raise the memory rather than the threads.
    Changing a parameter makes existing hashes ``needs_rehash``, so they upgrade on next login.
    """

    #: The user model (Laravel's ``auth.providers.users.model``): a dotted path to a ``Model``
    #: that inherits ``foundry.auth.authenticatable.AuthUser``.
    model: str = Field(default="app.models.user.User", validation_alias="AUTH_MODEL")
    #: The fewest characters (Unicode code points) a new password may have.
    password_min_length: int = Field(default=12, ge=1, validation_alias="PASSWORD_MIN_LENGTH")
    #: Require at least one uppercase and one lowercase letter.
    password_require_mixed_case: bool = Field(
        default=False, validation_alias="PASSWORD_REQUIRE_MIXED_CASE"
    )
    #: Require at least one digit.
    password_require_numbers: bool = Field(
        default=False, validation_alias="PASSWORD_REQUIRE_NUMBERS"
    )
    #: Require at least one symbol, punctuation mark or space.
    password_require_symbols: bool = Field(
        default=False, validation_alias="PASSWORD_REQUIRE_SYMBOLS"
    )
    #: Refuse common passwords and their patterns (``aaaaaaaaaaaa``, ``password1234``,
    #: keyboard runs), whatever their length.
    password_reject_common: bool = Field(default=True, validation_alias="PASSWORD_REJECT_COMMON")
    #: Worker threads hashing passwords; at most this many hashes run at once per process.
    password_hash_threads: int = Field(default=2, ge=1, validation_alias="PASSWORD_HASH_THREADS")
    #: argon2id memory cost in KiB (OWASP: 19456).
    password_argon2_memory_cost: int = Field(
        default=19456, ge=8, validation_alias="PASSWORD_ARGON2_MEMORY_COST"
    )
    #: argon2id iterations (OWASP: 2 with 19 MiB).
    password_argon2_time_cost: int = Field(
        default=2, ge=1, validation_alias="PASSWORD_ARGON2_TIME_COST"
    )
    #: argon2id lanes (OWASP: 1).
    password_argon2_parallelism: int = Field(
        default=1, ge=1, validation_alias="PASSWORD_ARGON2_PARALLELISM"
    )


SETTINGS = AuthSettings
