"""Pause/continue a queue from the dashboard: CSRF, the gate, 404 and 422, and the state."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity.models import Activity
from foundry.dashboard.queues_api import paused_queue_names, queue_is_paused
from foundry.kernel.application import Application
from foundry.queue.manager import QueueManager
from tests.foundry.dashboard.support import make_user, sign_in
from tests.foundry.dashboard.test_batches_api import csrf_of
from tests.foundry.queue.sample_jobs import NoopJob


async def test_pause_and_continue_a_queue(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    manager = dashboard_app.container.make(QueueManager)
    assert (await browser.post("/queue/api/queues/database/emails/pause")).status_code == 401
    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    await sign_in(browser, "ops@example.com", "/queue/batches")
    refused = await browser.post("/queue/api/queues/database/emails/pause")
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_mismatch"
    csrf = {"X-CSRF-Token": await csrf_of(browser, "/queue/batches")}

    paused = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
    assert paused.status_code == 200, paused.text
    assert paused.json()["data"] == {"connection": "database", "queue": "emails", "paused": True}
    assert await queue_is_paused(manager, "database", "emails")
    assert await paused_queue_names(manager, "database", ["emails", "default"]) == {"emails"}
    await NoopJob().on_queue("emails").dispatch()
    overview = (await browser.get("/queue/api/overview")).json()["data"]["queues"]
    [emails] = [row for row in overview if row["queue"] == "emails"]
    assert emails["paused"] is True and emails["status"] == "paused"

    resumed = await browser.post("/queue/api/queues/database/emails/continue", headers=csrf)
    assert resumed.status_code == 200 and resumed.json()["data"]["paused"] is False
    assert not await queue_is_paused(manager, "database", "emails")
    # Both actions are in the activity log's queue log, caused by the operator.
    async with dashboard_app.container.scope() as scope:
        entries = (
            await scope.make(AsyncSession).scalars(
                select(Activity).where(Activity.log_name == "queue").order_by(Activity.id)
            )
        ).all()
    assert [(e.event, e.causer_id, e.properties["queue"]) for e in entries] == [
        ("queue_paused", str(ops.id), "emails"),
        ("queue_continued", str(ops.id), "emails"),
    ]

    unknown = await browser.post("/queue/api/queues/nowhere/emails/pause", headers=csrf)
    assert unknown.status_code == 404 and "message" in unknown.json()
    bad = await browser.post("/queue/api/queues/database/e%20mails/pause", headers=csrf)
    assert bad.status_code == 422 and "queue" in bad.json()["errors"]
    assert not await queue_is_paused(manager, "database", "e mails")
