"""The dispatching user travels in the signed payload and is the causer of what the job logs."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity import Activity, acting_as, current_causer
from foundry.kernel.application import Application
from foundry.queue.tables import failed_jobs, jobs
from foundry.testing import work_queue
from tests.foundry.activity.jobs import PublishReport
from tests.foundry.testbench.factories import UserFactory


async def _reports(session: AsyncSession) -> list[Activity]:
    session.expunge_all()
    stmt = Activity.in_log("reports").order_by(Activity.id)
    return list((await session.scalars(stmt)).all())


async def test_a_worker_logs_with_the_dispatching_users_causer(
    application: Application, session: AsyncSession
) -> None:
    ada = await UserFactory.new().create(session)
    await session.commit()
    with acting_as(ada):
        await PublishReport.dispatch("by ada")
    await PublishReport.dispatch("by nobody")  # the scheduler, say: no causer

    await work_queue(application)

    by_ada, by_nobody = await _reports(session)
    assert (by_ada.causer_type, by_ada.causer_id) == ("users", str(ada.id))
    assert by_ada.properties == {"title": "by ada"}
    assert by_nobody.causer_id is None
    assert current_causer() is None  # the worker's jobs never leave theirs behind


async def test_a_forged_causer_is_refused_with_the_payload(
    application: Application, session: AsyncSession
) -> None:
    ada = await UserFactory.new().create(session)
    await session.commit()
    with acting_as(ada):
        await PublishReport.dispatch("forged")
    payload = json.loads((await session.execute(select(jobs.c.payload))).scalar_one())
    assert payload["causer"] == {"type": "users", "id": str(ada.id)}
    payload["causer"]["id"] = "999"
    await session.execute(update(jobs).values(payload=json.dumps(payload)))
    await session.commit()

    await work_queue(application)

    assert await _reports(session) == []
    failure = (await session.execute(select(failed_jobs.c.exception))).scalar_one()
    assert "tampered" in failure
