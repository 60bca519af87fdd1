"""The permission facades: ``Gate`` and ``Permissions`` of the running application."""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.permissions.gate import AccessGate
from foundry.permissions.registry import PermissionRegistry

__all__ = ["Gate", "Permissions"]

#: The Gate of the running app: ``Gate.define``, ``Gate.allows``, ``Gate.authorize`` ...
Gate: AccessGate = facade(AccessGate)
#: The permission registry: ``await Permissions.forget_cached_permissions()`` ...
Permissions: PermissionRegistry = facade(PermissionRegistry)
