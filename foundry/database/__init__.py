"""The database layer: ``Base``, ``Model`` and mixins, scopes, observers, sessions, seeding.

Migrations live in :mod:`foundry.database.migrator` and the provider in
:mod:`foundry.database.provider`; they are not imported here, so code that only needs a
session does not load alembic.
"""

from foundry.database.base import (
    NAMING_CONVENTION,
    Base,
    SoftDeletesMixin,
    TimestampsMixin,
    UuidPrimaryKeyMixin,
)
from foundry.database.facades import Observers, Session, observe
from foundry.database.manager import DatabaseManager, DatabaseUnavailableError
from foundry.database.mass_assignment import FillsAttributes, MassAssignmentError
from foundry.database.model import Model
from foundry.database.observers import OBSERVER_EVENTS, ObserverRegistry
from foundry.database.scopes import (
    WITHOUT_GLOBAL_SCOPES,
    GlobalScope,
    HasScopes,
    global_scopes_of,
    scope,
    without_global_scopes,
)
from foundry.database.seeding import Seeder, run_seeder
from foundry.database.serialization import SerializesAttributes
from foundry.database.session import AfterCommitCallback, DatabaseSession
from foundry.database.soft_deletes import SOFT_DELETES_SCOPE, SoftDeletes
from foundry.database.transactions import after_commit, current_session, defer_until_commit
from foundry.database.types import UtcDateTime, utcnow, uuid7

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
    "Observers",
    "Session",
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
