"""Chains (issue 17, item 2): links run in order, a failure stops the chain and queues its
catch callbacks once with the failed link named, ChainableJob adds links from ``handle``, and a
tampered chain runs nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from foundry.jobs import ShouldBeUnique
from foundry.queue import ChainFailure, QueueManager, chain
from foundry.queue.retry import retry_failed
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.chain_jobs import (
    BrokenStepJob,
    CatchJob,
    FixableStepJob,
    GrowingJob,
    MisroutingJob,
    StepJob,
    record_failure,
    record_failure_async,
)
from tests.foundry.queue.sample_jobs import Journal


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The chain API on SQLite only; test_chain_delivery.py runs chains on PostgreSQL and Redis."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite'}"


async def work(manager: QueueManager, *queues: str) -> None:
    options = WorkerOptions(
        queues=list(queues), memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=1
    )
    await Worker(manager, "database", options).run()


async def queued_payloads(manager: QueueManager) -> list[dict[str, Any]]:
    async with manager.database.engine.connect() as connection:
        rows = (await connection.execute(select(jobs.c.payload).order_by(jobs.c.id))).all()
    return [json.loads(row.payload) for row in rows]


async def test_links_run_in_order_one_at_a_time(manager: QueueManager) -> None:
    chain_id = (
        await chain([StepJob("extract"), StepJob("transform"), StepJob("load")])
        .name("ETL Pipeline")
        .dispatch()
    )
    queued = await queued_payloads(manager)
    assert len(queued) == 1  # only the first link is queued; the rest travel inside it
    assert queued[0]["chain"]["id"] == chain_id
    assert queued[0]["chain"]["name"] == "ETL Pipeline"
    assert [link["data"]["label"] for link in queued[0]["chain"]["links"]] == [
        "transform",
        "load",
    ]
    await work(manager)
    assert Journal.of("step") == ["extract", "transform", "load"]
    assert await queued_payloads(manager) == []
    assert await manager.failed_store().all() == []


async def test_a_failure_stops_the_chain_and_runs_each_catch_once(manager: QueueManager) -> None:
    chain_id = await (
        chain([StepJob("a"), BrokenStepJob("b"), StepJob("c")])
        .name("Reports")
        .catch(record_failure)
        .catch(record_failure_async)
        .catch(CatchJob("ops"))
        .dispatch()
    )
    await work(manager)
    assert Journal.of("step") == ["a", "b"]  # c never ran
    [failed] = await manager.failed_store().all()
    failed_payload = json.loads(failed.payload)
    expected = ChainFailure(
        chain_id=chain_id,
        chain_name="Reports",
        link_index=1,
        job_name="BrokenStepJob",
        job_id=failed.uuid,
        exception="RuntimeError: b broke",
    )
    assert Journal.of("caught") == [expected]
    assert Journal.of("caught_async") == [1]
    assert Journal.of("caught_by_job") == [("ops", expected)]
    # Which link failed is in the failed job's payload too (queue:failed shows it).
    assert failed_payload["chain"]["id"] == chain_id
    assert failed_payload["chain"]["index"] == 1
    assert await queued_payloads(manager) == []


async def test_chainable_jobs_prepend_and_append_links(manager: QueueManager) -> None:
    await chain(
        [StepJob("a"), GrowingJob("grow", prepend=["p1", "p2"], append=["z"]), StepJob("b")]
    ).dispatch()
    await work(manager)
    # Like Laravel's prependToChain, each prepended job goes to the front: the last one first.
    assert Journal.of("step") == ["a", "grow", "p2", "p1", "b", "z"]


async def test_a_lone_chainable_job_starts_a_chain(manager: QueueManager) -> None:
    await GrowingJob("grow", prepend=[], append=["x", "y"]).dispatch()
    await work(manager)
    assert Journal.of("step") == ["grow", "x", "y"]


async def test_links_go_to_the_chains_queue_unless_they_name_their_own(
    manager: QueueManager,
) -> None:
    own = StepJob("own")
    own.queue = "mine"
    await chain([StepJob("a"), own, StepJob("b")]).on_queue("etl").delay(60).dispatch()
    [first] = await queued_payloads(manager)
    assert first["queue"] == "etl"
    assert [link["queue"] for link in first["chain"]["links"]] == ["mine", "etl"]
    async with manager.database.engine.connect() as connection:
        available_at = (await connection.execute(select(jobs.c.available_at))).scalar_one()
    assert available_at > time.time() + 30  # the delay holds the first link back


async def test_a_chain_on_the_sync_connection_runs_at_dispatch(manager: QueueManager) -> None:
    await chain([StepJob("a"), StepJob("b")]).on_connection("sync").dispatch()
    assert Journal.of("step") == ["a", "b"]


class UniqueStep(StepJob, ShouldBeUnique):
    def unique_id(self) -> str:
        return self.label


def local_function() -> None:
    def closure(failure: ChainFailure) -> None:
        return None

    chain([StepJob("a")]).catch(closure)


def test_what_cannot_be_a_link_or_a_catch_is_refused_at_dispatch() -> None:
    with pytest.raises(TypeError, match="must be a Job instance, not StepJob"):
        chain([StepJob("a"), StepJob])  # type: ignore[list-item]  # the mistake under test
    with pytest.raises(TypeError, match="must be a Job instance"):
        chain([StepJob("a"), "send_mail"])  # type: ignore[list-item]  # the mistake under test
    with pytest.raises(TypeError, match="ShouldBeUnique"):
        chain([UniqueStep("a")])
    with pytest.raises(ValueError, match="at least one job"):
        chain([])
    with pytest.raises(TypeError, match="lambda, a closure"):
        chain([StepJob("a")]).catch(lambda failure: None)
    with pytest.raises(TypeError, match="lambda, a closure"):
        local_function()
    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        chain([StepJob(object())])  # type: ignore[arg-type]  # the mistake under test


async def test_a_tampered_chain_runs_nothing(manager: QueueManager) -> None:
    await chain([StepJob("a"), StepJob("b")]).catch(record_failure).dispatch()
    [payload] = await queued_payloads(manager)
    payload["chain"]["links"][0]["data"]["label"] = "forged"
    async with manager.database.begin() as connection:
        await connection.execute(jobs.update().values(payload=json.dumps(payload)))
    await work(manager)
    assert Journal.entries == []  # neither link, nor the catch callback, ran
    [failed] = await manager.failed_store().all()
    assert "tampered" in failed.exception
    assert await queued_payloads(manager) == []


async def test_retrying_the_failed_link_resumes_the_chain(manager: QueueManager) -> None:
    await chain([StepJob("a"), FixableStepJob("b"), StepJob("c")]).catch(record_failure).dispatch()
    await work(manager)
    [failed] = await manager.failed_store().all()
    Journal.add("fixed", True)
    await retry_failed(manager, failed)  # queue:retry
    await work(manager)
    assert Journal.of("step") == ["a", "b", "c"]
    assert len(Journal.of("caught")) == 1  # the catch ran for the failure, not again


async def test_a_faked_queue_records_the_first_link(manager: QueueManager) -> None:
    fake = manager.fake()
    await chain([StepJob("a"), StepJob("b")]).on_queue("etl").dispatch()
    fake.assert_pushed_on("etl", StepJob, lambda job: job.label == "a")
    fake.assert_pushed_times(StepJob, 1)


async def test_a_sync_chain_raises_the_failure_and_catches_it_once(manager: QueueManager) -> None:
    # Laravel's sync connection once ran a chain's catch once per link before the failed one
    # (laravel/framework#42883); here it runs once, and the dispatcher sees the failure.
    pending = chain([StepJob("a"), StepJob("b"), BrokenStepJob("c"), StepJob("d")])
    with pytest.raises(RuntimeError, match="c broke"):
        await pending.on_connection("sync").catch(record_failure).dispatch()
    assert Journal.of("step") == ["a", "b", "c"]
    assert [failure.link_index for failure in Journal.of("caught")] == [2]


async def test_a_link_added_that_cannot_be_queued_fails_the_chain(manager: QueueManager) -> None:
    await chain([MisroutingJob(), StepJob("after")]).catch(record_failure).dispatch()
    await StepJob("unrelated").dispatch()
    await work(manager)  # the worker goes on with the next job
    assert Journal.of("step") == ["misrouting", "unrelated"]
    [failed] = await manager.failed_store().all()
    assert "a job added to the chain cannot be queued: invalid queue name" in failed.exception
    [caught] = Journal.of("caught")
    assert caught.link_index == 0 and caught.job_name == "MisroutingJob"
