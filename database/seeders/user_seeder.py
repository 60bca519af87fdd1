"""``UserSeeder``: the admin account and ten demo users, safe to run again.

Log in as ``admin@example.com`` with the password in ``SEED_ADMIN_PASSWORD`` (default
``"password"``), or as ``demo1@example.com`` .. ``demo10@example.com`` with ``"password"``.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Final

from app.models.user import User
from database.factories.user_factory import (
    DEFAULT_PASSWORD,
    UserFactory,
    default_password_hash,
    hash_password,
)
from foundry.auth.authenticatable import normalize_email
from foundry.database.seeding import Seeder

__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_NAME",
    "ADMIN_PASSWORD_ENV",
    "DEMO_USERS",
    "UserSeeder",
    "demo_email",
]

ADMIN_EMAIL: Final = "admin@example.com"
ADMIN_NAME: Final = "Admin"
#: The environment variable holding the admin's password (``"password"`` when unset).
ADMIN_PASSWORD_ENV: Final = "SEED_ADMIN_PASSWORD"
#: How many demo users the seeder keeps.
DEMO_USERS: Final = 10
# Fixed, so that a second run makes the same names as the first (and the diff stays quiet).
_DEMO_SEED: Final = 20260101


def demo_email(number: int) -> str:
    """The address of demo user ``number`` (1-based): ``demo3@example.com``."""
    return f"demo{number}@example.com"


class UserSeeder(Seeder):
    """Creates whichever of the admin and the demo users are missing; existing rows are kept.

    Soft-deleted users count as existing (their email stays taken), so a run never fails on
    the unique email, and an admin whose password was changed keeps it.
    """

    async def run(self) -> None:
        wanted = [ADMIN_EMAIL, *(demo_email(n) for n in range(1, DEMO_USERS + 1))]
        found = await self.session.scalars(
            User.with_trashed().where(User.email.in_([normalize_email(e) for e in wanted]))
        )
        existing = {user.email for user in found}
        if ADMIN_EMAIL not in existing:
            self.session.add(
                User(
                    name=ADMIN_NAME,
                    email=ADMIN_EMAIL,
                    password=await _admin_password_hash(),
                    email_verified_at=datetime.now(UTC),
                )
            )
        missing = [n for n in range(1, DEMO_USERS + 1) if demo_email(n) not in existing]
        if missing:
            await (
                UserFactory.new()
                .seed(_DEMO_SEED)
                .count(len(missing))
                .sequence(*({"email": demo_email(n)} for n in missing))
                .create_many(self.session)
            )
        await self.session.flush()


async def _admin_password_hash() -> str:
    password = os.environ.get(ADMIN_PASSWORD_ENV) or DEFAULT_PASSWORD
    if password == DEFAULT_PASSWORD:
        return default_password_hash()
    # argon2 costs tens of milliseconds of CPU: keep it off the event loop.
    return await asyncio.to_thread(hash_password, password)
