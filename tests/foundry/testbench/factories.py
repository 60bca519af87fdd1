"""``UserFactory``: verified users of the test application, all with the password ``"password"``."""

from __future__ import annotations

from foundry.auth.factories import AuthUserFactory
from tests.foundry.testbench.models import User

__all__ = ["UserFactory"]


class UserFactory(AuthUserFactory[User]):
    """The framework's user factory over the test application's ``User``."""

    model = User
