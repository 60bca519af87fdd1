"""The framework's test application (Laravel's Orchestra Testbench).

The framework's tests (``tests/foundry``) run against this small application instead of the
project's own ``app``: its config package (``config/``, chosen with ``APP_CONFIG_PACKAGE`` by
``tests/foundry/conftest.py``), its ``User`` and ``UserFactory``, its providers, its route files
(the framework's route groups and a user listing) and its one migration (``users``, the base of
the ``app`` branch the framework's migrations depend on). Nothing here imports the project's
``app``, ``routes``, ``config`` or ``database``, so an application can grow without touching a
framework test.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CONFIG_PACKAGE", "MIGRATIONS_PATH"]

#: What ``APP_CONFIG_PACKAGE`` names to run the framework against this application.
CONFIG_PACKAGE = "tests.foundry.testbench.config"
#: The test application's own revisions (``DB_MIGRATIONS_PATH``).
MIGRATIONS_PATH = Path(__file__).parent / "migrations" / "versions"
