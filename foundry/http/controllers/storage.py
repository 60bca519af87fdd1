"""Files served by the app: the ``public`` disk under ``/storage``, and local temporary URLs.

``GET /storage/{path}`` serves the ``public`` disk when the web server does not (before, or
instead of, ``artisan storage:link``). ``GET /storage-temp/{disk}/{path}`` answers the signed,
expiring links ``temporary_url()`` makes for local disks: a link whose signature or expiry is
wrong gets 403. Files are streamed, never read whole, and sent with a sandboxing CSP so an
uploaded HTML or SVG file cannot run script on the app's origin.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import StreamingResponse

from foundry.http.dependencies import Inject
from foundry.kernel.errors import AuthorizationError
from foundry.storage import Disk, StorageManager
from foundry.storage.local_disk import TEMPORARY_URL_PREFIX, signed_path

__all__ = ["router"]

router = APIRouter(tags=["storage"], include_in_schema=False)

#: Types a browser would run or render as a page: sent as downloads instead.
_ACTIVE_TYPES = frozenset({"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"})


async def _send(disk: Disk, path: str) -> StreamingResponse:
    size = await disk.size(path)  # 404 (the JSON shape) when missing, before any byte is sent
    media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    headers = {
        "Content-Length": str(size),
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
    }
    if media_type in _ACTIVE_TYPES:
        media_type = "application/octet-stream"
        headers["Content-Disposition"] = "attachment"

    async def body() -> AsyncIterator[bytes]:
        async for chunk in disk.read_stream(path):
            yield chunk

    return StreamingResponse(body(), media_type=media_type, headers=headers)


@router.get("/storage/{path:path}", name="storage.public")
async def public_file(path: str, storage: Inject[StorageManager]) -> StreamingResponse:
    """A file of the ``public`` disk."""
    return await _send(storage.disk("public"), path)


@router.get(TEMPORARY_URL_PREFIX + "/{disk}/{path:path}", name="storage.temporary")
async def temporary_file(
    request: Request, disk: str, path: str, storage: Inject[StorageManager]
) -> StreamingResponse:
    """A file of a local disk, through a link made by ``temporary_url()``."""
    query = request.url.query
    if disk not in storage.disk_names() or not storage.signer.verify(
        signed_path(disk, path) + (f"?{query}" if query else "")
    ):
        raise AuthorizationError("Invalid or expired link.", error="invalid_signature")
    return await _send(storage.disk(disk), path)
