"""Filesystems: the default disk (``FILESYSTEM_DISK``), the local and public folders, and S3.

The framework's defaults are in :class:`foundry.config.filesystems.FilesystemSettings`; every
value can be set in the environment or ``.env`` (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``, ``AWS_BUCKET``, ``AWS_ENDPOINT``...). Add disks of your own by
redeclaring ``disks`` below, for instance a second bucket::

    disks: dict[str, DiskConfig] = Field(
        default_factory=lambda: {"backups": S3DiskConfig(bucket="my-backups")}
    )
"""

from __future__ import annotations

from foundry.config.filesystems import FilesystemSettings

__all__ = ["FilesystemConfig"]


class FilesystemConfig(FilesystemSettings):
    """This application's filesystem settings."""


SETTINGS = FilesystemConfig
