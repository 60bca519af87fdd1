"""The database layer: models' ``Base`` and mixins, sessions, after-commit hooks, seeding.

Migrations live in :mod:`app.support.database.migrator` and the provider in
:mod:`app.support.database.provider`; they are not imported here, so code that only needs a
session does not load alembic.
"""

from app.support.database.base import (
    NAMING_CONVENTION,
    Base,
    SoftDeletesMixin,
    TimestampsMixin,
    UuidPrimaryKeyMixin,
)
from app.support.database.manager import DatabaseManager, DatabaseUnavailableError
from app.support.database.seeding import Seeder, run_seeder
from app.support.database.session import AfterCommitCallback, DatabaseSession
from app.support.database.transactions import after_commit, current_session, defer_until_commit
from app.support.database.types import UtcDateTime, utcnow, uuid7

__all__ = [
    "NAMING_CONVENTION",
    "AfterCommitCallback",
    "Base",
    "DatabaseManager",
    "DatabaseSession",
    "DatabaseUnavailableError",
    "Seeder",
    "SoftDeletesMixin",
    "TimestampsMixin",
    "UtcDateTime",
    "UuidPrimaryKeyMixin",
    "after_commit",
    "current_session",
    "defer_until_commit",
    "run_seeder",
    "utcnow",
    "uuid7",
]
