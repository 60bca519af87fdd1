"""Binds the permission registry, the Gate and the queue's job authorizer (``config/app.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.jobs.secure import JobAuthorizer
from foundry.kernel.providers import ServiceProvider
from foundry.permissions.gate import AccessGate
from foundry.permissions.job_authorizer import RegistryJobAuthorizer
from foundry.permissions.registry import PermissionRegistry

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["PermissionServiceProvider"]


class PermissionServiceProvider(ServiceProvider):
    """One registry and one Gate per application (the registry's cache is per process)."""

    def register(self, container: Container) -> None:
        container.singleton(PermissionRegistry)
        container.singleton(AccessGate)
        # Secure queue jobs check their dispatching user's permissions through the registry.
        container.singleton(JobAuthorizer, RegistryJobAuthorizer)

    def boot(self, app: Application) -> None:
        # Fails at start-up, not on the first request, when PERMISSION_CACHE_STORE is unknown.
        _ = app.container.make(PermissionRegistry).store
