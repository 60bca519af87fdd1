"""Password hashes for seeders and factories, made synchronously and reused.

The application hashes through :class:`foundry.auth.passwords.PasswordHasher`, off the event
loop. Seeders and factories need a hash at once, outside any request, and many of them: argon2id
costs tens of milliseconds by design, so :func:`default_password_hash` computes the hash of
``"password"`` once per process. A hash made here verifies with the hasher, and is rehashed on
login if the configured parameters differ.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import argon2

from foundry.config.auth import AuthSettings

__all__ = ["DEFAULT_PASSWORD", "default_password_hash", "hash_password"]

#: The password of every user a factory makes (unless given another hash).
DEFAULT_PASSWORD: Final = "password"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with the default (OWASP) parameters, synchronously."""
    # model_construct: the declared defaults, without reading the environment.
    defaults = AuthSettings.model_construct()
    hasher = argon2.PasswordHasher(
        time_cost=defaults.password_argon2_time_cost,
        memory_cost=defaults.password_argon2_memory_cost,
        parallelism=defaults.password_argon2_parallelism,
        type=argon2.Type.ID,
    )
    return hasher.hash(password)


@cache
def default_password_hash() -> str:
    """The hash of :data:`DEFAULT_PASSWORD`, computed once per process and then reused.

    Each argon2 hash carries its own salt, so this one is as good as any other for test data.
    """
    return hash_password(DEFAULT_PASSWORD)
