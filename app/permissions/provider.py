"""Binds the permission registry, the Gate and the queue's job authorizer (``config/app.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.jobs.secure import JobAuthorizer
from app.permissions.gate import AccessGate
from app.permissions.job_authorizer import RegistryJobAuthorizer
from app.permissions.registry import PermissionRegistry
from app.support.providers import ServiceProvider

if TYPE_CHECKING:
    from app.support.application import Application
    from app.support.container import Container

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
