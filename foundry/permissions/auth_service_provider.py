"""The application's gate definitions and policies (Laravel's ``AuthServiceProvider``).

Map models to policies in ``policies``; define abilities in ``gates``. A ``before`` hook lets the
``super-admin`` role through every check made with ``can``/``Gate`` (its ``has_permission_to``
still answers from real permissions, as in Spatie's documented super-admin recipe).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

from foundry.kernel.providers import ServiceProvider
from foundry.permissions.gate import AbilityCallback, AccessGate
from foundry.permissions.has_roles import HasRoles

if TYPE_CHECKING:
    from foundry.kernel.application import Application

__all__ = ["SUPER_ADMIN", "AuthServiceProvider", "super_admin_before"]

#: The role that passes every gate check.
SUPER_ADMIN: Final = "super-admin"


def super_admin_before(user: Any, ability: str, *args: Any) -> bool | None:
    """True for a super-admin, None (no opinion) for everyone else."""
    if isinstance(user, HasRoles) and user.permissions_loaded and user.has_role(SUPER_ADMIN):
        return True
    return None


class AuthServiceProvider(ServiceProvider):
    """Registers ``policies`` and ``gates`` on the Gate at boot."""

    #: ``{Article: ArticlePolicy}``: the policy of a model (and its subclasses).
    policies: ClassVar[Mapping[type[Any], type[Any]]] = {}
    #: ``{"view-dashboard": lambda user: user.has_role("admin")}``.
    gates: ClassVar[Mapping[str, AbilityCallback]] = {}

    def boot(self, app: Application) -> None:
        gate = app.container.make(AccessGate)
        gate.before(super_admin_before)
        for model, policy in self.policies.items():
            gate.policy(model, policy)
        for ability, callback in self.gates.items():
            gate.define(ability, callback)
