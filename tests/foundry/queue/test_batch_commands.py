"""``queue:batches``, ``queue:retry-batch`` and ``queue:prune-batches``, run as a user would."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import set_root_container
from foundry.queue import batch
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.batch_samples import PartJob


def dispatch_batch(parts: list[PartJob]) -> str:
    async def run() -> str:
        application = Application(config=ConfigRepository()).bootstrap()
        try:
            return await batch(parts).name("Imports").allow_failures().dispatch()
        finally:
            await application.shutdown()
            set_root_container(None)

    return asyncio.run(run())


def work() -> None:
    worked = artisan(
        "queue:work", "--stop-when-empty", "--sleep", "0", "--timeout", "5", "--memory", "0"
    )
    assert worked.exit_code == 0, worked.stderr


def listed() -> list[dict[str, object]]:
    result = artisan("queue:batches", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_list_retry_and_prune_batches(artisan_env: dict[str, str], tmp_path: Path) -> None:
    assert "No job batches found." in artisan("queue:batches").stdout
    marker = tmp_path / "fail"
    marker.touch()
    batch_id = dispatch_batch([PartJob(1), PartJob(2, str(marker)), PartJob(3)])
    [row] = listed()
    assert (row["id"], row["name"], row["total_jobs"], row["status"]) == (
        batch_id,
        "Imports",
        3,
        "pending",
    )

    work()
    [row] = listed()
    assert (row["pending_jobs"], row["failed_jobs"], row["progress"]) == (1, 1, 67)
    table = artisan("queue:batches").stdout
    assert batch_id in table and "Imports" in table and "67%" in table

    marker.unlink()
    retried = artisan("queue:retry-batch", batch_id)
    assert retried.exit_code == 0, retried.stderr
    assert f"{row['failed_job_ids'][0]}" in retried.stdout  # type: ignore[index]  # JSON list
    work()
    [row] = listed()
    assert (row["pending_jobs"], row["failed_job_ids"], row["status"]) == (0, [], "finished")
    assert "No failed jobs found." in artisan("queue:failed").stdout

    again = artisan("queue:retry-batch", batch_id)
    assert (
        again.exit_code == 1 and "does not contain any failed jobs" in again.stderr + again.stdout
    )
    unknown = artisan("queue:retry-batch", "nope")
    assert unknown.exit_code == 1
    assert "Unable to find a batch with ID [nope]." in unknown.stderr + unknown.stdout

    kept = artisan("queue:prune-batches")
    assert "0 entries deleted." in kept.stdout and len(listed()) == 1
    pruned = artisan("queue:prune-batches", "--hours", "0", "--unfinished", "0", "--cancelled", "0")
    assert pruned.exit_code == 0, pruned.stderr
    assert "1 entries deleted." in pruned.stdout
    assert "0 unfinished entries deleted." in pruned.stdout
    assert "0 cancelled entries deleted." in pruned.stdout
    assert listed() == []
