"""The alembic environment; revision files live in ``versions/``."""
