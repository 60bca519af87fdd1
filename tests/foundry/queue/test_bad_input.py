"""Bad input: whatever a payload holds, the job is recorded as failed with a clear reason and the
worker goes on with the next job; nothing else is lost."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from foundry.database import DatabaseManager
from foundry.queue import QueueManager
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.database.models import Author, TestModel
from tests.foundry.queue.sample_jobs import AuthorJob, DroppingAuthorJob, Journal, RecordJob


async def work(manager: QueueManager) -> None:
    await Worker(
        manager, None, WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    ).run()


async def corrupt_first(manager: QueueManager, payload: str) -> None:
    """Replace the first job's payload; a JSON object is signed again with the app key, so these
    tests reach the decoder (test_signed_payloads covers payloads the app did not sign)."""
    try:
        document = json.loads(payload)
    except ValueError:
        document = None
    if isinstance(document, dict):
        signer = manager.signer()
        assert signer is not None
        signer.sign(document)
        payload = json.dumps(document)
    engine = manager.container.make(DatabaseManager).engine
    async with engine.begin() as connection:
        first = (await connection.execute(select(jobs.c.id).order_by(jobs.c.id))).scalars().first()
        await connection.execute(update(jobs).where(jobs.c.id == first).values(payload=payload))


async def failure_reasons(manager: QueueManager) -> list[str]:
    return [row.exception for row in await manager.failed_store().all()]


def edit(payload: dict[str, object], **changes: object) -> str:
    return json.dumps({**payload, **changes})


async def stored_payload(manager: QueueManager) -> dict[str, object]:
    engine = manager.container.make(DatabaseManager).engine
    async with engine.connect() as connection:
        text = (await connection.execute(select(jobs.c.payload).order_by(jobs.c.id))).scalar()
    assert isinstance(text, str)
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return loaded


async def test_corrupt_json_is_failed_and_the_next_job_runs(manager: QueueManager) -> None:
    await RecordJob.dispatch("broken")
    await RecordJob.dispatch("fine")
    await corrupt_first(manager, "{not json")
    await work(manager)
    assert Journal.of("ran") == ["fine"]
    [reason] = await failure_reasons(manager)
    assert "corrupt job payload (not JSON)" in reason
    assert await manager.size() == 0


async def test_unknown_class_is_failed(manager: QueueManager) -> None:
    await RecordJob.dispatch("x")
    await corrupt_first(manager, edit(await stored_payload(manager), job="app.nowhere.GhostJob"))
    await work(manager)
    [reason] = await failure_reasons(manager)
    assert "class 'app.nowhere.GhostJob' not found" in reason


async def test_non_job_class_is_failed_not_run(manager: QueueManager) -> None:
    await RecordJob.dispatch("x")
    payload = edit(await stored_payload(manager), job="tests.foundry.queue.sample_jobs.NotAJob")
    await corrupt_first(manager, payload)
    await work(manager)
    [reason] = await failure_reasons(manager)
    assert "tests.foundry.queue.sample_jobs.NotAJob is not a Job class" in reason


async def test_value_that_does_not_decode_is_failed(manager: QueueManager) -> None:
    await RecordJob.dispatch("x")
    payload = await stored_payload(manager)
    payload["data"] = {"label": {"$t": "datetime", "v": "yesterday"}}
    await corrupt_first(manager, json.dumps(payload))
    await work(manager)
    [reason] = await failure_reasons(manager)
    assert "cannot decode a stored 'datetime' value" in reason


async def test_unknown_connection_in_a_worker_is_refused_at_start(manager: QueueManager) -> None:
    try:
        Worker(manager, "nope", WorkerOptions(memory=0))
    except LookupError as exc:
        assert "'nope' is not defined" in str(exc)
    else:
        raise AssertionError("an unknown connection must be refused")


async def test_models_are_refetched_and_missing_ones_handled(manager: QueueManager) -> None:
    database = manager.container.make(DatabaseManager)
    async with database.engine.begin() as connection:
        await connection.run_sync(TestModel.metadata.create_all)
    async with manager.container.scope() as scope:
        from sqlalchemy.ext.asyncio import AsyncSession

        session = scope.make(AsyncSession)
        ada, bob, cy = Author(name="Ada"), Author(name="Bob"), Author(name="Cy")
        session.add_all([ada, bob, cy])
        await session.commit()
        await AuthorJob.dispatch(ada)
        await AuthorJob.dispatch(bob)
        await DroppingAuthorJob.dispatch(cy)
        ada.name = "Ada Lovelace"
        await session.delete(bob)
        await session.delete(cy)
        await session.commit()
    await work(manager)
    assert Journal.of("author") == ["Ada Lovelace"]  # fresh from the database
    [reason] = await failure_reasons(manager)  # Bob's job; Cy's was dropped quietly
    assert "Author with key [" in reason and "no longer exists" in reason
    async with database.engine.begin() as connection:
        await connection.run_sync(TestModel.metadata.drop_all)
