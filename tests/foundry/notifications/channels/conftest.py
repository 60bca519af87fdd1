"""Fixtures of the HTTP channel tests: a local receiver and an app that retries at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.receiver import Receiver, running_receiver

#: Retries without waiting: the tests check what was sent, not how long the pauses were.
FAST = {"NOTIFICATIONS_HTTP_BACKOFF": "0", "NOTIFICATIONS_HTTP_RETRIES": "2"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local HTTP server recording what it receives."""
    with running_receiver() as found:
        yield found


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app on this test's database, retrying at once."""
    return make_application(DATABASE_URL=database_url, **FAST)
