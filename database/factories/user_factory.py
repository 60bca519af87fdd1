"""``UserFactory``: users for tests and seeders, all with the password ``"password"``.

::

    user = await UserFactory.new().create(session)                 # verified, password "password"
    pending = await UserFactory.new().unverified().count(3).create_many(session)
"""

from __future__ import annotations

from app.models.user import User
from foundry.auth.factories import AuthUserFactory
from foundry.auth.passwords.seeding import DEFAULT_PASSWORD, default_password_hash, hash_password

__all__ = ["DEFAULT_PASSWORD", "UserFactory", "default_password_hash", "hash_password"]


class UserFactory(AuthUserFactory[User]):
    """Verified users with a Faker name, a unique ``@example.*`` email and one shared hash of
    ``"password"``; ``unverified()`` and ``verified_at(when)`` change the verification.

    Give the application's own columns their values by extending the definition:
    ``return {**super().definition(), "timezone": "UTC"}``.
    """

    model = User
