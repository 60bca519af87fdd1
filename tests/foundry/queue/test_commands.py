"""The queue:* commands, run as a user would (artisan in this process or a child process)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

from foundry.console.registry import CommandRegistry
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import set_root_container
from foundry.queue import QueueManager
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.processes import labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import FlakyJob, RecordJob, SleepJob


def dispatch(*jobs: RecordJob | FlakyJob | SleepJob) -> None:
    async def run() -> None:
        application = Application(config=ConfigRepository()).bootstrap()
        try:
            await application.container.make(QueueManager).bulk(list(jobs))
        finally:
            await application.shutdown()
            set_root_container(None)

    asyncio.run(run())


def test_work_stats_failed_retry_forget_flush(artisan_env: dict[str, str]) -> None:
    dispatch(RecordJob("a"), FlakyJob(99), FlakyJob(99))
    stats = artisan("queue:stats")
    assert "database" in stats.stdout and " 3 " in stats.stdout
    worked = artisan(
        "queue:work", "--stop-when-empty", "--sleep", "0", "--timeout", "5", "--memory", "0"
    )
    assert worked.exit_code == 0, worked.stderr
    stats = artisan("queue:stats", "--json")
    assert '"processed": 1' in stats.stdout and '"failed": 2' in stats.stdout
    failed = artisan("queue:failed")
    assert failed.stdout.count("FlakyJob") == 2 and "boom on attempt 3" in failed.stdout
    listed = json.loads(artisan("queue:failed", "--json").stdout)
    assert [sorted(row) for row in listed] == [
        ["connection", "exception", "failed_at", "id", "job", "queue", "uuid"]
    ] * 2
    assert listed[0]["job"].endswith("FlakyJob") and listed[0]["connection"] == "database"
    assert datetime.fromisoformat(listed[0]["failed_at"]).tzinfo is not None
    assert isinstance(listed[0]["id"], int)
    first_id = str(listed[0]["id"])
    assert artisan("queue:forget", first_id).exit_code == 0
    missing = artisan("queue:forget", first_id)
    assert missing.exit_code == 1 and "No failed job matches" in missing.stderr + missing.stdout
    retried = artisan("queue:retry", "all")
    assert retried.exit_code == 0 and "FlakyJob" in retried.stdout
    assert '"pending": 1' in artisan("queue:stats", "--json").stdout
    assert (
        artisan("queue:work", "--once", "--timeout", "5", "--memory", "0").exit_code == 0
    )  # one attempt
    assert '"pending": 1' in artisan("queue:stats", "--json").stdout  # released for a retry
    assert (
        artisan(
            "queue:work", "--stop-when-empty", "--sleep", "0", "--timeout", "5", "--memory", "0"
        ).exit_code
        == 0
    )
    assert '"failed": 1' in artisan("queue:stats", "--json").stdout
    assert "0 failed job(s) older than 1 hours" in artisan("queue:flush", "--hours", "1").stdout
    assert "1 failed job(s) deleted" in artisan("queue:flush").stdout
    assert "No failed jobs found" in artisan("queue:failed").stdout


def test_clear_asks_first(artisan_env: dict[str, str]) -> None:
    dispatch(RecordJob("a"), RecordJob("b"))
    refused = artisan("queue:clear")
    assert refused.exit_code == 1 and "--force" in refused.stdout + refused.stderr
    assert '"pending": 2' in artisan("queue:stats", "--json").stdout  # nothing was cleared
    cleared = artisan("queue:clear", "--queue", "default", "--force")
    assert cleared.exit_code == 0 and "Cleared 2 job(s)" in cleared.stdout


def test_bad_worker_input_is_a_clear_error(artisan_env: dict[str, str]) -> None:
    too_long = artisan("queue:work", "--timeout", "10")
    assert too_long.exit_code == 1
    assert "must be shorter than retry_after=10" in too_long.stdout + too_long.stderr
    unknown = artisan("queue:work", "nowhere")
    assert unknown.exit_code == 1 and "'nowhere' is not defined" in unknown.stdout + unknown.stderr
    bad_queue = artisan("queue:work", "--queue", "a b", "--timeout", "5")
    assert bad_queue.exit_code == 1 and "invalid queue name" in bad_queue.stdout + bad_queue.stderr
    backoff = artisan("queue:work", "--backoff", "soon", "--timeout", "5")
    assert backoff.exit_code == 1 and "--backoff" in backoff.stdout + backoff.stderr


def test_retrying_an_unknown_id_fails_like_forgetting_one(artisan_env: dict[str, str]) -> None:
    dispatch(FlakyJob(99))
    artisan("queue:work", "--stop-when-empty", "--sleep", "0", "--timeout", "5", "--memory", "0")
    known = str(json.loads(artisan("queue:failed", "--json").stdout)[0]["id"])

    for command in ("queue:retry", "queue:forget"):
        missing = artisan(command, "424242")
        assert missing.exit_code == 1, command
        assert "No failed job matches the given ID [424242]" in missing.stdout + missing.stderr

    # The ids that exist are still retried; the exit code tells a script one did not.
    mixed = artisan("queue:retry", known, "424242")
    assert mixed.exit_code == 1 and "FlakyJob" in mixed.stdout
    assert '"pending": 1' in artisan("queue:stats", "--json").stdout
    assert json.loads(artisan("queue:failed", "--json").stdout) == []
    assert artisan("queue:retry", "all").exit_code == 0  # nothing left: not an error


def test_restart_stops_a_running_worker(artisan_env: dict[str, str], tmp_path: Path) -> None:
    # The worker notes the restart signal's value when it starts (as Laravel's does): a restart
    # sent while it still boots is not for it. So wait until it has run a job first.
    ready = tmp_path / "ready.txt"
    dispatch(SleepJob("ready", 0, str(ready)))
    worker = start_worker(artisan_env, tmp_path / "worker.log", "--sleep", "0.2", "--timeout", "5")
    try:
        assert wait_for(lambda: labels_in(ready) == ["ready"], 60), "the worker never ran a job"
        assert not wait_for(lambda: worker.poll() is not None, 1)  # it keeps running
        assert artisan("queue:restart").exit_code == 0
        assert wait_for(lambda: worker.poll() is not None, 30)
        assert worker.returncode == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(10)


def test_make_job_writes_a_job_class(tmp_path: Path) -> None:
    result = artisan("make:job", "SendInvoice", "--path", str(tmp_path))
    assert result.exit_code == 0
    source = (tmp_path / "app" / "jobs" / "send_invoice.py").read_text()
    assert "class SendInvoice(Job):" in source and "async def handle(self)" in source


def test_commands_are_listed() -> None:
    from foundry.console.manifest import default_registry

    registry: CommandRegistry = default_registry()
    for name in (
        "queue:work",
        "queue:restart",
        "queue:failed",
        "queue:retry",
        "queue:forget",
        "queue:flush",
        "queue:prune-failed",
        "queue:clear",
        "queue:stats",
        "make:job",
    ):
        assert name in registry
