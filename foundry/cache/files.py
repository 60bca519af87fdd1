"""Filesystem helpers of the file store: atomic writes, a cross-process guard, tree removal."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from foundry.cache.errors import CacheError

__all__ = ["atomic_write", "guarded", "read_text", "remove_tree", "unlink_if_same"]


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old content or the new, never a mix.

    The text goes to a temporary file beside ``path`` and is renamed over it (``os.replace`` is
    atomic on POSIX and Windows). A concurrent ``flush`` may remove the directory between the
    ``mkdir`` and the write; one retry recreates it.
    """
    for attempt in (1, 2):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            with open(tmp, "x", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
            return
        except FileNotFoundError:
            if attempt == 2:
                raise
        finally:
            tmp.unlink(missing_ok=True)


def read_text(path: Path) -> tuple[str, int] | None:
    """The content of ``path`` and its inode number, or ``None`` when there is no such file."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(), os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return None


def unlink_if_same(path: Path, inode: int) -> None:
    """Remove ``path`` unless another process replaced it since we read inode ``inode``."""
    try:
        if os.stat(path).st_ino == inode:
            path.unlink(missing_ok=True)
    except FileNotFoundError:
        pass


def remove_tree(root: Path) -> None:
    """Remove ``root`` and everything under it; files that vanish meanwhile are no error."""
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            Path(dirpath, name).unlink(missing_ok=True)
        for name in dirnames:
            _rmdir(Path(dirpath, name))
    _rmdir(root)


def _rmdir(path: Path) -> None:
    try:
        path.rmdir()
    except FileNotFoundError:
        pass
    except OSError as exc:
        # A concurrent write landed in it after the walk: that entry outlives the flush.
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise


@contextmanager
def guarded(path: Path, timeout: float) -> Iterator[None]:
    """A short cross-process critical section (an OS file lock on ``path``).

    It makes ``add``, ``increment`` and the cache locks atomic between every process and thread
    that shares the cache directory; it is held for microseconds, never across an ``await``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise CacheError(f"the file cache guard {path} stayed busy for {timeout} s") from exc
    try:
        yield
    finally:
        lock.release()
