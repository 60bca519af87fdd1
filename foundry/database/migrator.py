"""``Migrator``: Laravel's migrate commands over alembic, with alembic's config built in code.

Two sets of revisions share one ``alembic_version`` table, as alembic's branches:

* the framework's, shipped in ``foundry/database/migrations/versions`` (branch ``foundry``:
  tokens, roles and permissions, OAuth2, queue tables), next to the ``env.py`` and the revision
  template every migration runs with;
* the application's, in ``DB_MIGRATIONS_PATH`` (``database/migrations/versions``; branch ``app``,
  whose base revision creates ``users``).

The framework's tables reference ``users.id``, so its first revision ``depends_on`` the revision
labelled ``app``; a revision ``make`` writes depends on the framework's heads of the day, so an
application table may reference a framework one. ``upgrade`` runs every head in that order.
Every method is synchronous and prints nothing: the artisan commands format the results.
Methods work from inside a running event loop too (the async work then runs on a helper
thread), so async tests and commands can call them.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import os
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

from foundry.config.database import DatabaseSettings
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine
from foundry.database.schema import drop_all_tables
from foundry.database.table_migration import RevisionCode
from foundry.kernel.config import settings as configured

__all__ = [
    "APP_BRANCH",
    "FRAMEWORK_MIGRATIONS_PATH",
    "FRAMEWORK_VERSIONS_PATH",
    "MigrationError",
    "MigrationStatus",
    "Migrator",
]

#: The framework's ``env.py`` and ``script.py.mako``, with its own revisions in ``versions/``.
FRAMEWORK_MIGRATIONS_PATH = Path(__file__).parent / "migrations"
FRAMEWORK_VERSIONS_PATH = FRAMEWORK_MIGRATIONS_PATH / "versions"
#: The label of the application's revisions (the framework's are ``foundry``): its base creates
#: ``users``, which the framework's first revision depends on.
APP_BRANCH = "app"

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
        versions_path: a folder of revisions to run on their own, instead of the framework's and
            the application's (Laravel's ``migrate --path``); ``make`` writes there too.
        metadata: the models autogenerate compares against (default: ``Base.metadata`` after
            importing the app's models).
        settings: the database settings: engine options, ``DB_MIGRATIONS_PATH`` (default: the
            running application's).
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
        self.settings = settings or configured(DatabaseSettings)
        self.url = url or self.settings.url
        #: Where ``make`` writes new revisions.
        self.versions_path = versions_path or self.settings.migrations_path
        #: Every folder whose revisions run, the framework's first.
        self.version_locations: tuple[Path, ...] = (
            (versions_path,) if versions_path else (FRAMEWORK_VERSIONS_PATH, self.versions_path)
        )
        self.metadata = metadata
        self.format_files = format_files

    # -- commands -----------------------------------------------------------------------------

    def upgrade(self, revision: str = "heads") -> list[str]:
        """Apply migrations up to ``revision`` (every branch's head by default); returns the
        revisions applied, in order."""
        applied: list[str] = []
        with self._running() as cfg:
            cfg.attributes["applied"] = applied
            command.upgrade(cfg, revision)
        return applied

    def rollback(self, steps: int = 1) -> list[str]:
        """Undo the last ``steps`` migrations; returns the revisions undone, newest first.

        "Last" is the order ``upgrade`` runs them in: a revision is undone only after every
        revision built on it or depending on it, whichever branch it is on.
        """
        if steps < 1:
            raise ValueError("steps must be at least 1")
        applied = self._applied_newest_first()
        if not applied:
            return []
        undone: list[str] = []
        with self._running() as cfg:
            cfg.attributes["applied"] = undone
            if steps >= len(applied):
                command.downgrade(cfg, "base")
            else:
                for revision in applied[:steps]:
                    # Newest first, so the revision is a head: `@-1` steps down its own branch
                    # only (a plain `-1` is ambiguous with several heads).
                    command.downgrade(cfg, f"{revision}@-1")
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
            scripts = list(reversed(list(ScriptDirectory.from_config(cfg).walk_revisions())))
        applied = set(self._applied_newest_first())
        return [
            MigrationStatus(rev.revision, _description(rev), rev.revision in applied)
            for rev in scripts
        ]

    def _applied_newest_first(self) -> list[str]:
        """The applied revisions, each after everything built on it or depending on it."""
        heads = self.current()
        if not heads:
            return []
        with self._running() as cfg:
            script = ScriptDirectory.from_config(cfg)
            return [rev.revision for rev in script.iterate_revisions(heads, "base")]

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

    def make(
        self, message: str, *, autogenerate: bool = False, code: RevisionCode | None = None
    ) -> Path:
        """Write a new revision file and return its path.

        With ``autogenerate`` the file holds the operations that bring the database (which
        must be migrated to head) in line with the models; with ``code`` it holds that code
        (``make:model -m`` passes a model's ``create_table``: no database needed).
        """
        if not message.strip():
            raise ValueError("a migration needs a message, e.g. 'create posts table'")
        self.versions_path.mkdir(parents=True, exist_ok=True)
        # Alembic announces its post-write hooks on stdout even when told to be quiet.
        with self._running() as cfg, redirect_stdout(io.StringIO()):
            if code is not None:  # read by script.py.mako
                cfg.attributes["upgrades"] = code.upgrade
                cfg.attributes["downgrades"] = code.downgrade
            head, depends_on = self._parents(ScriptDirectory.from_config(cfg))
            created = command.revision(
                cfg,
                message=message,
                autogenerate=autogenerate,
                head=head,
                depends_on=depends_on,  # type: ignore[arg-type]  # a list works too (to_list)
                version_path=str(self.versions_path),
            )
        scripts = created if isinstance(created, list) else [created]
        for script in scripts:
            if script is not None:
                return Path(script.path)
        raise MigrationError("alembic did not write a revision file")

    def _parents(self, script: ScriptDirectory) -> tuple[str, list[str] | None]:
        """A new revision's parent (the newest of ``versions_path``'s revisions, or a new base)
        and its dependencies: the other folders' heads, so that its tables may reference theirs.
        """

        def below(revision: str) -> set[str]:
            """What ``revision`` stands on, dependencies included."""
            return {r.revision for r in script.iterate_revisions(revision, "base")} - {revision}

        folder = self.versions_path.resolve()
        heads = script.get_heads()
        ours = [h for h in heads if _folder_of(script, h) == folder]
        # A head of ours that another one stands on is not one to build on: in a project whose
        # revisions once followed the framework's, the base (users) is a head only by alembic's
        # count, since the framework's revisions merely depend on it.
        ours = [h for h in ours if not any(h in below(other) for other in ours if other != h)]
        if len(ours) > 1:
            raise MigrationError(
                f"{folder} has several heads ({', '.join(sorted(ours))}): merge them first "
                "(alembic merge)"
            )
        parent = ours[0] if ours else "base"
        covered = below(parent) if ours else set()
        theirs = sorted(h for h in heads if h not in covered and _folder_of(script, h) != folder)
        return parent, theirs or None

    # -- configuration ------------------------------------------------------------------------

    def config(self) -> Config:
        """The alembic ``Config`` these commands use (quiet: nothing goes to stdout)."""
        cfg = Config(cmd_opts=Namespace(quiet=True))
        cfg.set_main_option("script_location", _escape(FRAMEWORK_MIGRATIONS_PATH))
        cfg.set_main_option(
            "version_locations", os.pathsep.join(_escape(path) for path in self.version_locations)
        )
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
        self._refuse_copies_of_the_frameworks()
        alembic_logger = logging.getLogger("alembic")
        level = alembic_logger.level
        alembic_logger.setLevel(logging.WARNING)  # "Running upgrade ..." is the caller's to say
        try:
            yield self.config()
        except CommandError as exc:
            raise MigrationError(str(exc)) from exc
        except KeyError as exc:
            # alembic's own words for an unknown depends_on are a bare KeyError.
            if exc.args != (APP_BRANCH,):
                raise
            raise MigrationError(
                f"no migration in {self.versions_path} is labelled {APP_BRANCH!r}: the "
                "framework's migrations depend on the one creating the users table; give it "
                f'branch_labels = ("{APP_BRANCH}",) (see docs/upgrading.md)'
            ) from exc
        finally:
            alembic_logger.setLevel(level)

    def _refuse_copies_of_the_frameworks(self) -> None:
        """Projects made before the framework's migrations moved hold copies of them; the same
        revision twice makes alembic fail with an error that does not say why."""
        if FRAMEWORK_VERSIONS_PATH not in self.version_locations or not self.versions_path.is_dir():
            return
        ours = {path.name for path in FRAMEWORK_VERSIONS_PATH.glob("*.py")}
        copies = sorted(path.name for path in self.versions_path.glob("*.py") if path.name in ours)
        if copies:
            raise MigrationError(
                f"{self.versions_path} holds the framework's own migrations "
                f"({', '.join(copies)}): they ship with foundry now; delete them there "
                "(see docs/upgrading.md)"
            )


def _folder_of(script: ScriptDirectory, revision: str) -> Path:
    found = script.get_revision(revision)
    assert found is not None
    return Path(found.path).resolve().parent


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
