"""``jobs.batch_id``: the database driver fills it for every member of a batch (plain members,
the links of a member chain, a retried member), and the batch page lists the waiting members
through it, not by reading payloads (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from foundry.database.manager import DatabaseManager
from foundry.jobs.job import Job
from foundry.kernel.application import Application
from foundry.queue import batch
from foundry.queue.manager import QueueManager
from foundry.queue.retry import retry_failed
from foundry.queue.tables import jobs
from tests.foundry.dashboard.support import make_user, sign_in
from tests.foundry.dashboard.test_batches_api import ImportRows, work


@pytest.fixture
async def operator(dashboard_app: Application, browser: httpx.AsyncClient) -> None:
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    await sign_in(browser, "ops@example.com", "/queue/batches")


async def _batch_ids(app: Application) -> dict[str, str | None]:
    async with app.container.make(DatabaseManager).connect() as connection:
        rows = (await connection.execute(select(jobs.c.uuid, jobs.c.batch_id))).all()
    return {row.uuid: row.batch_id for row in rows}


async def _pending(browser: httpx.AsyncClient, batch_id: str) -> list[str]:
    answer = await browser.get(f"/queue/api/batches/{batch_id}")
    assert answer.status_code == 200, answer.text
    return [job["uuid"] for job in answer.json()["data"]["pending"]]


async def test_members_carry_the_batch_id_column_and_the_page_lists_them_by_it(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: None, tmp_path: Path
) -> None:
    marker = tmp_path / "locked"
    marker.touch()
    members: list[Job | list[Job]] = [ImportRows(1, str(marker)), [ImportRows(2), ImportRows(3)]]
    pending_batch = batch(members).on_connection("database").on_queue("imports")
    batch_id = await pending_batch.allow_failures().dispatch()
    await batch([ImportRows(9)]).on_connection("database").on_queue("other").dispatch()

    stored = await _batch_ids(dashboard_app)
    ours = [uuid for uuid, found in stored.items() if found == batch_id]
    assert len(ours) == 2 and len(stored) == 3  # the plain member and the chain's first link
    assert sorted(await _pending(browser, batch_id)) == sorted(ours)

    assert await work(dashboard_app, 2) == ["failed", "processed"]
    [next_link] = [
        uuid for uuid, found in (await _batch_ids(dashboard_app)).items() if found == batch_id
    ]
    assert await _pending(browser, batch_id) == [next_link]  # the chain's second link

    marker.unlink()
    manager = dashboard_app.container.make(QueueManager)
    [failed] = await manager.failed_store().all()
    await retry_failed(manager, failed)
    assert (await _batch_ids(dashboard_app))[failed.uuid] == batch_id
    assert sorted(await _pending(browser, batch_id)) == sorted([next_link, failed.uuid])

    # The page reads the column: a row without it is not listed, whatever its payload says.
    async with dashboard_app.container.make(DatabaseManager).begin() as connection:
        await connection.execute(update(jobs).where(jobs.c.uuid == next_link).values(batch_id=None))
    assert await _pending(browser, batch_id) == [failed.uuid]
