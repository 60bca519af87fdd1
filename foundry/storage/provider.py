"""Binds the storage manager; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.storage.manager import StorageManager

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["StorageServiceProvider"]


class StorageServiceProvider(ServiceProvider):
    """Registers :class:`StorageManager` as a singleton and checks ``FILESYSTEM_DISK``."""

    def register(self, container: Container) -> None:
        container.singleton(StorageManager)

    def boot(self, app: Application) -> None:
        manager = app.container.make(StorageManager)
        # Building a disk does no I/O (the S3 client opens on first use), but an unknown
        # FILESYSTEM_DISK fails at start-up rather than on the first upload.
        app.booted(manager.disk)
        app.on_shutdown(manager.aclose)
