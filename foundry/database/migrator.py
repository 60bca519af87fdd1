"""``Migrator``: Laravel's migrate commands over alembic, with alembic's config built in code.

The migration scripts live in ``database/migrations/versions`` (``env.py`` and the file template
next to them). Every method is synchronous and prints nothing: the artisan commands format the
results. Methods work from inside a running event loop too (the async work then runs on a
helper thread), so async tests and commands can call them.
"""

from __future__ import annotations

import importlib.util
import io
import logging
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from foundry.config.base import BASE_PATH
from foundry.config.database import DatabaseSettings
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine
from foundry.database.schema import drop_all_tables

__all__ = ["MIGRATIONS_PATH", "MigrationError", "MigrationStatus", "Migrator"]

#: ``env.py`` and ``script.py.mako``; revisions go to ``versions/`` below it by default.
MIGRATIONS_PATH = BASE_PATH / "database" / "migrations"

#: Laravel-style file names: ``2025_01_31_142500_create_users_table.py``.
FILE_TEMPLATE = "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d%(second).2d_%(slug)s"


class MigrationError(RuntimeError):
    """A migration command could not run (unknown revision, several heads, a bad script...)."""


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """One revision and whether the database has it."""

    revision: str
    description: str
    applied: bool


class Migrator:
    """Run, roll back and create migrations for one database.

    Args:
        url: the database (default: ``DATABASE_URL``).
        versions_path: where revision files live (default: ``database/migrations/versions``).
        metadata: the models autogenerate compares against (default: ``Base.metadata`` after
            importing the app's models).
        settings: the database settings for engine options (default: read from the
            environment).
        format_files: run isort and black (when installed) over new revision files, so they
            pass ``make format-check`` as written.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        versions_path: Path | None = None,
        metadata: MetaData | None = None,
        settings: DatabaseSettings | None = None,
        format_files: bool = True,
    ) -> None:
        self.settings = settings or DatabaseSettings.load()
        self.url = url or self.settings.url
        self.versions_path = versions_path or MIGRATIONS_PATH / "versions"
        self.metadata = metadata
        self.format_files = format_files

    # -- commands -----------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> list[str]:
        """Apply migrations up to ``revision``; returns the revisions applied, in order."""
        applied: list[str] = []
        with self._running() as cfg:
            cfg.attributes["applied"] = applied
            command.upgrade(cfg, revision)
        return applied

    def rollback(self, steps: int = 1) -> list[str]:
        """Undo the last ``steps`` migrations; returns the revisions undone, newest first."""
        if steps < 1:
            raise ValueError("steps must be at least 1")
        applied_count = sum(1 for status in self.status() if status.applied)
        if applied_count == 0:
            return []
        target = "base" if steps >= applied_count else f"-{steps}"
        undone: list[str] = []
        with self._running() as cfg:
            cfg.attributes["applied"] = undone
            command.downgrade(cfg, target)
        return undone

    def fresh(self) -> list[str]:
        """Drop every table (``alembic_version`` too), then apply every migration."""
        self.wipe()
        return self.upgrade()

    def wipe(self) -> list[str]:
        """Drop every table, view-free and type-free (Laravel's ``db:wipe``); returns names."""

        async def work() -> list[str]:
            engine = create_engine(self.settings, url=self.url, pooled=False, foreign_keys=False)
            try:
                async with engine.begin() as connection:
                    return await connection.run_sync(drop_all_tables)
            finally:
                await engine.dispose()

        return run_blocking(work)

    def status(self) -> list[MigrationStatus]:
        """Every revision, oldest first, and whether it is applied."""
        with self._running() as cfg:
            script = ScriptDirectory.from_config(cfg)
            scripts = list(reversed(list(script.walk_revisions())))
            heads = self.current()
            applied = (
                {rev.revision for rev in script.iterate_revisions(heads, "base")}
                if heads
                else set()
            )
        return [
            MigrationStatus(rev.revision, _description(rev), rev.revision in applied)
            for rev in scripts
        ]

    def current(self) -> tuple[str, ...]:
        """The revisions the database is at (empty when nothing is applied)."""

        def heads(connection: Connection) -> tuple[str, ...]:
            return MigrationContext.configure(connection).get_current_heads()

        async def work() -> tuple[str, ...]:
            engine = create_engine(self.settings, url=self.url, pooled=False, foreign_keys=False)
            try:
                async with engine.connect() as connection:
                    return await connection.run_sync(heads)
            finally:
                await engine.dispose()

        return run_blocking(work)

    def make(self, message: str, *, autogenerate: bool = False) -> Path:
        """Write a new revision file and return its path.

        With ``autogenerate`` the file holds the operations that bring the database (which
        must be migrated to head) in line with the models.
        """
        if not message.strip():
            raise ValueError("a migration needs a message, e.g. 'create posts table'")
        self.versions_path.mkdir(parents=True, exist_ok=True)
        # Alembic announces its post-write hooks on stdout even when told to be quiet.
        with self._running() as cfg, redirect_stdout(io.StringIO()):
            created = command.revision(cfg, message=message, autogenerate=autogenerate)
        scripts = created if isinstance(created, list) else [created]
        for script in scripts:
            if script is not None:
                return Path(script.path)
        raise MigrationError("alembic did not write a revision file")

    # -- configuration ------------------------------------------------------------------------

    def config(self) -> Config:
        """The alembic ``Config`` these commands use (quiet: nothing goes to stdout)."""
        cfg = Config(cmd_opts=Namespace(quiet=True))
        cfg.set_main_option("script_location", _escape(MIGRATIONS_PATH))
        cfg.set_main_option("version_locations", _escape(self.versions_path))
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option("file_template", FILE_TEMPLATE.replace("%", "%%"))
        cfg.set_main_option("truncate_slug_length", "60")
        cfg.set_main_option("timezone", "UTC")
        if self.format_files:
            _add_format_hooks(cfg)
        cfg.attributes["url"] = self.url
        cfg.attributes["settings"] = self.settings
        if self.metadata is not None:
            cfg.attributes["metadata"] = self.metadata
        return cfg

    @contextmanager
    def _running(self) -> Iterator[Config]:
        alembic_logger = logging.getLogger("alembic")
        level = alembic_logger.level
        alembic_logger.setLevel(logging.WARNING)  # "Running upgrade ..." is the caller's to say
        try:
            yield self.config()
        except CommandError as exc:
            raise MigrationError(str(exc)) from exc
        finally:
            alembic_logger.setLevel(level)


def _description(script: Script) -> str:
    return script.doc.strip() or script.revision


def _escape(path: Path) -> str:
    # Config values go through ConfigParser interpolation.
    return str(path).replace("%", "%%")


def _add_format_hooks(cfg: Config) -> None:
    """Format new revision files with isort and black when they are installed (dev installs)."""
    hooks = [name for name in ("isort", "black") if importlib.util.find_spec(name) is not None]
    if not hooks:
        return
    cfg.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
    for name in hooks:
        cfg.set_section_option("post_write_hooks", f"{name}.type", "console_scripts")
        cfg.set_section_option("post_write_hooks", f"{name}.entrypoint", name)
        cfg.set_section_option("post_write_hooks", f"{name}.options", "-q REVISION_SCRIPT_FILENAME")
