"""The database layer: ``Base``, ``Model`` and mixins, scopes, observers, sessions, seeding.

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
from app.support.database.mass_assignment import FillsAttributes, MassAssignmentError
from app.support.database.model import Model
from app.support.database.observers import OBSERVER_EVENTS, ObserverRegistry, observe
from app.support.database.scopes import (
    WITHOUT_GLOBAL_SCOPES,
    GlobalScope,
    HasScopes,
    global_scopes_of,
    scope,
    without_global_scopes,
)
from app.support.database.seeding import Seeder, run_seeder
from app.support.database.serialization import SerializesAttributes
from app.support.database.session import AfterCommitCallback, DatabaseSession
from app.support.database.soft_deletes import SOFT_DELETES_SCOPE, SoftDeletes
from app.support.database.transactions import after_commit, current_session, defer_until_commit
from app.support.database.types import UtcDateTime, utcnow, uuid7

__all__ = [
    "NAMING_CONVENTION",
    "OBSERVER_EVENTS",
    "SOFT_DELETES_SCOPE",
    "WITHOUT_GLOBAL_SCOPES",
    "AfterCommitCallback",
    "Base",
    "DatabaseManager",
    "DatabaseSession",
    "DatabaseUnavailableError",
    "FillsAttributes",
    "GlobalScope",
    "HasScopes",
    "MassAssignmentError",
    "Model",
    "ObserverRegistry",
    "Seeder",
    "SerializesAttributes",
    "SoftDeletes",
    "SoftDeletesMixin",
    "TimestampsMixin",
    "UtcDateTime",
    "UuidPrimaryKeyMixin",
    "after_commit",
    "current_session",
    "defer_until_commit",
    "global_scopes_of",
    "observe",
    "run_seeder",
    "scope",
    "utcnow",
    "uuid7",
    "without_global_scopes",
]
