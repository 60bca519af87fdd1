"""Seeders: classes that fill the database with records, run by ``artisan db:seed``.

A seeder writes through ``self.session`` and may call other seeders; :func:`run_seeder` runs
one (by default ``database.seeders.database_seeder.DatabaseSeeder``) and commits once at the
end, so a failing seeder leaves the database as it was::

    class UserSeeder(Seeder):
        async def run(self) -> None:
            self.session.add(User(name="Admin", email="admin@example.com"))
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "DEFAULT_SEEDER",
    "Reporter",
    "Seeder",
    "SeederNotFoundError",
    "load_seeder",
    "run_seeder",
]

DEFAULT_SEEDER = "database.seeders.database_seeder.DatabaseSeeder"

#: Told the name of each seeder as it starts (a progress bar or a log line).
Reporter = Callable[[str], None]


class SeederNotFoundError(LookupError):
    """The seeder's dotted path does not name a ``Seeder`` subclass."""


class Seeder(ABC):
    """Subclass and implement :meth:`run`."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        reporter: Reporter | None = None,
        ran: list[str] | None = None,
    ) -> None:
        self.session = session
        self._reporter = reporter
        self._ran: list[str] = [] if ran is None else ran

    @abstractmethod
    async def run(self) -> None:
        """Write this seeder's records through ``self.session`` (do not commit)."""

    async def call(self, *seeders: type[Seeder]) -> None:
        """Run other seeders in order, on the same session, reporting each."""
        for seeder_class in seeders:
            await seeder_class(self.session, reporter=self._reporter, ran=self._ran)()

    async def __call__(self) -> None:
        """Report this seeder, then run it."""
        name = type(self).__name__
        self._ran.append(name)
        if self._reporter is not None:
            self._reporter(name)
        await self.run()


def load_seeder(class_path: str) -> type[Seeder]:
    """The seeder class at ``class_path`` (``"package.module.ClassName"``)."""
    module_name, _, attr = class_path.rpartition(".")
    if not module_name:
        raise SeederNotFoundError(f"{class_path!r} is not a dotted path such as {DEFAULT_SEEDER}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise SeederNotFoundError(f"no module {module_name!r} for seeder {attr}") from exc
        raise
    found = getattr(module, attr, None)
    if not (isinstance(found, type) and issubclass(found, Seeder)):
        raise SeederNotFoundError(f"{class_path} is not a Seeder subclass")
    return found


async def run_seeder(
    class_path: str = DEFAULT_SEEDER,
    *,
    session: AsyncSession,
    reporter: Reporter | None = None,
) -> list[str]:
    """Run the seeder at ``class_path`` and everything it calls, then commit.

    Returns the names of the seeders that ran, in the order they started. On an error the
    session is rolled back and the error propagates.
    """
    seeder_class = load_seeder(class_path)
    ran: list[str] = []
    try:
        await seeder_class(session, reporter=reporter, ran=ran)()
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return ran
