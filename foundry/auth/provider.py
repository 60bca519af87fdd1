"""Binds the :class:`~foundry.auth.user_provider.UserProvider` (the app's user model) and the
:class:`~foundry.auth.guard.TokenGuard`."""

from __future__ import annotations

from foundry.auth.guard import TokenGuard
from foundry.auth.user_provider import UserProvider
from foundry.kernel.container import Container
from foundry.kernel.providers import ServiceProvider

__all__ = ["AuthenticationServiceProvider"]


class AuthenticationServiceProvider(ServiceProvider):
    """One user provider per application: the model is imported once, at first use."""

    def register(self, container: Container) -> None:
        container.singleton(UserProvider)
        container.singleton(TokenGuard)
