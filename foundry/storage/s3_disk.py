"""The ``s3`` driver: a bucket on Amazon S3 or any S3-compatible server, through aiobotocore.

Large files are sent as a multipart upload, one part in memory at a time
(:mod:`foundry.storage.s3_upload`), so a 5 GB upload costs a few MiB of memory. Visibility is the object's ACL
(``public-read`` or ``private``); temporary URLs are S3's own presigned URLs.
"""

from __future__ import annotations

import asyncio
import functools
import mimetypes
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as S3ConnectionError
from botocore.exceptions import HTTPClientError

from foundry.config.filesystems import S3DiskConfig, Visibility
from foundry.storage.disk import CHUNK_SIZE, Disk, FileSource, seconds
from foundry.storage.errors import (
    FileNotFoundInStorageError,
    StorageError,
    StorageUnavailableError,
)
from foundry.storage.paths import clean_directory, clean_path
from foundry.storage.s3_upload import UploadTarget, upload_stream

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.literals import ObjectCannedACLType
    from types_aiobotocore_s3.type_defs import (
        CopySourceTypeDef,
        ObjectIdentifierTypeDef,
    )

__all__ = ["S3Disk"]

_ACLS: dict[Visibility, ObjectCannedACLType] = {"public": "public-read", "private": "private"}
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING_CODES


def _server_side(error: ClientError) -> bool:
    """Whether S3 answered 5xx (``InternalError``, ``SlowDown``): its trouble, not a refusal."""
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return isinstance(status, int) and status >= 500


class S3Disk(Disk):
    """Objects of ``config.bucket`` (under ``config.prefix``)."""

    def __init__(self, name: str, config: S3DiskConfig) -> None:
        super().__init__(name)
        self.config = config
        self._client: S3Client | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stack = AsyncExitStack()

    async def client(self) -> S3Client:
        """The disk's client, opened on first use in the running event loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            # Imported on first use: apps without an S3 disk never load aiohttp and botocore's
            # session machinery.
            from aiobotocore.config import AioConfig
            from aiobotocore.session import get_session

            # A client belongs to the loop that opened it (aiohttp's pool): a new loop, a new one.
            self._stack = AsyncExitStack()
            config = self.config
            style = "path" if config.use_path_style_endpoint else "auto"
            self._client = await self._stack.enter_async_context(
                get_session().create_client(
                    "s3",
                    region_name=config.region,
                    endpoint_url=config.endpoint or None,
                    aws_access_key_id=config.key,
                    aws_secret_access_key=(
                        config.secret.get_secret_value() if config.secret else None
                    ),
                    config=AioConfig(
                        signature_version="s3v4",
                        s3={"addressing_style": style},
                        connect_timeout=config.connect_timeout,
                        read_timeout=config.read_timeout,
                        retries={"mode": "standard", "max_attempts": config.max_attempts},
                    ),
                )
            )
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._stack.aclose()
        self._client = None
        self._loop = None

    def key(self, path: str) -> str:
        """The object key of ``path`` (the disk's prefix, then the clean path)."""
        prefix = clean_directory(self.config.prefix)
        return f"{prefix}/{clean_path(path)}" if prefix else clean_path(path)

    def _directory_key(self, directory: str) -> str:
        joined = "/".join(
            p for p in (clean_directory(self.config.prefix), clean_directory(directory)) if p
        )
        return f"{joined}/" if joined else ""

    def _relative(self, key: str) -> str:
        prefix = clean_directory(self.config.prefix)
        return key[len(prefix) + 1 :] if prefix else key

    async def _call(self, path: str, work: Callable[[S3Client], Any]) -> Any:
        client = await self.client()
        try:
            return await work(client)
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundInStorageError(f"File not found at path [{path}].") from None
            if _server_side(error):
                raise StorageUnavailableError() from error
            raise StorageError(f"S3 refused the request for [{path}]: {error}") from error
        except (S3ConnectionError, HTTPClientError) as error:
            # Refused, timed out or dropped: an outage (503), as the database's or Redis's is.
            raise StorageUnavailableError() from error
        except BotoCoreError as error:
            raise StorageError(f"S3 could not be reached for [{path}]: {error}") from error

    def _acl(self, visibility: Visibility | None) -> ObjectCannedACLType:
        return _ACLS[visibility or self.config.visibility]

    @staticmethod
    def _content_type(key: str) -> str:
        return mimetypes.guess_type(key)[0] or "application/octet-stream"

    # -- writing ---------------------------------------------------------------------------------

    async def put(
        self, path: str, contents: bytes | str, *, visibility: Visibility | None = None
    ) -> str:
        data = contents.encode("utf-8") if isinstance(contents, str) else contents
        key, acl = self.key(path), self._acl(visibility)
        bucket, content_type = self.config.bucket, self._content_type(key)
        await self._call(
            path,
            lambda c: c.put_object(
                Bucket=bucket, Key=key, Body=data, ACL=acl, ContentType=content_type
            ),
        )
        return clean_path(path)

    async def put_file(
        self, path: str, source: FileSource, *, visibility: Visibility | None = None
    ) -> str:
        if isinstance(source, Path):
            with source.open("rb") as opened:
                await self._upload(path, opened, visibility)
        else:
            await self._upload(path, source, visibility)
        return clean_path(path)

    async def _upload(self, path: str, source: IO[bytes], visibility: Visibility | None) -> None:
        key = self.key(path)
        target = UploadTarget(
            self.config.bucket, key, self._acl(visibility), self._content_type(key)
        )
        await upload_stream(functools.partial(self._call, path), source, target)

    async def delete(self, *paths: str) -> bool:
        existed = True
        for path in paths:
            if not await self.exists(path):
                existed = False
                continue
            key = self.key(path)
            await self._call(path, lambda c: c.delete_object(Bucket=self.config.bucket, Key=key))
        return existed

    async def delete_directory(self, directory: str) -> None:
        prefix = self._directory_key(directory)
        if not prefix:
            raise StorageError("Refusing to delete the root of a disk; name a directory.")
        keys = [key async for key in self._keys(prefix)]
        for start in range(0, len(keys), 1000):
            batch: list[ObjectIdentifierTypeDef] = [
                {"Key": key} for key in keys[start : start + 1000]
            ]
            await self._call(
                directory,
                lambda c: c.delete_objects(Bucket=self.config.bucket, Delete={"Objects": batch}),
            )

    async def copy(self, source: str, target: str) -> None:
        acl = self._acl(await self.get_visibility(source))
        bucket, key = self.config.bucket, self.key(target)
        origin: CopySourceTypeDef = {"Bucket": bucket, "Key": self.key(source)}
        await self._call(
            source,
            lambda c: c.copy_object(
                Bucket=bucket,
                Key=key,
                CopySource=origin,
                ACL=acl,
                ContentType=self._content_type(key),
                MetadataDirective="REPLACE",
            ),
        )

    # -- reading ---------------------------------------------------------------------------------

    async def _object(self, path: str) -> Any:
        key = self.key(path)
        return await self._call(path, lambda c: c.get_object(Bucket=self.config.bucket, Key=key))

    async def get(self, path: str) -> bytes:
        found = await self._object(path)
        async with found["Body"] as body:
            data: bytes = await body.read()
        return data

    async def read_stream(self, path: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        found = await self._object(path)
        async with found["Body"] as body:
            async for chunk in body.iter_chunks(chunk_size):
                yield chunk

    async def _head(self, path: str) -> Any:
        key = self.key(path)
        return await self._call(path, lambda c: c.head_object(Bucket=self.config.bucket, Key=key))

    async def exists(self, path: str) -> bool:
        try:
            await self._head(path)
        except FileNotFoundInStorageError:
            return False
        return True

    async def size(self, path: str) -> int:
        return int((await self._head(path))["ContentLength"])

    async def last_modified(self, path: str) -> datetime:
        modified: datetime = (await self._head(path))["LastModified"]
        return modified

    # -- listing ---------------------------------------------------------------------------------

    async def _pages(self, prefix: str, *, shallow: bool) -> AsyncIterator[Any]:
        client = await self.client()
        paginator = client.get_paginator("list_objects_v2")
        # A "/" delimiter lists one level (S3 folds the deeper keys into CommonPrefixes), so a
        # folder's listing costs its own entries, not the whole subtree's.
        pages = (
            paginator.paginate(Bucket=self.config.bucket, Prefix=prefix, Delimiter="/")
            if shallow
            else paginator.paginate(Bucket=self.config.bucket, Prefix=prefix)
        )
        async for page in pages:
            yield page

    async def _keys(self, prefix: str) -> AsyncIterator[str]:
        async for page in self._pages(prefix, shallow=False):
            for item in page.get("Contents", []):
                yield item["Key"]

    async def _level(self, directory: str) -> tuple[list[str], list[str]]:
        """The files and the directories directly in ``directory``."""
        files: list[str] = []
        folders: list[str] = []
        async for page in self._pages(self._directory_key(directory), shallow=True):
            files += [self._relative(item["Key"]) for item in page.get("Contents", [])]
            folders += [
                self._relative(item["Prefix"].rstrip("/"))
                for item in page.get("CommonPrefixes", [])
            ]
        return files, folders

    async def _tree(self, directory: str) -> tuple[list[str], set[str]]:
        """Every file under ``directory`` at any depth, and every directory they imply."""
        files = [self._relative(key) async for key in self._keys(self._directory_key(directory))]
        folders = {file.rsplit("/", i)[0] for file in files for i in range(1, file.count("/") + 1)}
        base = clean_directory(directory)
        return files, {f for f in folders if not base or f.startswith(base + "/")}

    async def _listing(
        self, directory: str, *, recursive: bool
    ) -> tuple[list[str], list[str] | set[str]]:
        try:
            return await (self._tree(directory) if recursive else self._level(directory))
        except ClientError as error:
            if _server_side(error):
                raise StorageUnavailableError() from error
            raise StorageError(f"S3 refused to list [{directory}]: {error}") from error
        except (S3ConnectionError, HTTPClientError) as error:
            raise StorageUnavailableError() from error

    async def files(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        files, _ = await self._listing(directory, recursive=recursive)
        return sorted(files)

    async def directories(self, directory: str = "", *, recursive: bool = False) -> list[str]:
        _, folders = await self._listing(directory, recursive=recursive)
        return sorted(folders)

    # -- URLs and visibility ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        key = quote(self.key(path))
        config = self.config
        if config.url:
            return f"{config.url.rstrip('/')}/{key}"
        if config.endpoint:
            base = config.endpoint.rstrip("/")
            if config.use_path_style_endpoint:
                return f"{base}/{config.bucket}/{key}"
            scheme, _, host = base.partition("://")
            return f"{scheme}://{config.bucket}.{host}/{key}"
        return f"https://{config.bucket}.s3.{config.region}.amazonaws.com/{key}"

    async def temporary_url(self, path: str, expires_in: int | timedelta) -> str:
        client = await self.client()
        params = {"Bucket": self.config.bucket, "Key": self.key(path)}
        url: str = await client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=seconds(expires_in)
        )
        return url

    async def get_visibility(self, path: str) -> Visibility:
        key = self.key(path)
        acl = await self._call(path, lambda c: c.get_object_acl(Bucket=self.config.bucket, Key=key))
        for grant in acl.get("Grants", []):
            grantee = grant.get("Grantee", {})
            if grantee.get("URI") == _ALL_USERS and grant.get("Permission") in (
                "READ",
                "FULL_CONTROL",
            ):
                return "public"
        return "private"

    async def set_visibility(self, path: str, visibility: Visibility) -> None:
        key = self.key(path)
        acl = self._acl(visibility)
        await self._call(
            path, lambda c: c.put_object_acl(Bucket=self.config.bucket, Key=key, ACL=acl)
        )
