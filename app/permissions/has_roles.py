"""``HasRoles``: Spatie's trait for models that hold roles and permissions (``User``).

::

    await user.load_permissions(session)      # ONE query (plus the registry, cached)
    user.has_role("admin|editor")             # synchronous from here on
    user.can("articles.edit")                 # through the Gate
    await user.assign_role("editor")          # writes (flushes) in the scope's session

Checks are synchronous in-memory lookups against the state ``load_permissions`` loaded; calling
one before loading raises :class:`PermissionsNotLoaded`. Mutations are async, write through the
given session (or the current scope's), keep the loaded state in step, and leave the commit to
the caller's unit of work.

It lives in ``app.permissions`` and ``User`` (``app.models``) imports it: ``app.permissions``
never imports ``app.models``, so there is no cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy import and_, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, foreign, relationship

from app.permissions import operations
from app.permissions.errors import PermissionDoesNotExist, PermissionsNotLoaded
from app.permissions.gate import AccessGate
from app.permissions.snapshot import PermissionRecord, RoleRecord
from app.permissions.state import HolderState
from app.permissions.tables import Permission, Role, model_has_permissions, model_has_roles
from app.support.container import current_container

if TYPE_CHECKING:
    from app.permissions.operations import PermissionLike, RoleLike

__all__ = ["HasRoles"]

_STATE = "_permission_state"
_GATE = "_permission_gate"


def _names(items: Iterable[Any]) -> list[Any]:
    """Spatie's argument forms: ``"a|b"``, ``["a", "b"]``, models, ids."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, str):
            flat.extend(part.strip() for part in item.split("|") if part.strip())
        elif isinstance(item, (list, tuple, set, frozenset)):
            flat.extend(_names(item))
        else:
            flat.append(item)
    return flat


class HasRoles:
    """Roles and permissions for a mapped model with an integer ``id``."""

    #: The guard of this holder's roles and permissions; None: ``PERMISSION_GUARD``.
    guard_name: ClassVar[str | None] = None

    @declared_attr
    def roles(cls) -> Mapped[list[Role]]:
        """The held roles (every team), for ``selectinload`` and ``?include=roles``."""
        table = cls.__tablename__  # type: ignore[attr-defined]  # the mapped class sets it
        return relationship(
            Role,
            secondary=model_has_roles,
            primaryjoin=lambda: and_(
                cls.id == foreign(model_has_roles.c.model_id),  # type: ignore[attr-defined]  # ditto
                model_has_roles.c.model_type == table,
            ),
            secondaryjoin=lambda: Role.id == foreign(model_has_roles.c.role_id),
            viewonly=True,
            lazy="raise",
        )

    # -- identity --------------------------------------------------------------------------------

    @classmethod
    def morph_type(cls) -> str:
        """``model_type`` in the link tables: the table name (``"users"``)."""
        name: str = getattr(cls, "__tablename__")
        return name

    def _key(self) -> int:
        key = getattr(self, "id", None)
        if not isinstance(key, int):
            raise PermissionsNotLoaded("the holder has no id yet: flush it first")
        return key

    def permission_guard(self) -> str:
        """The guard this holder's roles and permissions must use."""
        if self.guard_name:
            return self.guard_name
        state: HolderState | None = self.__dict__.get(_STATE)
        return state.default_guard if state is not None else operations.registry().default_guard

    # -- loading ---------------------------------------------------------------------------------

    async def load_permissions(self, session: AsyncSession | None = None) -> Self:
        """Load roles and direct permissions: one query, the registry from its cache."""
        db = operations.scope_session(session)
        state = await operations.registry().holder_state(db, self.morph_type(), self._key())
        self.__dict__[_STATE] = state
        self.__dict__.pop(_GATE, None)
        return self

    @property
    def permissions_loaded(self) -> bool:
        """Whether :meth:`load_permissions` ran."""
        return _STATE in self.__dict__

    def _state(self) -> HolderState:
        state: HolderState | None = self.__dict__.get(_STATE)
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
        return any(self._role_matches(held, item) for item in _names(roles))

    def has_any_role(self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None) -> bool:
        """Same as :meth:`has_role`."""
        return self.has_role(*roles, guard=guard)

    def has_all_roles(
        self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None
    ) -> bool:
        """Whether every one of ``roles`` is held."""
        held = self._held_roles(guard)
        return all(self._role_matches(held, item) for item in _names(roles))

    def has_exact_roles(
        self, *roles: RoleLike | Iterable[RoleLike], guard: str | None = None
    ) -> bool:
        """Whether the roles held are exactly ``roles``."""
        wanted = _names(roles)
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
        return any(self.check_permission_to(item) for item in _names(permissions))

    def has_all_permissions(self, *permissions: PermissionLike | Iterable[PermissionLike]) -> bool:
        """Whether all of them are held (unknown names count as not held)."""
        return all(self.check_permission_to(item) for item in _names(permissions))

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
        gate = self.__dict__.get(_GATE)
        if gate is None:
            # Resolved once per loaded holder: a container lookup per check would dominate.
            gate = self.__dict__[_GATE] = current_container().make(AccessGate)
        allowed: bool = gate.allows(ability, *args, user=self)
        return allowed

    def cannot(self, ability: str, *args: Any) -> bool:
        """The opposite of :meth:`can`."""
        return not self.can(ability, *args)

    # -- writes ----------------------------------------------------------------------------------

    async def _loaded(self, session: AsyncSession) -> HolderState:
        if not self.permissions_loaded:
            await self.load_permissions(session)
        return self._state()

    async def _write_links(
        self,
        session: AsyncSession,
        table: Any,
        column: str,
        links: set[tuple[int, int]],
        add: set[int],
        remove: set[int],
    ) -> None:
        state = self._state()
        team = state.team()
        held = {ref for ref, tid in links if tid == team}
        new, gone = add - held, remove & held
        base = {"model_type": self.morph_type(), "model_id": self._key(), "team_id": team}
        if gone:
            await session.execute(
                delete(table).where(
                    table.c.model_type == base["model_type"],
                    table.c.model_id == base["model_id"],
                    table.c.team_id == team,
                    table.c[column].in_(gone),
                )
            )
        if new:
            await session.execute(insert(table), [{**base, column: ref} for ref in sorted(new)])
        links.difference_update((ref, team) for ref in gone)
        links.update((ref, team) for ref in new)
        state.changed()

    async def _roles(self, session: AsyncSession, roles: Iterable[Any]) -> set[int]:
        found = await operations.resolve_roles(session, _names(roles), self.permission_guard())
        state = self._state()
        if any(role.id not in state.snapshot.roles for role in found):
            # A role created in this transaction: reload the snapshot so checks see it.
            await self.load_permissions(session)
        return {role.id for role in found}

    async def _permissions(self, session: AsyncSession, items: Iterable[Any]) -> set[int]:
        found = await operations.resolve_permissions(
            session, _names(items), self.permission_guard()
        )
        state = self._state()
        if any(p.id not in state.snapshot.permissions for p in found):
            await self.load_permissions(session)
        return {p.id for p in found}

    async def assign_role(self, *roles: RoleLike, session: AsyncSession | None = None) -> Self:
        """Give roles (names, ids, models of this holder's guard); held ones are kept as is."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._roles(db, roles)
        state = self._state()
        await self._write_links(db, model_has_roles, "role_id", state.role_links, ids, set())
        return self

    async def remove_role(self, *roles: RoleLike, session: AsyncSession | None = None) -> Self:
        """Take roles away."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._roles(db, roles)
        state = self._state()
        await self._write_links(db, model_has_roles, "role_id", state.role_links, set(), ids)
        return self

    async def sync_roles(self, *roles: RoleLike, session: AsyncSession | None = None) -> Self:
        """Make the held roles (in the current team) exactly ``roles``."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._roles(db, roles)
        state = self._state()
        held = {ref for ref, tid in state.role_links if tid == state.team()}
        await self._write_links(db, model_has_roles, "role_id", state.role_links, ids, held - ids)
        return self

    async def give_permission_to(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Give permissions directly."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._permissions(db, permissions)
        links = self._state().permission_links
        await self._write_links(db, model_has_permissions, "permission_id", links, ids, set())
        return self

    async def revoke_permission_to(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Take direct permissions away (those through roles stay)."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._permissions(db, permissions)
        links = self._state().permission_links
        await self._write_links(db, model_has_permissions, "permission_id", links, set(), ids)
        return self

    async def sync_permissions(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Make the direct permissions (in the current team) exactly ``permissions``."""
        db = operations.scope_session(session)
        await self._loaded(db)
        ids = await self._permissions(db, permissions)
        state = self._state()
        held = {ref for ref, tid in state.permission_links if tid == state.team()}
        links = state.permission_links
        await self._write_links(db, model_has_permissions, "permission_id", links, ids, held - ids)
        return self
