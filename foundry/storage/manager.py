"""The storage manager: named disks built on first use, reached through the ``Storage`` facade.

``await Storage.put("a.txt", "hi")`` writes to the default disk (``FILESYSTEM_DISK``);
``Storage.disk("s3")`` names another. Each disk's settings say its driver (``local`` or ``s3``);
``extend`` adds a driver of your own, and ``fake("s3")`` puts a throwaway folder in a disk's place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from foundry.config.app import AppSettings
from foundry.config.filesystems import DiskConfig, FilesystemSettings, LocalDiskConfig
from foundry.kernel.drivers import DriverFactory, DriverRegistry, Forward
from foundry.kernel.facades import Swappable
from foundry.kernel.keys import parse_key
from foundry.kernel.signed_urls import UrlSigner
from foundry.storage.disk import Disk
from foundry.storage.errors import StorageError, UnknownDiskError
from foundry.storage.local_disk import LocalDisk
from foundry.storage.s3_disk import S3Disk

__all__ = ["BUILT_IN_DRIVERS", "DiskFactory", "StorageManager"]

#: Builds the disk called ``name`` for the manager asking (``manager.config(name)`` is its
#: settings).
DiskFactory = Callable[["StorageManager", str], Disk]


def _local(manager: StorageManager, name: str) -> Disk:
    config = manager.config(name)
    if not isinstance(config, LocalDiskConfig):
        raise StorageError(f"The [{name}] disk's settings are not a local disk's.")
    return LocalDisk(name, config, signer=manager.signer, app_url=manager.app.url)


def _s3(manager: StorageManager, name: str) -> Disk:
    config = manager.config(name)
    if isinstance(config, LocalDiskConfig) or config is None:
        raise StorageError(f"The [{name}] disk's settings are not an S3 disk's.")
    return S3Disk(name, config)


_BUILT_IN: Final[Mapping[str, DriverFactory[StorageManager, Disk]]] = MappingProxyType(
    {"local": _local, "s3": _s3}
)
BUILT_IN_DRIVERS: Final = tuple(_BUILT_IN)


class _LazySigner(UrlSigner):
    """Reads ``APP_KEY`` on first use: an app without a key runs until it signs a URL."""

    def __init__(self, key: str) -> None:
        self._app_key = key
        self._ready = False

    def _ensure(self) -> None:
        if not self._ready:
            if not self._app_key:
                raise StorageError("APP_KEY is not set: temporary URLs need it to be signed.")
            super().__init__(parse_key(self._app_key))
            self._ready = True

    def sign(self, url: str, *, expires_in: int | None = None, now: float | None = None) -> str:
        self._ensure()
        return super().sign(url, expires_in=expires_in, now=now)

    def verify(self, url: str, *, now: float | None = None) -> bool:
        self._ensure()
        return super().verify(url, now=now)


class StorageManager(Swappable):
    """Holds the named disks; bound as a singleton, reached through the ``Storage`` facade."""

    def __init__(self, settings: FilesystemSettings, app: AppSettings) -> None:
        self.settings = settings
        self.app = app
        #: Signs (and the storage route verifies) local disks' temporary URLs.
        self.signer: UrlSigner = _LazySigner(app.key)
        self._fakes: dict[str, Disk] = {}
        self._fake_roots: list[Path] = []
        self._disks = DriverRegistry(
            self,
            kind="disk",
            built_in=_BUILT_IN,
            default=lambda: self.settings.default,
            error=UnknownDiskError,
            driver_of=self._driver_of,
        )

    def _driver_of(self, name: str) -> str:
        config = self.config(name)
        if config is None:
            raise UnknownDiskError(
                f"disk {name!r} is not defined; known disks: {', '.join(self.disk_names())}"
            )
        return config.driver

    def config(self, name: str) -> DiskConfig | None:
        """The settings of disk ``name`` from ``config/filesystems.py`` (``None`` if unknown)."""
        return self.settings.disk(name, self.app.url)

    @property
    def default_disk(self) -> str:
        """The name of the default disk (``FILESYSTEM_DISK``)."""
        return self.settings.default

    def disk_names(self) -> list[str]:
        """Every disk name in the settings."""
        return self.settings.disk_names()

    def disk(self, name: str | None = None) -> Disk:
        """The disk called ``name`` (default: ``FILESYSTEM_DISK``), built on first use.

        Raises:
            UnknownDiskError: no disk has that name.
        """
        chosen = name or self.settings.default
        faked = self._fakes.get(chosen)
        return faked if faked is not None else self._disks.driver(chosen)

    def extend(self, driver: str, factory: DiskFactory) -> None:
        """Make ``factory(manager, name)`` build every disk whose settings name ``driver``."""
        self._disks.extend(driver, factory)

    def fake(self, name: str | None = None) -> Disk:
        """Put a fresh, empty folder in the place of disk ``name`` (default disk); returns it.

        The fake is a real local disk in a temporary directory, deleted when the app shuts
        down, so code under test reads and writes it as it would the real one; assert on it
        with ``assert_exists``/``assert_missing``.
        """
        chosen = name or self.settings.default
        root = Path(tempfile.mkdtemp(prefix=f"foundry-disk-{chosen}-"))
        self._fake_roots.append(root)
        url = f"{self.app.url.rstrip('/')}/storage"
        config = LocalDiskConfig(root=root, url=url)
        disk = self._fakes[chosen] = LocalDisk(
            chosen, config, signer=self.signer, app_url=self.app.url
        )
        return disk

    async def aclose(self) -> None:
        """Close every disk's connections and delete the fakes' folders (on shutdown)."""
        for disk in self._disks.release():
            await disk.aclose()
        for root in self._fake_roots:
            shutil.rmtree(root, ignore_errors=True)
        self._fakes.clear()
        self._fake_roots.clear()

    # -- the default disk's API (each runs the same method of ``disk()``) ------------------------

    put = Forward(disk, Disk.put)
    put_file = Forward(disk, Disk.put_file)
    get = Forward(disk, Disk.get)
    read_stream = Forward(disk, Disk.read_stream)
    exists = Forward(disk, Disk.exists)
    missing = Forward(disk, Disk.missing)
    delete = Forward(disk, Disk.delete)
    delete_directory = Forward(disk, Disk.delete_directory)
    copy = Forward(disk, Disk.copy)
    move = Forward(disk, Disk.move)
    size = Forward(disk, Disk.size)
    last_modified = Forward(disk, Disk.last_modified)
    files = Forward(disk, Disk.files)
    directories = Forward(disk, Disk.directories)
    all_files = Forward(disk, Disk.all_files)
    all_directories = Forward(disk, Disk.all_directories)
    url = Forward(disk, Disk.url)
    temporary_url = Forward(disk, Disk.temporary_url)
    get_visibility = Forward(disk, Disk.get_visibility)
    set_visibility = Forward(disk, Disk.set_visibility)
    assert_exists = Forward(disk, Disk.assert_exists)
    assert_missing = Forward(disk, Disk.assert_missing)
