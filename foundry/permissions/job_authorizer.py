"""The queue's :class:`JobAuthorizer`, answered by the permission registry.

Secure jobs name the permissions their dispatching user must hold; the queue asks at dispatch and
again just before ``handle``, so a permission revoked in between stops the job.
"""

from __future__ import annotations

from collections.abc import Sequence

from foundry.database import DatabaseManager
from foundry.jobs.secure import JobAuthorizer
from foundry.permissions.registry import PermissionRegistry

__all__ = ["RegistryJobAuthorizer"]


class RegistryJobAuthorizer(JobAuthorizer):
    """Whether a user holds every permission, read on a session of its own.

    Its own session, because the queue asks both inside a request and in a worker before the
    job's scope exists; the read is one query and commits nothing.
    """

    def __init__(self, registry: PermissionRegistry, database: DatabaseManager) -> None:
        self.registry = registry
        self.database = database

    async def allows(self, user_id: str, permissions: Sequence[str]) -> bool:
        """Whether user ``user_id`` holds all of ``permissions`` (unknown users: False)."""
        if not user_id.isdigit():
            return False
        async with self.database.session() as session:
            return await self.registry.user_has_permissions(
                session, int(user_id), tuple(permissions)
            )
