"""The application's root seeder: ``artisan db:seed`` (and ``make dev``) run it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from database.seeders.role_seeder import RoleSeeder
from database.seeders.user_seeder import UserSeeder
from foundry.database.seeding import Seeder

__all__ = ["DatabaseSeeder"]


class DatabaseSeeder(Seeder):
    """Calls the application's seeders in order.

    Add a seeder by writing it in ``database/seeders/`` and listing its class in ``seeders``;
    order matters when one seeder's records point at another's.
    """

    seeders: ClassVar[Sequence[type[Seeder]]] = (UserSeeder, RoleSeeder)

    async def run(self) -> None:
        await self.call(*self.seeders)
