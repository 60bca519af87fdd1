"""``UserFactory``: users for tests and seeders, all with the password ``"password"``.

::

    user = await UserFactory.new().create(session)                 # verified, password "password"
    pending = await UserFactory.new().unverified().count(3).create_many(session)
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Self

import argon2

from app.models.user import User
from foundry.config.auth import AuthSettings
from foundry.database.factories import Attributes, Factory

__all__ = ["DEFAULT_PASSWORD", "UserFactory", "default_password_hash", "hash_password"]

#: The password of every user the factory makes (unless a ``password`` hash is given).
DEFAULT_PASSWORD = "password"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with the default (OWASP) parameters, synchronously.

    For seeders and tests only: the application hashes through
    :class:`foundry.auth.passwords.PasswordHasher`, off the event loop. A hash made here verifies
    there, and is rehashed on login if the configured parameters differ.
    """
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
    """The hash of :data:`DEFAULT_PASSWORD`, computed once per process and then reused."""
    return hash_password(DEFAULT_PASSWORD)


class UserFactory(Factory[User]):
    """Verified users with a Faker name and a unique ``@example.*`` email.

    Every user gets the same stored hash of ``"password"``: argon2id costs tens of
    milliseconds by design, so hashing per user would make seeding and test setup slow.
    The hash is computed once per process (:func:`default_password_hash`); each argon2 hash
    carries its own salt, so this one is as good as any other for test data. Pass
    ``password=`` a hash (never a plain password) to give a user another one.
    """

    model = User

    def definition(self) -> Attributes:
        return {
            "name": self.faker.name(),
            # safe_email is always on a reserved example domain: seeded data never mails anyone.
            "email": self.faker.unique.safe_email(),
            "password": default_password_hash(),
            "email_verified_at": datetime.now(UTC),
        }

    def unverified(self) -> Self:
        """Users who have not confirmed their email address yet."""
        return self.state({"email_verified_at": None})

    def verified_at(self, when: datetime) -> Self:
        """Users who confirmed their address at ``when``."""
        return self.state({"email_verified_at": when})
