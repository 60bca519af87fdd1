"""``AuthUserFactory``: factories of users with the sign-in columns of ``AuthUser``.

The application's ``UserFactory`` names its model and adds its own columns::

    class UserFactory(AuthUserFactory[User]):
        model = User

        def definition(self) -> Attributes:
            return {**super().definition(), "timezone": "UTC"}
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Self, TypeVar

from sqlalchemy.orm import DeclarativeBase

from foundry.auth.passwords.seeding import default_password_hash
from foundry.database.factories import Attributes, Factory

__all__ = ["AuthUserFactory"]

#: The user model: a mapped class inheriting ``foundry.auth.user.AuthUser`` (typing has no way
#: to say both, and ``Factory`` needs the mapped class).
U = TypeVar("U", bound=DeclarativeBase)


class AuthUserFactory(Factory[U]):
    """Verified users with a Faker name and a unique ``@example.*`` email.

    Every user gets the same stored hash of ``"password"``: argon2id costs tens of
    milliseconds by design, so hashing per user would make seeding and test setup slow.
    The hash is computed once per process (:func:`default_password_hash`); each argon2 hash
    carries its own salt, so this one is as good as any other for test data. Pass
    ``password=`` a hash (never a plain password) to give a user another one.
    """

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
