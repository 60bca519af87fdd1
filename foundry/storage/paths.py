"""Paths on a disk: relative, ``/``-separated, never leaving the disk's root.

Every disk operation goes through :func:`clean_path`, so ``../../etc/passwd`` or ``/etc/passwd``
reaching ``Storage.get`` from user input is refused instead of read.
"""

from __future__ import annotations

import posixpath

from foundry.storage.errors import UnsafePathError

__all__ = ["clean_directory", "clean_path", "join"]


def _segments(path: str) -> list[str]:
    if "\x00" in path or "\\" in path:
        # A NUL byte truncates the path in C; a backslash is a separator on Windows.
        raise UnsafePathError(f"The path {path!r} holds a forbidden character.")
    if path.startswith("/"):
        raise UnsafePathError(f"The path {path!r} is absolute; disk paths are relative.")
    segments = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in segments:
        raise UnsafePathError(f"The path {path!r} leaves the disk.")
    return segments


def clean_path(path: str) -> str:
    """``path`` normalised (``a//b/./c`` -> ``a/b/c``); refuses one that names no file.

    Raises:
        UnsafePathError: the path is absolute, climbs with ``..``, holds a NUL byte or a
            backslash, or is empty.
    """
    segments = _segments(path)
    if not segments:
        raise UnsafePathError("The path is empty.")
    return "/".join(segments)


def clean_directory(path: str) -> str:
    """A directory path normalised; ``""`` (or ``"/"``-free empties) is the disk's root."""
    return "/".join(_segments(path))


def join(directory: str, name: str) -> str:
    """``directory/name`` for a file stored under ``directory`` (which may be the root)."""
    return clean_path(posixpath.join(clean_directory(directory), name))
