"""Signed payloads (issue 15, item 14): a payload the app did not sign, or one altered after it
was signed, is recorded in ``failed_jobs`` with the reason and never run; and even a signed
payload instantiates only Jobs, Enums, dataclasses and models.

The forged payloads name ``logging.FileHandler``, a class whose construction creates a file: the
marker file existing would prove a worker instantiated a class the payload chose.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from foundry.database import DatabaseManager
from foundry.jobs import PayloadError
from foundry.kernel.application import Application
from foundry.kernel.keys import generate_key
from foundry.queue import QueueManager
from foundry.queue.drivers.base import PushItem
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.failed import FailedJob
from foundry.queue.retry import RetryRefused, retry_failed
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import start_worker
from tests.foundry.queue.sample_jobs import Journal, Point, RecordJob

NOT_SIGNED = "job payload is not signed: refused, not run"
MISMATCH = "job payload was tampered with: signature mismatch"


async def work(manager: QueueManager) -> None:
    await Worker(
        manager, None, WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    ).run()


def gadget(marker: Path) -> dict[str, Any]:
    """A stored value naming a class that, once built, creates ``marker``."""
    return {"$t": "dataclass", "c": "logging.FileHandler", "v": {"filename": str(marker)}}


async def dispatched_payload(manager: QueueManager, label: str = "x") -> dict[str, Any]:
    """Dispatch a RecordJob, take its stored payload off the ``jobs`` table, and return it."""
    await RecordJob.dispatch(label)
    database = manager.container.make(DatabaseManager)
    async with database.begin() as connection:
        text = (await connection.execute(select(jobs.c.payload))).scalar_one()
        await connection.execute(jobs.delete())
    loaded = json.loads(text)
    assert isinstance(loaded, dict) and loaded["signature"]
    return loaded


async def write_row(manager: QueueManager, payload: dict[str, Any] | str) -> None:
    """Insert a job straight into the ``jobs`` table, as anyone with database access could."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    database = manager.container.make(DatabaseManager)
    async with database.begin() as connection:
        await connection.execute(
            jobs.insert().values(
                uuid="forged",
                queue="default",
                payload=text,
                attempts=0,
                priority=0,
                reserved_at=None,
                available_at=time.time(),
                created_at=time.time(),
            )
        )


async def reasons(manager: QueueManager) -> list[str]:
    return [row.exception for row in await manager.failed_store().all()]


async def test_a_signed_payload_runs(manager: QueueManager) -> None:
    await RecordJob.dispatch("fine", extra=Point(1, 2))
    await work(manager)
    assert Journal.of("ran") == ["fine"]
    assert await reasons(manager) == []


async def test_an_unsigned_forged_payload_is_failed_and_its_class_never_built(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payload = await dispatched_payload(manager)
    del payload["signature"]
    payload["data"]["extra"] = gadget(marker)
    await write_row(manager, payload)
    await work(manager)
    assert not marker.exists()
    assert Journal.of("ran") == []
    [reason] = await reasons(manager)
    assert NOT_SIGNED in reason
    assert await manager.size() == 0  # failed once, not retried


async def test_a_flipped_byte_is_failed_not_run(manager: QueueManager) -> None:
    text = json.dumps(await dispatched_payload(manager, label="pay-100"))
    await write_row(manager, text.replace("pay-100", "pay-900"))
    await work(manager)
    assert Journal.of("ran") == []
    [reason] = await reasons(manager)
    assert MISMATCH in reason
    [failed] = await manager.failed_store().all()
    assert "pay-900" in failed.payload  # what was refused is kept for inspection


async def test_a_non_ascii_signature_is_a_mismatch_not_a_crash(manager: QueueManager) -> None:
    payload = await dispatched_payload(manager, label="pay-100")
    payload["signature"] = "é" * 64
    await write_row(manager, json.dumps(payload))
    await work(manager)
    assert Journal.of("ran") == []
    [reason] = await reasons(manager)
    assert MISMATCH in reason


async def test_a_signature_copied_onto_a_forged_class_is_failed(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payload = await dispatched_payload(manager)
    payload["data"]["extra"] = {"$t": "enum", "c": "logging.FileHandler", "v": str(marker)}
    await write_row(manager, payload)
    await work(manager)
    assert not marker.exists()
    assert MISMATCH in (await reasons(manager))[0]


@pytest.mark.parametrize(
    ("tag", "path"),
    [
        ("dataclass", "logging.FileHandler"),
        ("enum", "logging.FileHandler"),
        ("model", "logging.FileHandler"),
        ("dataclass", "subprocess.Popen"),
    ],
)
async def test_even_a_signed_payload_builds_only_allowed_classes(
    manager: QueueManager, tmp_path: Path, tag: str, path: str
) -> None:
    # As if the key had leaked: the class check still stands between a payload and code.
    marker = tmp_path / "pwned"
    payload = await dispatched_payload(manager)
    value: dict[str, Any] = {"$t": tag, "c": path, "v": {"filename": str(marker)}}
    if tag == "enum":
        value["v"] = str(marker)
    if path == "subprocess.Popen":
        value["v"] = {"args": ["touch", str(marker)]}
    if tag == "model":
        value = {"$t": "model", "c": path, "k": [str(marker)]}
    payload["data"]["extra"] = value
    signer = manager.signer()
    assert signer is not None
    signer.sign(payload)
    await write_row(manager, payload)
    await work(manager)
    assert not marker.exists()
    [reason] = await reasons(manager)
    assert f"names {path}, which is not" in reason and "refused, not instantiated" in reason


async def test_the_sync_driver_checks_the_signature_too(manager: QueueManager) -> None:
    payload = await dispatched_payload(manager)
    del payload["signature"]
    sync = manager.connection("sync")
    with pytest.raises(PayloadError, match=NOT_SIGNED):
        await sync.push(PushItem("forged", json.dumps(payload), "default", time.time()))
    assert Journal.of("ran") == []
    assert NOT_SIGNED in (await reasons(manager))[0]


async def test_a_key_in_app_previous_keys_still_verifies(
    make_application: MakeApplication, queue_app: Application, database_url: str
) -> None:
    old_key = queue_app.settings.key
    payload = await dispatched_payload(queue_app.container.make(QueueManager), "before")
    new_key = generate_key()

    replaced = make_application(DATABASE_URL=database_url, APP_KEY=new_key)
    manager = replaced.container.make(QueueManager)
    await write_row(manager, payload)
    await work(manager)
    assert Journal.of("ran") == []
    assert MISMATCH in (await reasons(manager))[0]
    await manager.failed_store().flush()

    rotated = make_application(
        DATABASE_URL=database_url, APP_KEY=new_key, APP_PREVIOUS_KEYS=f"{generate_key()},{old_key}"
    )
    manager = rotated.container.make(QueueManager)
    await write_row(manager, payload)
    await work(manager)
    assert Journal.of("ran") == ["before"]
    assert await reasons(manager) == []


def failed_row(payload: dict[str, Any] | str) -> FailedJob:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return FailedJob(0, "forged", "database", "default", text, "RuntimeError: x", time.time())


async def test_queue_retry_refuses_a_payload_it_did_not_sign(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    payload = await dispatched_payload(manager)
    payload["data"]["extra"] = gadget(marker)
    with pytest.raises(RetryRefused, match=MISMATCH):
        await retry_failed(manager, failed_row(payload))
    del payload["signature"]
    with pytest.raises(RetryRefused, match=NOT_SIGNED):
        await retry_failed(manager, failed_row(payload))
    assert await manager.size() == 0
    assert not marker.exists()


async def test_queue_retry_puts_a_signed_failed_job_back(manager: QueueManager) -> None:
    payload = await dispatched_payload(manager, label="again")
    payload["exceptions"] = 3  # changes between attempts, outside the signature
    await retry_failed(manager, failed_row(payload))
    await work(manager)
    assert Journal.of("ran") == ["again"]


async def test_dispatching_without_an_app_key_is_refused(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    make_application(DATABASE_URL=database_url, APP_KEY="")
    with pytest.raises(PayloadError, match="set APP_KEY"):
        await RecordJob.dispatch("x")


@pytest.fixture
async def redis_env(
    redis_url: str, rq_prefix: str, tmp_path: Path
) -> AsyncIterator[dict[str, str]]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    yield {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
        "QUEUE_RETRY_AFTER": "5",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }


async def test_redis_forged_and_tampered_jobs_are_failed_a_signed_one_runs(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    from tests.foundry.queue.sample_jobs import SleepJob

    app = make_application(**redis_env)
    manager = app.container.make(QueueManager)
    driver = manager.connection()
    assert isinstance(driver, RedisDriver)
    out = tmp_path / "out.txt"
    marker = tmp_path / "pwned"
    await SleepJob("template", 0, str(out)).dispatch()
    [rq_job] = driver.rq_queue(driver.rq_name("default")).get_jobs()
    template = json.loads(rq_job.args[0])
    rq_job.delete()

    forged = {**template, "uuid": "forged", "data": {**template["data"], "label": gadget(marker)}}
    del forged["signature"]
    flipped = json.dumps({**template, "uuid": "flipped"})  # the uuid is signed too
    for uuid, text in (("forged", json.dumps(forged)), ("flipped", flipped)):
        driver.enqueue(PushItem(uuid, text, "default", time.time()))
    await SleepJob("genuine", 0, str(out)).dispatch()

    worker = start_worker(redis_env, tmp_path / "w.log", "--stop-when-empty", "--timeout", "3")
    assert worker.wait(60) == 0, (tmp_path / "w.log").read_text()
    assert not marker.exists()
    assert out.read_text(encoding="utf-8").split() == ["genuine"]
    failed = {row.uuid: row.exception for row in await manager.failed_store().all()}
    assert NOT_SIGNED in failed["forged"] and MISMATCH in failed["flipped"]
    assert await manager.size() == 0
