"""``queue:top``: the plain-text snapshot after a known workload, the textual app driven
headless (sort, filter, retry, quit) and an unreachable store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from foundry.console.queue_top import SnapshotSource, render_text
from foundry.console.queue_top.app import QueueTopApp
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.metrics import QueueMetrics
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.sample_jobs import FlakyJob, SleepJob


async def worked_application(
    make_application: MakeApplication, env: dict[str, str], out: Path
) -> Application:
    """3 jobs done on ``default``, 2 failed on ``emails``, 2 waiting on ``reports``."""
    await migrate_database(env["DATABASE_URL"])
    app: Application = make_application(**env)
    for index in range(3):
        await SleepJob(f"s{index}", 0.001, str(out)).dispatch()
    for _ in range(2):
        await FlakyJob(99).on_queue("emails").dispatch()
    for index in range(2):
        await SleepJob(f"r{index}", 0.001, str(out)).on_queue("reports").dispatch()
    options = WorkerOptions(
        queues=["default", "emails"], memory=0, stop_when_empty=True, sleep=0, timeout=2
    )
    assert await Worker(app.container.make(QueueManager), "database", options).run() == 0
    return app


def source_of(app: Application) -> SnapshotSource:
    return SnapshotSource(app.container.make(QueueManager), app.container.make(QueueMetrics))


def environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "QUEUE_METRICS_STORE": "database",
        "QUEUE_RETRY_AFTER": "5",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }


def row_of(text: str, queue: str) -> list[str]:
    for line in text.splitlines():
        cells = line.split()
        if cells[:2] == ["database", queue]:
            return cells
    raise AssertionError(f"no row for {queue} in:\n{text}")


async def test_once_prints_a_snapshot_of_a_known_workload(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url, tmp_path)
    await worked_application(make_application, env, tmp_path / "out.txt")
    # The command boots its own application on its own event loop, as a user's shell would.
    result = await asyncio.to_thread(artisan, "queue:top", "--once", env=env)
    assert result.exit_code == 0, result.stdout + result.stderr
    text = result.stdout
    assert "Jobs/min 1.00  Last hour 5  Failed (7 days) 2  Live workers 0" in text
    # Connection, queue, pending, reserved, delayed, oldest wait, jobs/min, ..., failed, status
    default = row_of(text, "default")
    assert default[2:5] == ["0", "0", "0"] and default[6] == "0.05" and default[-1] == "idle"
    emails = row_of(text, "emails")
    assert emails[-2:] == ["2", "idle"]
    reports = row_of(text, "reports")
    assert reports[2] == "2" and reports[-2:] == ["no", "workers"]
    assert "Failed jobs (latest 2 of 2)" in text
    assert "FlakyJob" in text and "RuntimeError: boom on attempt 3" in text

    only = await asyncio.to_thread(artisan, "queue:top", "--queue=mail", env=env)
    assert only.exit_code == 0  # not a terminal: one snapshot, then exit
    assert "emails" in only.stdout and "reports" not in only.stdout


def queue_keys(app: QueueTopApp) -> list[str | None]:
    table = app.query_one("#queues", DataTable)
    return [row.key.value for row in table.ordered_rows]


async def settle(app: QueueTopApp) -> None:
    await app.workers.wait_for_complete()
    await asyncio.sleep(0)


async def test_keys_sort_filter_retry_and_quit(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    app = await worked_application(
        make_application, environment(database_url, tmp_path), tmp_path / "out.txt"
    )
    manager = app.container.make(QueueManager)
    top = QueueTopApp(source_of(app), interval=60)
    async with top.run_test(size=(160, 50)) as pilot:
        await settle(top)
        await pilot.pause()
        assert queue_keys(top) == ["database:default", "database:emails", "database:reports"]

        await pilot.press("s", "S")  # by pending, largest first
        assert queue_keys(top)[0] == "database:reports"

        await pilot.press("slash", *"rep", "enter")
        await settle(top)
        await pilot.pause()
        assert queue_keys(top) == ["database:reports"]
        await pilot.press("f", "escape")
        await settle(top)
        await pilot.pause()
        assert len(queue_keys(top)) == 3

        failed = top.query_one("#failed", DataTable)
        selected = failed.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value
        await pilot.press("r")  # the failed panel's row under its cursor (the first)
        await settle(top)
        await pilot.pause()
        left = await manager.failed_store().all()
        assert [job.uuid for job in left] != [selected] and len(left) == 1
        assert (await manager.connection("database").counts("emails")).pending == 1
        assert failed.row_count == 1

        await pilot.press("R", "n")  # asked, refused: nothing happens
        await settle(top)
        assert len(await manager.failed_store().all()) == 1
        await pilot.press("R", "y")
        await settle(top)
        await pilot.pause()
        assert await manager.failed_store().all() == []
        assert (await manager.connection("database").counts("emails")).pending == 2
        assert failed.row_count == 0

        await pilot.press("q")
        await pilot.pause()
        assert not top.is_running


async def test_an_unreachable_store_is_shown_not_raised(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    missing = f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'q.sqlite'}"
    app: Application = make_application(
        DATABASE_URL=missing, QUEUE_METRICS_STORE="database", QUEUE_CONNECTION="database"
    )
    snapshot = await source_of(app).read()
    assert snapshot.queues == [] and snapshot.failed == []
    text = render_text(snapshot)
    assert "! metrics store unreachable: OperationalError" in text
    assert "! failed jobs unreachable" in text

    top = QueueTopApp(source_of(app), interval=60)
    async with top.run_test() as pilot:
        await settle(top)
        await pilot.pause()
        errors = str(top.query_one("#errors", Static).render())
        assert "unreachable" in errors
        assert top.is_running
        await pilot.press("r")  # nothing selected: a message, not a crash
        await pilot.pause()
        assert top.is_running
