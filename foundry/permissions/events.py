"""Grant and revocation events, dispatched when a holder's roles or direct permissions change.

Held until the change commits (dropped on rollback), like every event raised in a unit of
work; the activity log's ``access`` log listens. They name the holder by morph type and key and
carry the names given or taken, never a whole model.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AccessChanged", "PermissionGranted", "PermissionRevoked", "RoleAssigned", "RoleRemoved"]


@dataclass(frozen=True)
class AccessChanged:
    """The base of the four events: listen to it to receive all of them."""

    holder_type: str
    holder_id: int
    names: tuple[str, ...]
    team_id: int | None = None


@dataclass(frozen=True)
class RoleAssigned(AccessChanged):
    """Roles were given to a holder."""


@dataclass(frozen=True)
class RoleRemoved(AccessChanged):
    """Roles were taken from a holder."""


@dataclass(frozen=True)
class PermissionGranted(AccessChanged):
    """Permissions were given to a holder directly."""


@dataclass(frozen=True)
class PermissionRevoked(AccessChanged):
    """Direct permissions were taken from a holder."""
