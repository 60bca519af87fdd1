"""A chain whose worker is SIGKILLed mid-link resumes at that link: nothing is skipped and
nothing runs twice except the killed link, with real worker processes on PostgreSQL (database
driver) and Redis (redis driver, rq)."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.queue import chain
from tests.conftest import MakeApplication
from tests.foundry.queue.chain_jobs import FileStepJob
from tests.foundry.queue.processes import kill_group, kill_when, labels_in, start_worker, wait_for

LINKS = 5
#: The third link sleeps long enough to be killed in; below the worker's --timeout, which is
#: below QUEUE_RETRY_AFTER (3 s), after which the second worker takes the killed link again.
KILLED_LINK_SECONDS = 1.5


async def dispatch_chain(path: Path) -> None:
    links = [
        FileStepJob(f"link-{i}", KILLED_LINK_SECONDS if i == 3 else 0.01, str(path))
        for i in range(1, LINKS + 1)
    ]
    await chain(links).name("kill test").dispatch()


def kill_mid_link_then_finish(env: dict[str, str], path: Path, connection: str) -> None:
    args = (connection, "--timeout", "2.5", "--sleep", "0.1")
    log = path.with_suffix(".log")
    kill_when(env, log, args, lambda: "start link-3" in labels_in(path))  # while link 3 sleeps
    assert "done link-3" not in labels_in(path)
    second = start_worker(env, log, *args)
    try:
        finished = wait_for(lambda: f"done link-{LINKS}" in labels_in(path), 120)
    finally:
        kill_group(second)  # its graceful stop is test_delivery's subject, not this one's
    assert finished, f"the chain did not finish: {labels_in(path)}; {log.read_text()[-2000:]}"
    lines = labels_in(path)
    assert [line for line in lines if line.startswith("done")] == [
        f"done link-{i}" for i in range(1, LINKS + 1)
    ]
    # The killed link started twice (killed, then run again); every other link once, in order.
    assert [line for line in lines if line.startswith("start")] == [
        "start link-1",
        "start link-2",
        "start link-3",
        "start link-3",
        "start link-4",
        "start link-5",
    ]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_chain_resumes_at_the_killed_link_on_the_database_driver(
    make_application: MakeApplication, worker_env: dict[str, str], tmp_path: Path
) -> None:
    make_application(**worker_env)
    path = tmp_path / "chain.txt"
    await dispatch_chain(path)
    kill_mid_link_then_finish(worker_env, path, "database")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_chain_resumes_at_the_killed_link_on_the_redis_driver(
    make_application: MakeApplication,
    redis_worker_env: dict[str, str],
    tmp_path: Path,
) -> None:
    env = redis_worker_env
    make_application(**env)
    path = tmp_path / "chain.txt"
    await dispatch_chain(path)
    kill_mid_link_then_finish(env, path, "redis")
