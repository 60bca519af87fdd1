"""The permission exceptions (Spatie's names), each an :class:`HttpError` with a clear 4xx.

Raised by models and services; the HTTP kernel renders them as ``{"message", "error"}``, so an
unknown role named in the admin API is a 422 without any translation in the controller.
"""

from __future__ import annotations

from foundry.kernel.errors import ConflictError, HttpError

__all__ = [
    "GuardDoesNotMatch",
    "PermissionAlreadyExists",
    "PermissionDoesNotExist",
    "PermissionsError",
    "PermissionsNotLoaded",
    "RoleAlreadyExists",
    "RoleDoesNotExist",
    "WildcardPermissionInvalid",
]


class PermissionsError(HttpError):
    """Base of the 422 permission errors."""

    status_code = 422
    error = "permission_error"


class RoleDoesNotExist(PermissionsError):
    """No role has that name (or id) for the guard."""

    error = "role_does_not_exist"

    @classmethod
    def named(cls, name: str, guard: str) -> RoleDoesNotExist:
        """``There is no role named `x` for guard `api`.``"""
        return cls(f"There is no role named `{name}` for guard `{guard}`.")


class PermissionDoesNotExist(PermissionsError):
    """No permission has that name (or id) for the guard."""

    error = "permission_does_not_exist"

    @classmethod
    def named(cls, name: str, guard: str) -> PermissionDoesNotExist:
        """``There is no permission named `x` for guard `api`.``"""
        return cls(f"There is no permission named `{name}` for guard `{guard}`.")


class GuardDoesNotMatch(PermissionsError):
    """A role or permission of one guard given to a holder (or role) of another."""

    error = "guard_does_not_match"


class WildcardPermissionInvalid(PermissionsError):
    """A malformed wildcard pattern (empty part, empty sub-part, ``*`` inside a word)."""

    error = "invalid_wildcard_permission"


class RoleAlreadyExists(ConflictError):
    """409: a role with that name already exists for the guard (and team)."""

    error = "role_already_exists"


class PermissionAlreadyExists(ConflictError):
    """409: a permission with that name already exists for the guard."""

    error = "permission_already_exists"


class PermissionsNotLoaded(RuntimeError):
    """A synchronous check ran before ``await holder.load_permissions(session)``.

    A programming error, not bad input: checks are in-memory lookups and never query.
    """
