"""``schedule.job(...)`` queues the job on the database queue (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from foundry.console.scheduling import RunStatus, Schedule
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.scheduling.conftest import FrozenClock, runner_on
from tests.foundry.scheduling.sample_schedule import ReportJob


@pytest.fixture
async def queue_app(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[Application]:
    """An app whose default queue connection is its migrated database."""
    await migrate_database(database_url)
    yield make_application(DATABASE_URL=database_url)


async def test_a_due_job_event_queues_the_job_on_its_queue(
    queue_app: Application, clock: FrozenClock
) -> None:
    schedule = Schedule()
    schedule.job(ReportJob("nightly"), queue="reports").daily_at("03:00")
    schedule.job(ReportJob, queue="reports").hourly_at(30)  # a class: the container builds it
    runner = runner_on(queue_app, schedule, clock)
    manager = queue_app.container.make(QueueManager)

    [run] = await runner.run()
    assert run.status is RunStatus.RAN and run.output.startswith("queued as ")
    assert await manager.size("reports") == 1
    clock.advance(minutes=30)
    await runner.run()
    assert await manager.size("reports") == 2
    clock.advance(minutes=1)
    assert await runner.run() == []  # 03:31: neither is due
    assert await manager.size("reports") == 2
