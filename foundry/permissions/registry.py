"""The permission registry: the cached snapshot of roles and permissions, and its invalidation.

Two levels, as Spatie's ``PermissionRegistrar``: each process keeps the :class:`Snapshot` it last
loaded, and the cache store ``PERMISSION_CACHE_STORE`` (Redis in production) shares the JSON copy
so a process starting cold reads one key instead of three tables.

Invalidation across processes uses a *version key* next to the snapshot. Any change to roles,
permissions or their links writes a new random version (after the change commits). Each process
reads the version once per :meth:`snapshot` call (one ``GET`` of a short string, once per request)
and reloads when it differs from the version its local copy was built for. A random version rather
than a counter means a flushed cache can never bring back an old version number a stale process
still holds.

A holder's links (its roles and direct permissions, in every team) are cached the same way, one
entry per holder stamped with the registry version and the holder's own version
(``<cache_key>.holder.<model_type>.<id>.version``). A committed change to one holder's links
(``assign_role``, ``revoke_permission_to``...) writes a new version for that holder only; a bulk
statement on the link tables that names no holder writes a new registry version, which retires
every holder's entry. Once warm, loading a holder's permissions is one cache round trip (the
registry version, the holder's version and its entry in one ``many``) and no database query. A
process that loaded stale links just before a change commits writes them stamped with the old
version, which nobody reads again.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.cache import CacheManager, Repository
from foundry.config.permission import PermissionSettings
from foundry.database.session import DatabaseSession
from foundry.permissions.snapshot import Snapshot
from foundry.permissions.state import HolderState
from foundry.permissions.tables import model_has_permissions, model_has_roles

__all__ = ["HOLDER_OPTION", "Links", "PermissionRegistry", "transaction_ended"]

# session.info keys, all dropped when the session's transaction ends: this session changed
# roles or permissions and has not committed yet; the forget its commit will run; the holders
# whose links it changed, and those whose new version its commit has already written.
_UNCOMMITTED = "foundry.permissions.uncommitted"
_PENDING = "foundry.permissions.pending"
_HOLDERS = "foundry.permissions.holders"
_HOLDERS_DONE = "foundry.permissions.holders_done"

#: The execution option naming the holder ``(model_type, model_id)`` a link-table write is for.
HOLDER_OPTION = "foundry_permission_holder"

#: ``(role_id, team_id)`` links and ``(permission_id, team_id)`` links of one holder.
Links = tuple[set[tuple[int, int]], set[tuple[int, int]]]


def transaction_ended(info: dict[Any, Any]) -> None:
    """A session's outermost transaction ended: its marks go (a commit's forget is queued)."""
    for key in (_UNCOMMITTED, _PENDING, _HOLDERS, _HOLDERS_DONE):
        info.pop(key, None)


def _pairs(rows: Any) -> set[tuple[int, int]]:
    return {(int(ref), int(team)) for ref, team in rows}


class PermissionRegistry:
    """Bound as a singleton; ``Permissions`` is its facade."""

    def __init__(self, settings: PermissionSettings, cache: CacheManager) -> None:
        self.settings = settings
        self._cache = cache
        self._local: Snapshot | None = None
        self._local_version: str | None = None

    @property
    def default_guard(self) -> str:
        """The guard of roles and permissions created without one."""
        return self.settings.guard

    @property
    def store(self) -> Repository:
        """The shared cache store."""
        return self._cache.store(self.settings.cache_store or None)

    @property
    def version_key(self) -> str:
        """The cache key holding the current version."""
        return f"{self.settings.cache_key}.version"

    @property
    def cached(self) -> Snapshot | None:
        """The snapshot this process holds (possibly stale), without any I/O."""
        return self._local

    def holder_key(self, model_type: str, model_id: int) -> str:
        """The cache key of a holder's links; its version key is this plus ``.version``."""
        return f"{self.settings.cache_key}.holder.{model_type}.{model_id}"

    async def version(self) -> str:
        """The shared version; a fresh one is written when the store has none."""
        return await self._version_at(self.version_key, await self.store.get(self.version_key))

    async def _version_at(self, key: str, found: Any) -> str:
        """``found`` (read from ``key``) when it is a version, else a fresh one written there."""
        if isinstance(found, str):
            return found
        fresh = secrets.token_hex(8)
        if await self.store.add(key, fresh):
            return fresh
        again = await self.store.get(key)
        return again if isinstance(again, str) else fresh

    async def snapshot(self, session: AsyncSession) -> Snapshot:
        """The current snapshot: this process's copy, the shared copy, or the tables.

        A session that changed roles or permissions and has not committed reads the tables and
        shares nothing: its view must not reach other requests before (or without) the commit.
        """
        if session.info.get(_UNCOMMITTED):
            return await Snapshot.load(session)
        return await self._snapshot_at(session, await self.version())

    async def _snapshot_at(self, session: AsyncSession, version: str) -> Snapshot:
        """The snapshot for registry ``version``: the local copy, the shared one, or the tables."""
        if self._local is not None and self._local_version == version:
            return self._local
        shared = await self.store.get(self.settings.cache_key)
        if isinstance(shared, dict) and shared.get("version") == version:
            snapshot = Snapshot.from_json(shared["data"])
        else:
            snapshot = await Snapshot.load(session)
            await self.store.put(
                self.settings.cache_key,
                {"version": version, "data": snapshot.to_json()},
                self.settings.cache_ttl,
            )
        self._local, self._local_version = snapshot, version
        return snapshot

    async def forget_cached_permissions(self) -> None:
        """Drop every copy now: a new version, the shared snapshot removed, the local one too."""
        self._local = self._local_version = None
        await self.store.forget(self.settings.cache_key)
        await self.store.forever(self.version_key, secrets.token_hex(8))

    def note_change(self, session: AsyncSession) -> bool:
        """Roles, permissions or their links changed in ``session``: invalidate after commit.

        Called from the session's flush and execute events (:mod:`foundry.permissions.
        invalidation`). This process stops using its copy at once, and the session reads the
        tables until its transaction ends (its view must not reach other requests before, or
        without, the commit); every process sees a new version once it commits. Returns False
        when ``session`` holds no unit of work to wait for.
        """
        self._local = self._local_version = None
        if not isinstance(session, DatabaseSession):
            return False
        # One forget per committed transaction, however many flushes changed something.
        pending = session.info.setdefault(_PENDING, {"done": False})

        async def committed() -> None:
            if not pending["done"]:
                pending["done"] = True
                await self.forget_cached_permissions()

        if not session.defer_until_commit(committed):
            return False
        session.info[_UNCOMMITTED] = True
        return True

    async def forget_holder(self, model_type: str, model_id: int) -> None:
        """Drop every copy of one holder's links: a new holder version, the entry removed."""
        key = self.holder_key(model_type, model_id)
        await self.store.forget(key)
        await self.store.forever(f"{key}.version", secrets.token_hex(8))

    def note_holder_change(self, session: AsyncSession, model_type: str, model_id: int) -> bool:
        """One holder's links changed in ``session``: its cached links go after commit.

        Until the transaction ends, ``session`` reads that holder's links from the tables (its
        view must not reach other requests before, or without, the commit). Returns False when
        ``session`` holds no unit of work to wait for.
        """
        if not isinstance(session, DatabaseSession):
            return False
        holder = (model_type, model_id)
        done: set[tuple[str, int]] = session.info.setdefault(_HOLDERS_DONE, set())

        # One callback per change, so a rolled-back savepoint drops only its own; the first to
        # run after the commit writes the new version.
        async def committed() -> None:
            if holder not in done:
                done.add(holder)
                await self.forget_holder(model_type, model_id)

        if not session.defer_until_commit(committed):
            return False
        session.info.setdefault(_HOLDERS, set()).add(holder)
        return True

    async def changed(self, session: AsyncSession) -> None:
        """Invalidate after ``session`` commits, or now when it has nothing to commit.

        Writes through a Foundry session invalidate by themselves; this is for changes the
        session cannot see (raw SQL on another connection).
        """
        if not self.note_change(session):
            await self.forget_cached_permissions()

    async def load_links(self, session: AsyncSession, model_type: str, model_id: int) -> Links:
        """A holder's ``(role_id, team_id)`` and ``(permission_id, team_id)`` links: ONE query."""
        roles = select(
            literal("r").label("kind"),
            model_has_roles.c.role_id.label("ref"),
            model_has_roles.c.team_id,
        ).where(model_has_roles.c.model_type == model_type, model_has_roles.c.model_id == model_id)
        permissions = select(
            literal("p").label("kind"),
            model_has_permissions.c.permission_id.label("ref"),
            model_has_permissions.c.team_id,
        ).where(
            model_has_permissions.c.model_type == model_type,
            model_has_permissions.c.model_id == model_id,
        )
        role_links: set[tuple[int, int]] = set()
        permission_links: set[tuple[int, int]] = set()
        for kind, ref, team in await session.execute(union_all(roles, permissions)):
            (role_links if kind == "r" else permission_links).add((int(ref), int(team)))
        return role_links, permission_links

    async def _cached_links(
        self, session: AsyncSession, model_type: str, model_id: int
    ) -> tuple[Snapshot, Links]:
        """The snapshot and the holder's links, from the caches when they are current."""
        key = self.holder_key(model_type, model_id)
        found = await self.store.many([self.version_key, f"{key}.version", key])
        version = await self._version_at(self.version_key, found[self.version_key])
        holder_version = await self._version_at(f"{key}.version", found[f"{key}.version"])
        snapshot = await self._snapshot_at(session, version)
        stamp = f"{version}.{holder_version}"
        entry = found[key]
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            return snapshot, (_pairs(entry["roles"]), _pairs(entry["permissions"]))
        roles, permissions = await self.load_links(session, model_type, model_id)
        data = {
            "roles": [list(link) for link in sorted(roles)],
            "permissions": [list(link) for link in sorted(permissions)],
        }
        # Stamped with the versions read *before* the tables: a change committed meanwhile has
        # written a newer version, so these links are never read back.
        await self.store.put(key, {"stamp": stamp, **data}, self.settings.cache_ttl)
        return snapshot, (roles, permissions)

    async def holder_state(
        self, session: AsyncSession, model_type: str, model_id: int
    ) -> HolderState:
        """A holder's state against the current snapshot (no query once the caches are warm).

        A session that changed this holder's links (or the registry) and has not committed reads
        the tables, and caches nothing.
        """
        holders = session.info.get(_HOLDERS, ())
        if session.info.get(_UNCOMMITTED) or (model_type, model_id) in holders:
            snapshot = await self.snapshot(session)
            links = await self.load_links(session, model_type, model_id)
        else:
            snapshot, links = await self._cached_links(session, model_type, model_id)
        role_links, permission_links = links
        return HolderState(
            snapshot,
            role_links,
            permission_links,
            teams=self.settings.teams,
            wildcard_enabled=self.settings.wildcard,
            default_guard=self.default_guard,
        )

    async def user_has_permissions(
        self,
        session: AsyncSession,
        user_id: int,
        names: list[str] | tuple[str, ...],
        *,
        model_type: str = "users",
        guard: str | None = None,
    ) -> bool:
        """Whether user ``user_id`` holds every permission in ``names`` (unknown names: False).

        The entry point for code holding an id rather than a loaded user (secure queue jobs).
        """
        state = await self.holder_state(session, model_type, user_id)
        guard_name = guard or self.default_guard
        ids = state.all_permission_ids()
        for name in names:
            record = state.snapshot.find_permission(name, guard_name)
            if record is not None and state.grants(record, ids):
                continue
            if record is None and self.settings.wildcard:
                if state.grants_name(name, guard_name, ids):
                    continue
            return False
        return True
