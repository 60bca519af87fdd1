"""What the storage battery raises: the client's mistakes are HTTP errors (a 4xx in a request)."""

from __future__ import annotations

from foundry.kernel.errors import BadRequestError, NotFoundError

__all__ = ["StorageError", "UnknownDiskError", "UnsafePathError", "FileNotFoundInStorageError"]


class StorageError(Exception):
    """A disk failed (the server refused the request, the bucket is missing...): a server error."""


class UnknownDiskError(LookupError):
    """No disk has that name (a configuration mistake, not the client's)."""


class UnsafePathError(BadRequestError):
    """A path leaving the disk's root (``../``), absolute, or holding a NUL byte."""

    error = "unsafe_path"
    default_message = "The file path is not allowed."


class FileNotFoundInStorageError(NotFoundError):
    """The disk has no file at that path."""

    error = "file_not_found"
    default_message = "File not found."
