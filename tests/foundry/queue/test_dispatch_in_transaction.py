"""Jobs pushed to the database queue inside an open unit of work belong to it."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from tests.foundry.queue.sample_jobs import RecordJob


class _Abort(Exception):
    pass


async def _write_then_dispatch(app: Application, *, commit: bool) -> None:
    async with app.container.scope() as scope:
        session = scope.make(AsyncSession)
        try:
            async with session.begin():
                await session.execute(text("DELETE FROM failed_jobs"))  # holds the write lock
                # A second connection would wait for that lock on SQLite, until busy_timeout.
                await asyncio.wait_for(RecordJob("inside").dispatch(), timeout=2)
                if not commit:
                    raise _Abort
        except _Abort:
            pass


async def test_a_job_pushed_in_a_unit_of_work_is_seen_once_it_commits(
    queue_app: Application, manager: QueueManager
) -> None:
    await _write_then_dispatch(queue_app, commit=True)
    assert await manager.size() == 1


async def test_a_job_pushed_in_a_unit_of_work_is_gone_when_it_rolls_back(
    queue_app: Application, manager: QueueManager
) -> None:
    await _write_then_dispatch(queue_app, commit=False)
    assert await manager.size() == 0
