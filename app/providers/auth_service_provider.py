"""The application's gates and policies (Laravel's ``AuthServiceProvider``)."""

from __future__ import annotations

from foundry.permissions.auth_service_provider import AuthServiceProvider as BaseAuthServiceProvider

__all__ = ["AuthServiceProvider"]


class AuthServiceProvider(BaseAuthServiceProvider):
    """Map models to policies in ``policies``; define abilities in ``gates``.

    Example: ``policies = {Post: PostPolicy}`` with ``PostPolicy`` in
    ``app/policies/post_policy.py``; ``gates = {"view-reports": lambda user: user.can("reports")}``.
    The base class lets the ``super-admin`` role through every gate check.
    """

    policies = {}
    gates = {}
