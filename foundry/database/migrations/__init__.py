"""The framework's migrations: the alembic environment (``env.py``) and revision template every
migration runs with, and the framework's own revisions in ``versions/`` (branch ``foundry``)."""
