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

It lives in ``foundry.permissions`` and ``User`` (``app.models``) imports it: ``foundry.permissions``
never imports ``app.models``, so there is no cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import and_, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, foreign, relationship

from foundry.events import Event
from foundry.kernel.container import BindingResolutionError
from foundry.permissions import operations
from foundry.permissions.checks import GATE_KEY, STATE_KEY, PermissionChecks, flatten_names
from foundry.permissions.errors import PermissionsNotLoaded
from foundry.permissions.events import (
    AccessChanged,
    PermissionGranted,
    PermissionRevoked,
    RoleAssigned,
    RoleRemoved,
)
from foundry.permissions.registry import HOLDER_OPTION
from foundry.permissions.state import HolderState
from foundry.permissions.tables import Role, model_has_permissions, model_has_roles

if TYPE_CHECKING:
    from foundry.permissions.operations import PermissionLike, RoleLike

__all__ = ["HasRoles"]


class HasRoles(PermissionChecks):
    """Roles and permissions for a mapped model with an integer ``id``."""

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

    # -- loading ---------------------------------------------------------------------------------

    async def load_permissions(self, session: AsyncSession | None = None) -> Self:
        """Load roles and direct permissions: from the cache when warm, else one query."""
        db = operations.scope_session(session)
        state = await operations.registry().holder_state(db, self.morph_type(), self._key())
        self.__dict__[STATE_KEY] = state
        self.__dict__.pop(GATE_KEY, None)
        return self

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
        # Names the holder, so only its cached links go once this commits.
        holder = {HOLDER_OPTION: (self.morph_type(), self._key())}
        if gone:
            await session.execute(
                delete(table)
                .execution_options(**holder)
                .where(
                    table.c.model_type == base["model_type"],
                    table.c.model_id == base["model_id"],
                    table.c.team_id == team,
                    table.c[column].in_(gone),
                )
            )
        if new:
            rows = [{**base, column: ref} for ref in sorted(new)]
            await session.execute(insert(table).execution_options(**holder), rows)
        links.difference_update((ref, team) for ref in gone)
        links.update((ref, team) for ref in new)
        state.changed()
        await self._announce(column, new, gone, team)

    async def _announce(self, column: str, new: set[int], gone: set[int], team: int | None) -> None:
        # Held until the change commits: the activity log's "access" log records it.
        snapshot = self._state().snapshot
        added: type[AccessChanged]
        taken: type[AccessChanged]
        if column == "role_id":
            named = {ref: snapshot.roles[ref].name for ref in new | gone if ref in snapshot.roles}
            added, taken = RoleAssigned, RoleRemoved
        else:
            known = snapshot.permissions
            named = {ref: known[ref].name for ref in new | gone if ref in known}
            added, taken = PermissionGranted, PermissionRevoked
        holder = (self.morph_type(), self._key())
        for refs, kind in ((new, added), (gone, taken)):
            if refs:
                names = tuple(sorted(named.get(ref, str(ref)) for ref in refs))
                try:
                    await Event.dispatch(kind(*holder, names, team))
                except BindingResolutionError:
                    pass  # no events battery in this application: nobody listens

    async def _roles(self, session: AsyncSession, roles: Iterable[Any]) -> set[int]:
        found = await operations.resolve_roles(
            session, flatten_names(roles), self.permission_guard()
        )
        state = self._state()
        if any(role.id not in state.snapshot.roles for role in found):
            # A role created in this transaction: reload the snapshot so checks see it.
            await self.load_permissions(session)
        return {role.id for role in found}

    async def _permissions(self, session: AsyncSession, items: Iterable[Any]) -> set[int]:
        found = await operations.resolve_permissions(
            session, flatten_names(items), self.permission_guard()
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
