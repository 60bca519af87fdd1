"""Notification fixtures: the test app on a migrated database, mail kept in memory."""

from __future__ import annotations

import pytest

from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.notifications.samples import Outbox


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app on this test's database, with the ``array`` mailer."""
    return make_application(DATABASE_URL=database_url, MAIL_MAILER="array")


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    """Each test starts with an empty outbox that works."""
    Outbox.delivered.clear()
    Outbox.failures_left[0] = 0
