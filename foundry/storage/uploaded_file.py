"""``UploadedFile``: a file sent in a multipart form, as a form request field receives it.

    class AvatarRequest(FormRequest):
        avatar: UploadedFile

        def rules(self) -> RuleSet:
            return {"avatar": [v.image(), v.max(2048)]}

    path = await data.avatar.store("avatars", disk="s3")   # "avatars/3f9c...e1.png"

The contents wait in a temporary file (in memory up to 1 MiB, then on disk) until stored.
"""

from __future__ import annotations

import secrets
from typing import IO, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from foundry.config.filesystems import Visibility
from foundry.kernel.facades import facade
from foundry.storage.manager import StorageManager
from foundry.storage.paths import join
from foundry.validation.files import extensions_for, sniff_mime_type

__all__ = ["UploadedFile"]

_Storage: StorageManager = facade(StorageManager)


def _serialize(value: UploadedFile, info: core_schema.SerializationInfo) -> object:
    # ``validated()`` and the rules see the file itself; JSON (a log, a resource) its name.
    return value if info.mode == "python" else value.client_name


class UploadedFile:
    """One uploaded file: its contents (``binary()``), size and the name the client gave it."""

    def __init__(self, file: IO[bytes], *, client_name: str, client_mime_type: str, size: int):
        self._file = file
        self._client_name = client_name
        #: The ``Content-Type`` the client declared for the part (not trusted).
        self.client_mime_type = client_mime_type
        self._size = size

    def __repr__(self) -> str:
        return f"<UploadedFile {self._client_name!r} ({self._size} bytes)>"

    @property
    def size(self) -> int:
        """Bytes."""
        return self._size

    @property
    def client_name(self) -> str:
        """The file name the client sent (never used as a path: see :meth:`hash_name`)."""
        return self._client_name

    def binary(self) -> IO[bytes]:
        """The contents as a binary file, rewound to its start."""
        self._file.seek(0)
        return self._file

    def head(self, length: int) -> bytes:
        """The first ``length`` bytes."""
        data = self.binary().read(length)
        self._file.seek(0)
        return data

    def mime_type(self) -> str:
        """The type the contents show (``image/png``), whatever the client claimed."""
        return sniff_mime_type(self.head(4096))

    def extension(self) -> str:
        """The extension for the contents' type (``png``), else the client's name's, else ``bin``.

        Text keeps the client's extension when it is a text one (``csv``, ``txt``).
        """
        known = extensions_for(self.mime_type())
        given = self._client_name.rsplit(".", 1)[-1].lower() if "." in self._client_name else ""
        if given and given in known:
            return given
        return known[0] if known else "bin"

    def hash_name(self) -> str:
        """A fresh random file name with the contents' extension (Laravel's ``hashName``)."""
        return f"{secrets.token_hex(20)}.{self.extension()}"

    async def store(
        self, directory: str = "", *, disk: str | None = None, visibility: Visibility | None = None
    ) -> str:
        """Stream the file to ``directory`` on ``disk`` under a random name; returns its path."""
        return await self.store_as(directory, self.hash_name(), disk=disk, visibility=visibility)

    async def store_as(
        self,
        directory: str,
        name: str,
        *,
        disk: str | None = None,
        visibility: Visibility | None = None,
    ) -> str:
        """Stream the file to ``directory/name`` on ``disk``; returns its path.

        Raises:
            UnsafePathError: ``directory`` or ``name`` would leave the disk.
        """
        path = join(directory, name)
        return await _Storage.disk(disk).put_file(path, self.binary(), visibility=visibility)

    async def store_publicly(self, directory: str = "", *, disk: str | None = None) -> str:
        """:meth:`store` with ``public`` visibility."""
        return await self.store(directory, disk=disk, visibility="public")

    def close(self) -> None:
        """Delete the temporary file (done for you once the request is answered)."""
        self._file.close()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Only a file part of a multipart form is a file: a string in JSON is not.
        def check(value: object) -> UploadedFile:
            if isinstance(value, UploadedFile):
                return value
            raise PydanticCustomError("file", "The field must be a file.")

        return core_schema.no_info_plain_validator_function(
            check,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialize, info_arg=True
            ),
        )
