"""The application's ``DatabaseSeeder``: what ``make db-seed`` and ``make dev`` run."""

from __future__ import annotations

from database.seeders.database_seeder import DatabaseSeeder
from database.seeders.role_seeder import RoleSeeder
from database.seeders.user_seeder import UserSeeder


def test_the_database_seeder_seeds_users_before_their_roles() -> None:
    seeders = list(DatabaseSeeder.seeders)

    assert UserSeeder in seeders and RoleSeeder in seeders
    assert seeders.index(UserSeeder) < seeders.index(RoleSeeder)
