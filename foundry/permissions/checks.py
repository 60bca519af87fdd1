"""``PermissionChecks``: the synchronous half of ``HasRoles`` (Spatie's ``has*`` methods).

Every method reads the state ``await holder.load_permissions(session)`` put on the instance
(:class:`HolderState`) and never queries; before loading they raise ``PermissionsNotLoaded``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.kernel.facades import facade_root
from foundry.permissions import operations
from foundry.permissions.errors import PermissionDoesNotExist, PermissionsNotLoaded
from foundry.permissions.facades import Gate
from foundry.permissions.gate import AccessGate
from foundry.permissions.snapshot import PermissionRecord, RoleRecord
from foundry.permissions.state import HolderState
from foundry.permissions.tables import Permission, Role

if TYPE_CHECKING:
    from foundry.permissions.operations import PermissionLike, RoleLike

__all__ = ["GATE_KEY", "STATE_KEY", "PermissionChecks", "flatten_names"]

#: Instance ``__dict__`` keys: the loaded state, and the Gate resolved for it.
STATE_KEY = "_permission_state"
GATE_KEY = "_permission_gate"


def flatten_names(items: Iterable[Any]) -> list[Any]:
    """Spatie's argument forms: ``"a|b"``, ``["a", "b"]``, models, ids."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, str):
            flat.extend(part.strip() for part in item.split("|") if part.strip())
        elif isinstance(item, (list, tuple, set, frozenset)):
            flat.extend(flatten_names(item))
        else:
            flat.append(item)
    return flat


class PermissionChecks:
    """Role and permission checks over the loaded :class:`HolderState`."""

    #: The guard of this holder's roles and permissions; None: ``PERMISSION_GUARD``.
    guard_name: ClassVar[str | None] = None

    def permission_guard(self) -> str:
        """The guard this holder's roles and permissions must use."""
        if self.guard_name:
            return self.guard_name
        state: HolderState | None = self.__dict__.get(STATE_KEY)
        return state.default_guard if state is not None else operations.registry().default_guard

    @property
    def permissions_loaded(self) -> bool:
        """Whether :meth:`load_permissions` ran."""
        return STATE_KEY in self.__dict__

    def _state(self) -> HolderState:
        state: HolderState | None = self.__dict__.get(STATE_KEY)
        if state is None:
            raise PermissionsNotLoaded(
                f"{type(self).__name__} permissions are not loaded: "
                "await holder.load_permissions(session) first"
            )
        return state

    # -- roles -----------------------------------------------------------------------------------

    def _held_roles(self, guard: str | None) -> list[RoleRecord]:
        wanted = guard or self.permission_guard()
        return [role for role in self._state().roles() if role.guard_name == wanted]

    def _role_matches(self, held: list[RoleRecord], item: Any) -> bool:
        if isinstance(item, Role):
            return any(role.id == item.id for role in held)
        if isinstance(item, int):
            return any(role.id == item for role in held)
        return any(role.name == item for role in held)

    def has_role(self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None) -> bool:
        """Whether any of ``roles`` is held (``"admin|editor"`` means either)."""
        if len(roles) == 1 and isinstance(roles[0], str) and "|" not in roles[0]:
            # The common case (one name), answered from a memoized set of names.
            state = self._state()
            return roles[0] in state.role_names(guard or self.permission_guard())
        held = self._held_roles(guard)
        return any(self._role_matches(held, item) for item in flatten_names(roles))

    def has_any_role(self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None) -> bool:
        """Same as :meth:`has_role`."""
        return self.has_role(*roles, guard=guard)

    def has_all_roles(
        self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None
    ) -> bool:
        """Whether every one of ``roles`` is held."""
        held = self._held_roles(guard)
        return all(self._role_matches(held, item) for item in flatten_names(roles))

    def has_exact_roles(
        self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None
    ) -> bool:
        """Whether the roles held are exactly ``roles``."""
        wanted = flatten_names(roles)
        held = self._held_roles(guard)
        return len(held) == len({str(w) for w in wanted}) and self.has_all_roles(
            *wanted, guard=guard
        )

    def get_role_names(self) -> list[str]:
        """Names of the roles held (current team), in id order."""
        return [role.name for role in self._state().roles()]

    # -- permissions -----------------------------------------------------------------------------

    def _permission(self, item: PermissionLike, guard: str | None) -> PermissionRecord | None:
        snapshot = self._state().snapshot
        if isinstance(item, Permission):
            return snapshot.permissions.get(item.id)
        if isinstance(item, int):
            return snapshot.permissions.get(item)
        return snapshot.find_permission(item, guard or self.permission_guard())

    def has_permission_to(self, permission: PermissionLike, guard: str | None = None) -> bool:
        """Whether the permission is held, directly or through a role.

        Raises:
            PermissionDoesNotExist: no permission has that name (with wildcards on, a name is a
                pattern to match and need not exist).
        """
        state = self._state()
        record = self._permission(permission, guard)
        if record is None:
            if state.wildcard_enabled and isinstance(permission, str):
                wanted = guard or self.permission_guard()
                return state.grants_name(permission, wanted, state.all_permission_ids())
            name = permission.name if isinstance(permission, Permission) else str(permission)
            raise PermissionDoesNotExist.named(name, guard or self.permission_guard())
        return state.grants(record, state.all_permission_ids())

    def check_permission_to(self, permission: PermissionLike, guard: str | None = None) -> bool:
        """:meth:`has_permission_to`, but False for an unknown permission."""
        try:
            return self.has_permission_to(permission, guard)
        except PermissionDoesNotExist:
            return False

    def has_any_permission(self, *permissions: PermissionLike | Iterable[PermissionLike]) -> bool:
        """Whether any of them is held (unknown names count as not held)."""
        return any(self.check_permission_to(item) for item in flatten_names(permissions))

    def has_all_permissions(self, *permissions: PermissionLike | Iterable[PermissionLike]) -> bool:
        """Whether all of them are held (unknown names count as not held)."""
        return all(self.check_permission_to(item) for item in flatten_names(permissions))

    def has_direct_permission(self, permission: PermissionLike, guard: str | None = None) -> bool:
        """Whether the permission was given directly (not only through a role)."""
        state = self._state()
        record = self._permission(permission, guard)
        if record is None:
            raise PermissionDoesNotExist.named(str(permission), guard or self.permission_guard())
        return state.grants(record, state.direct_permission_ids())

    def get_direct_permissions(self) -> list[PermissionRecord]:
        """Permissions given directly."""
        state = self._state()
        return state.permissions(state.direct_permission_ids())

    def get_permissions_via_roles(self) -> list[PermissionRecord]:
        """Permissions the held roles give."""
        state = self._state()
        return state.permissions(state.via_role_permission_ids())

    def get_all_permissions(self) -> list[PermissionRecord]:
        """Direct and via roles."""
        state = self._state()
        return state.permissions(state.all_permission_ids())

    def get_permission_names(self) -> list[str]:
        """Names of :meth:`get_all_permissions`."""
        return [permission.name for permission in self.get_all_permissions()]

    def can(self, ability: str, *args: Any) -> bool:
        """Whether the gate allows ``ability`` for this holder (permissions as a fallback)."""
        gate = self.__dict__.get(GATE_KEY)
        if gate is None:
            # Resolved once per loaded holder: a container lookup per check would dominate.
            gate = self.__dict__[GATE_KEY] = facade_root(Gate)
        allowed: bool = gate.allows(ability, *args, user=self)
        return allowed

    def cannot(self, ability: str, *args: Any) -> bool:
        """The opposite of :meth:`can`."""
        return not self.can(ability, *args)
