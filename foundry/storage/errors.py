"""What the storage battery raises: the client's mistakes are HTTP errors (a 4xx in a request)."""

from __future__ import annotations

from foundry.kernel.errors import BadRequestError, ConflictError, NotFoundError
from foundry.kernel.outages import ServiceUnavailableError

__all__ = [
    "PathConflictError",
    "StorageError",
    "StorageUnavailableError",
    "UnknownDiskError",
    "UnsafePathError",
    "FileNotFoundInStorageError",
]


class StorageError(Exception):
    """A disk failed (the server refused the request, the bucket is missing...): a server error."""


class StorageUnavailableError(StorageError, ServiceUnavailableError):
    """503: the disk's server could not be reached, timed out or answered 5xx; try again shortly.

    An outage like the database's or Redis's, not a bug: the client gets the 503 shape with
    ``Retry-After``, and the server's address and error stay out of the answer (they are in the
    exception this is raised from).
    """

    error = "storage_unavailable"
    default_message = "File storage is temporarily unavailable. Please try again shortly."

    def __init__(self) -> None:
        ServiceUnavailableError.__init__(self)


class PathConflictError(StorageError, ConflictError):
    """409: a local disk cannot write there: a directory holds that path, or a file holds one of
    its parent directories (``a`` is a file and ``a/b`` is asked for)."""

    error = "path_conflict"
    default_message = "A file or directory already holds that path."


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
