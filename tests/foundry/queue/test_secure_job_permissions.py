"""Secure jobs against the real permission registry: checked at dispatch and before handle."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import DatabaseManager
from foundry.jobs import JobAuthorizationError
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.queue import QueueManager
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.sample_jobs import GuardedJob, Journal
from tests.foundry.testbench.models import User


async def _user_with_role(queue_app: Application) -> tuple[int, AsyncSession]:
    session = queue_app.container.make(DatabaseManager).session()
    user = User(name="Ada", email="ada@example.com", password="x")
    session.add(user)
    await session.flush()
    await Permission.find_or_create(session, "run reports")
    role = await Role.find_or_create(session, "analyst")
    await role.give_permission_to("run reports", session=session)
    await user.assign_role("analyst", session=session)
    await session.commit()
    return user.id, session


async def test_only_holders_dispatch_and_a_revoked_permission_stops_the_waiting_job(
    queue_app: Application, manager: QueueManager
) -> None:
    user_id, session = await _user_with_role(queue_app)
    try:
        with pytest.raises(JobAuthorizationError, match="lacks a permission"):
            await GuardedJob("stranger").pending().by_user(user_id + 1).dispatch()
        await GuardedJob("first").pending().by_user(user_id).dispatch()
        await GuardedJob("second").pending().by_user(user_id).dispatch()
        options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=3)
        options.max_jobs = 1
        await Worker(manager, None, options).run()

        role = await Role.find_or_create(session, "analyst")
        await role.revoke_permission_to("run reports", session=session)
        await session.commit()
        options.max_jobs = 0
        await Worker(manager, None, options).run()
    finally:
        await session.close()

    assert Journal.of("guarded") == ["first"]
    [failed] = await manager.failed_store().all()
    assert f"user {user_id} lacks a permission" in failed.exception


async def test_by_user_on_the_job_itself_dispatches_on_behalf_of_that_user(
    queue_app: Application, manager: QueueManager
) -> None:
    # The form SecureJob's docstring and the README show: job.by_user(id).dispatch().
    user_id, session = await _user_with_role(queue_app)
    await session.close()
    with pytest.raises(JobAuthorizationError, match="lacks a permission"):
        await GuardedJob("stranger").by_user(user_id + 1).dispatch()
    await GuardedJob("holder").by_user(user_id).dispatch()
    options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    await Worker(manager, None, options).run()

    assert Journal.of("guarded") == ["holder"]
