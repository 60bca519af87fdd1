"""Migrate once per process, as Laravel's ``RefreshDatabase`` does.

Running every migration through alembic costs about 0.1 s a database, and even finding nothing
to do takes alembic most of that; a suite that gives each test a database of its own pays it per
test. So, per set of migrations:

* :func:`migrate_sqlite_file` migrates one template SQLite database and copies it (SQLite's
  backup API, so the copy is consistent) into each new, empty file;
* :func:`remember_head` records the revisions a fully migrated database is at, and
  :func:`at_head` lets a database already there (a PostgreSQL clone of a migrated template)
  skip alembic after one cheap query.

A set of migrations is keyed by everything they depend on: the folders they are read from, the
names, sizes and modification times of the files there, and the database settings other than
the URL. Editing or adding a migration starts afresh. A database file that already holds
anything is migrated through alembic as before.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from foundry.config.database import DatabaseSettings

__all__ = [
    "MigrationsKey",
    "at_head",
    "empty_sqlite_file",
    "migrate_sqlite_file",
    "migrations_key",
    "remember_head",
]

_lock = threading.Lock()
MigrationsKey = tuple[object, ...]

_templates: dict[MigrationsKey, tuple[Path, list[str]]] = {}
_heads: dict[MigrationsKey, tuple[str, ...]] = {}
_folder: Path | None = None


def empty_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url`` when it is missing or empty (a database to create), else
    ``None`` (not SQLite, in memory, or already holding data)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or parsed.query.get("mode") == "memory":
        return None
    path = Path(database)
    if path.exists() and path.stat().st_size > 0:
        return None
    if Path(f"{database}-wal").exists() or Path(f"{database}-journal").exists():
        return None
    return path


def remember_head(key: MigrationsKey, revisions: tuple[str, ...]) -> None:
    """Record that a database these migrations fully migrated is at ``revisions``."""
    _heads[key] = revisions


def at_head(key: MigrationsKey, current: Callable[[], tuple[str, ...]]) -> bool:
    """Whether ``current()`` (a database's revisions) shows every one of these migrations
    applied; ``False`` without asking when no database was fully migrated with them yet."""
    head = _heads.get(key)
    return head is not None and current() == head


def migrate_sqlite_file(
    target: Path, url: str, key: MigrationsKey, migrate: Callable[[str], list[str]]
) -> list[str]:
    """Fill the empty SQLite file ``target`` (at ``url``) with a migrated database.

    ``migrate(url)`` runs the migrations on a database URL and returns the revisions applied:
    it builds the template the first time these migrations are seen. Returns what it returned.
    Blocking: call it from a worker thread.
    """
    with _lock:
        template = _templates.get(key)
        if template is None:
            path = _template_folder() / f"template-{len(_templates)}.sqlite"
            template_url = (
                make_url(url).set(database=str(path)).render_as_string(hide_password=False)
            )
            template = (path, migrate(template_url))
            _templates[key] = template
    path, applied = template
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return list(applied)


def migrations_key(
    version_locations: tuple[Path, ...], settings: DatabaseSettings
) -> MigrationsKey:
    """What a migrated database depends on: the migration files and the database settings."""
    files: list[tuple[str, int, int]] = []
    for folder in version_locations:
        if folder.is_dir():
            for entry in sorted(folder.iterdir()):
                if entry.suffix == ".py":
                    stat = entry.stat()
                    files.append((str(entry.resolve()), stat.st_size, stat.st_mtime_ns))
    return (
        tuple(str(folder.resolve()) for folder in version_locations),
        tuple(files),
        settings.model_dump_json(exclude={"url"}),
    )


def _template_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="foundry-migrated-"))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder
