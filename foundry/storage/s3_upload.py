"""Streaming a file to S3: one request for a small file, a multipart upload for a large one.

Only one part (:data:`PART_SIZE`) is in memory at a time, read from the source in a thread, so a
file of any size costs a few MiB. A multipart upload that fails is aborted, so S3 keeps (and
bills) no orphaned parts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from anyio import to_thread

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.literals import ObjectCannedACLType
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef

__all__ = ["MULTIPART_THRESHOLD", "PART_SIZE", "UploadTarget", "upload_stream"]

#: Files of this size or more are sent in parts of this size (S3 wants 5 MiB at least, but for
#: the last part); smaller ones in one request.
PART_SIZE = 8 * 1024 * 1024
MULTIPART_THRESHOLD = PART_SIZE

#: Runs one client call, turning S3's errors into the storage battery's (``S3Disk._call``).
Call = Callable[[Callable[["S3Client"], Awaitable[Any]]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class UploadTarget:
    """Where the object goes and what it is."""

    bucket: str
    key: str
    acl: ObjectCannedACLType
    content_type: str


async def read_part(source: IO[bytes]) -> bytes:
    """The next :data:`PART_SIZE` bytes of ``source`` (fewer only at its end)."""

    def read() -> bytes:
        data = source.read(PART_SIZE)
        if len(data) in (0, PART_SIZE):
            return data
        # A short read is not the end (a pipe, a socket): keep reading up to a full part.
        collected = bytearray(data)
        while len(collected) < PART_SIZE and (more := source.read(PART_SIZE - len(collected))):
            collected += more
        return bytes(collected)

    return await to_thread.run_sync(read)


async def upload_stream(call: Call, source: IO[bytes], target: UploadTarget) -> None:
    """Send ``source`` (from its current position to its end) to ``target``."""
    bucket, key = target.bucket, target.key
    part = await read_part(source)
    if len(part) < PART_SIZE:
        await call(
            lambda c: c.put_object(
                Bucket=bucket, Key=key, Body=part, ACL=target.acl, ContentType=target.content_type
            )
        )
        return
    started = await call(
        lambda c: c.create_multipart_upload(
            Bucket=bucket, Key=key, ACL=target.acl, ContentType=target.content_type
        )
    )
    upload_id: str = started["UploadId"]
    parts: list[CompletedPartTypeDef] = []
    try:
        while part:
            number = len(parts) + 1
            sent = await call(
                lambda c: c.upload_part(
                    Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=part
                )
            )
            parts.append({"ETag": sent["ETag"], "PartNumber": number})
            part = b""  # released before the next one is read
            part = await read_part(source)
        await call(
            lambda c: c.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        )
    except BaseException:
        await call(lambda c: c.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id))
        raise
