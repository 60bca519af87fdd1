"""The permission facades: ``Gate`` and ``Permissions`` of the running application."""

from __future__ import annotations

from typing import Any

from foundry.kernel.facades import facade
from foundry.permissions.gate import AccessGate, Response
from foundry.permissions.registry import PermissionRegistry

__all__ = ["Gate", "Permissions", "authorize"]

#: The Gate of the running app: ``Gate.define``, ``Gate.allows``, ``Gate.authorize`` ...
Gate: AccessGate = facade(AccessGate)
#: The permission registry: ``await Permissions.forget_cached_permissions()`` ...
Permissions: PermissionRegistry = facade(PermissionRegistry)


def authorize(ability: str, *args: Any, user: Any = None) -> Response:
    """Laravel's ``$this->authorize("update", $post)`` for controllers and services.

    The allowing answer, or :class:`~foundry.kernel.errors.AuthorizationError` (a 403 with the
    policy's message). ``user`` defaults to the request's or job's user (``set_gate_user``).
    """
    return Gate.authorize(ability, *args, user=user)
