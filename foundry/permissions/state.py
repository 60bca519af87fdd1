"""What one holder (a user) has, loaded once, checked in memory.

:class:`HolderState` keeps the holder's role and direct-permission links (with their team) and
the registry snapshot they were loaded against. Every check is a set lookup; derived sets are
memoized per team, so ten checks cost one load (a cache read when warm) and ten dictionary lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from foundry.permissions import wildcard
from foundry.permissions.snapshot import PermissionRecord, RoleRecord, Snapshot
from foundry.permissions.teams import link_team_id

__all__ = ["HolderState", "Link"]

#: ``(role or permission id, team_id)``.
Link = tuple[int, int]


@dataclass(eq=False)
class HolderState:
    """A holder's links against one snapshot; ``teams``/``wildcard`` come from the settings."""

    snapshot: Snapshot
    role_links: set[Link]
    permission_links: set[Link]
    teams: bool = False
    wildcard_enabled: bool = False
    default_guard: str = "api"
    _memo: dict[tuple[str, int], frozenset[int]] = field(default_factory=dict, repr=False)
    _names: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict, repr=False)

    def team(self) -> int:
        """The team links are read for now."""
        return link_team_id(self.teams)

    def changed(self) -> None:
        """Forget derived sets after a link was added or removed."""
        self._memo.clear()
        self._names.clear()

    def _cached(self, kind: str, team: int, ids: frozenset[int]) -> frozenset[int]:
        self._memo[(kind, team)] = ids
        return ids

    def role_ids(self) -> frozenset[int]:
        """Ids of the roles held in the current team (that still exist)."""
        team = self.team()
        found = self._memo.get(("roles", team))
        if found is not None:
            return found
        roles = self.snapshot.roles
        ids = frozenset(rid for rid, tid in self.role_links if tid == team and rid in roles)
        return self._cached("roles", team, ids)

    def direct_permission_ids(self) -> frozenset[int]:
        """Ids of the permissions given directly in the current team."""
        team = self.team()
        found = self._memo.get(("direct", team))
        if found is not None:
            return found
        known = self.snapshot.permissions
        ids = frozenset(pid for pid, tid in self.permission_links if tid == team and pid in known)
        return self._cached("direct", team, ids)

    def via_role_permission_ids(self) -> frozenset[int]:
        """Ids of the permissions the held roles give."""
        team = self.team()
        found = self._memo.get(("via", team))
        if found is not None:
            return found
        links = self.snapshot.role_permissions
        ids = frozenset(pid for rid in self.role_ids() for pid in links.get(rid, ()))
        return self._cached("via", team, ids)

    def all_permission_ids(self) -> frozenset[int]:
        """Direct and via roles."""
        team = self.team()
        found = self._memo.get(("all", team))
        if found is not None:
            return found
        ids = self.direct_permission_ids() | self.via_role_permission_ids()
        return self._cached("all", team, ids)

    def role_names(self, guard: str) -> frozenset[str]:
        """Names of the roles of ``guard`` held in the current team (memoized)."""
        team = self.team()
        key = (f"names:{guard}", team)
        found = self._names.get(key)
        if found is None:
            roles = self.snapshot.roles
            found = frozenset(
                roles[rid].name for rid in self.role_ids() if roles[rid].guard_name == guard
            )
            self._names[key] = found
        return found

    def roles(self) -> list[RoleRecord]:
        """The held roles, by id."""
        return [self.snapshot.roles[rid] for rid in sorted(self.role_ids())]

    def permissions(self, ids: frozenset[int]) -> list[PermissionRecord]:
        """Records for ``ids``, by id."""
        return [self.snapshot.permissions[pid] for pid in sorted(ids)]

    def grants(self, permission: PermissionRecord, ids: frozenset[int]) -> bool:
        """Whether ``ids`` hold ``permission`` itself, or (wildcards on) a pattern implying it."""
        if permission.id in ids:
            return True
        return self.wildcard_enabled and self.grants_name(
            permission.name, permission.guard_name, ids
        )

    def grants_name(self, name: str, guard: str, ids: frozenset[int]) -> bool:
        """Wildcard check of ``name`` against the patterns among ``ids`` of ``guard``."""
        records = self.snapshot.permissions
        return any(
            records[pid].guard_name == guard and wildcard.implies(records[pid].name, name)
            for pid in ids
        )
