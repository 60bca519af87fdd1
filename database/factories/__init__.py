"""The app's model factories, one module per model (``artisan make:factory`` writes them here).

Each is a :class:`foundry.database.factories.Factory` subclass::

    class UserFactory(Factory[User]):
        model = User

        def definition(self) -> dict[str, Any]:
            return {"name": self.faker.name(), "email": self.faker.unique.email()}
"""

from database.factories.user_factory import (
    DEFAULT_PASSWORD,
    UserFactory,
    default_password_hash,
    hash_password,
)

__all__ = ["DEFAULT_PASSWORD", "UserFactory", "default_password_hash", "hash_password"]
