"""Queue drivers by name: ``Queue.extend`` adds or replaces one; a connection names its driver."""

from __future__ import annotations

import json

import pytest

from foundry.queue import QueueManager
from foundry.queue.drivers.base import QueueDriver
from foundry.queue.drivers.memory import MemoryDriver
from foundry.queue.errors import UnknownConnectionError
from tests.conftest import MakeApplication
from tests.foundry.queue.sample_jobs import RecordJob

AUDIT = json.dumps({"audit": {"driver": "recording", "queue": "audit"}})


class RecordingDriver(MemoryDriver):
    """An in-memory driver an application adds under its own name."""


def recording(manager: QueueManager, name: str) -> QueueDriver:
    config = manager.connection_config(name)
    return RecordingDriver(name, default_queue=config.queue, retry_after=config.retry_after)


def test_a_connection_on_an_unknown_driver_fails_at_start_up(
    make_application: MakeApplication,
) -> None:
    with pytest.raises(UnknownConnectionError, match="'recording'.*known queue drivers: sync"):
        make_application(QUEUE_CONNECTIONS=AUDIT, QUEUE_CONNECTION="audit")


async def test_an_added_driver_serves_the_connections_that_name_it(
    make_application: MakeApplication,
) -> None:
    manager = make_application(QUEUE_CONNECTIONS=AUDIT).container.make(QueueManager)
    manager.extend("recording", recording)

    job_id = await RecordJob("kept").on_connection("audit").dispatch()

    driver = manager.connection("audit")
    assert isinstance(driver, RecordingDriver)
    assert job_id is not None and (await driver.counts("audit")).pending == 1
    assert manager.driver_names()[-1] == "recording"


async def test_extending_a_built_in_name_replaces_the_driver_already_built(
    make_application: MakeApplication,
) -> None:
    manager = make_application().container.make(QueueManager)
    assert type(manager.connection("memory")) is MemoryDriver

    manager.extend("memory", recording)

    assert isinstance(manager.connection("memory"), RecordingDriver)
