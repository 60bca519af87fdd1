"""Filesystem settings: the default disk, the local and public disks' folders, and S3."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from foundry.config.base import BASE_PATH, Settings

__all__ = [
    "DiskConfig",
    "FilesystemSettings",
    "LocalDiskConfig",
    "S3DiskConfig",
    "SETTINGS",
    "Visibility",
]

#: ``public``: anyone with the URL may read the file; ``private``: only through the app.
Visibility = Literal["public", "private"]


def _from_project_root(value: Path) -> Path:
    # A relative root means the same folder whatever the process's working directory.
    return value if value.is_absolute() else BASE_PATH / value


class LocalDiskConfig(BaseModel):
    """A disk in a folder of this machine (Laravel's ``local`` driver)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    driver: Literal["local"] = "local"
    root: Path
    #: The base URL of the disk's files (``APP_URL/storage`` for the public disk); ``None``
    #: for a disk whose files are only reached through :meth:`temporary_url`.
    url: str | None = None
    #: The visibility of files written without one.
    visibility: Visibility = "private"

    @field_validator("root")
    @classmethod
    def _root(cls, value: Path) -> Path:
        return _from_project_root(value)


class S3DiskConfig(BaseModel):
    """A bucket on Amazon S3 or any S3-compatible server (MinIO, R2, moto...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    driver: Literal["s3"] = "s3"
    key: str | None = None
    secret: SecretStr | None = Field(default=None, repr=False)
    region: str = "us-east-1"
    bucket: str = ""
    #: An S3-compatible server's address (``http://127.0.0.1:9000``); empty means AWS itself.
    endpoint: str | None = None
    #: The public base URL of the bucket's files (a CDN); default: the endpoint's own.
    url: str | None = None
    #: ``endpoint/bucket/key`` instead of ``bucket.endpoint/key`` (MinIO and moto want this).
    use_path_style_endpoint: bool = False
    #: Prepended to every path, so several apps (or tests) can share a bucket.
    prefix: str = ""
    visibility: Visibility = "private"
    #: Seconds to wait for a connection, and for each read of an answer: botocore's own defaults
    #: (60 s each, five attempts) held a request for minutes on a frozen server; these bound it
    #: to about half a minute before the 503 (``storage_unavailable``).
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    #: Attempts per call, the first included (botocore's "standard" retry mode).
    max_attempts: int = Field(default=3, ge=1, le=10)


DiskConfig = Annotated[LocalDiskConfig | S3DiskConfig, Field(discriminator="driver")]


class FilesystemSettings(Settings):
    """``FILESYSTEM_*`` and ``AWS_*`` variables.

    ``FILESYSTEM_DISK`` names the default disk: ``local`` (``storage/app/private``, the embedded
    default), ``public`` (``storage/app/public``, served under ``/storage``) or ``s3`` (the bucket
    ``AWS_BUCKET``). More disks, or other settings for these, go in :attr:`disks`.
    """

    default: str = Field(default="local", min_length=1, validation_alias="FILESYSTEM_DISK")
    local_root: Path = Field(
        default=BASE_PATH / "storage" / "app" / "private", validation_alias="FILESYSTEM_LOCAL_ROOT"
    )
    public_root: Path = Field(
        default=BASE_PATH / "storage" / "app" / "public", validation_alias="FILESYSTEM_PUBLIC_ROOT"
    )
    #: Where ``artisan storage:link`` points ``public/storage`` from.
    public_link: Path = Field(
        default=BASE_PATH / "public" / "storage", validation_alias="FILESYSTEM_PUBLIC_LINK"
    )
    aws_access_key_id: str | None = Field(default=None, validation_alias="AWS_ACCESS_KEY_ID")
    aws_secret_access_key: SecretStr | None = Field(
        default=None, validation_alias="AWS_SECRET_ACCESS_KEY", repr=False
    )
    aws_default_region: str = Field(default="us-east-1", validation_alias="AWS_DEFAULT_REGION")
    aws_bucket: str = Field(default="", validation_alias="AWS_BUCKET")
    aws_endpoint: str | None = Field(default=None, validation_alias="AWS_ENDPOINT")
    aws_url: str | None = Field(default=None, validation_alias="AWS_URL")
    aws_use_path_style_endpoint: bool = Field(
        default=False, validation_alias="AWS_USE_PATH_STYLE_ENDPOINT"
    )
    #: Disks of the application's own, by name; a name here replaces a built-in disk's settings.
    disks: dict[str, DiskConfig] = Field(default_factory=dict, validation_alias="FILESYSTEM_DISKS")

    @field_validator("local_root", "public_root", "public_link")
    @classmethod
    def _paths(cls, value: Path) -> Path:
        return _from_project_root(value)

    def disk(self, name: str, app_url: str) -> DiskConfig | None:
        """The settings of disk ``name`` (``None`` when no disk has that name).

        Args:
            name: the disk's name.
            app_url: ``APP_URL``, under which the public disk's files are served.
        """
        if name in self.disks:
            return self.disks[name]
        if name == "local":
            return LocalDiskConfig(root=self.local_root)
        if name == "public":
            url = app_url.rstrip("/") + "/storage"
            return LocalDiskConfig(root=self.public_root, url=url, visibility="public")
        if name == "s3":
            return S3DiskConfig(
                key=self.aws_access_key_id,
                secret=self.aws_secret_access_key,
                region=self.aws_default_region,
                bucket=self.aws_bucket,
                endpoint=self.aws_endpoint,
                url=self.aws_url,
                use_path_style_endpoint=self.aws_use_path_style_endpoint,
            )
        return None

    def disk_names(self) -> list[str]:
        """Every disk name: the built-in ones, then the application's own."""
        return list(dict.fromkeys(["local", "public", "s3", *self.disks]))


SETTINGS = FilesystemSettings
