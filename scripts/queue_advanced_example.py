"""``make queue-advanced-example``: batches, chains, rate limits, secure and scheduled jobs, end
to end on the embedded default (SQLite, the database queue, the file cache).

On a fresh SQLite database in a temporary directory (the developer's ``storage/`` is not
touched), migrated first, it:

1. dispatches a batch of five imports, one of which fails (`.allow_failures(1)``);
2. dispatches a chain extract -> transform (fails) -> load with a ``catch``;
3. dispatches a job limited to three runs a second, six times;
4. dispatches a secure job by a user holding its permission (its token encrypted at rest) and
   tries one by a user who lacks it (refused at dispatch);
5. runs the scheduler for a frozen minute, which queues the scheduled job;
6. works the queue in this process, as ``artisan queue:work --stop-when-empty`` would, until no
   job is left (released ones included), narrating batch progress, releases and failures;
7. checks that everything happened as it should: exit 0, or 1 with what went wrong.

The jobs are in ``app/jobs/advanced_examples.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.jobs.advanced_examples import (
    JOURNAL,
    PAYROLL_PERMISSION,
    CallPartnerApiJob,
    ExportPayrollJob,
    ExtractOrdersJob,
    ImportCustomersJob,
    LoadOrdersJob,
    SendDailyDigestJob,
    TransformOrdersJob,
    imports_done,
    imports_failed,
    imports_finally,
    report_pipeline_failure,
)
from app.models.user import User
from foundry.auth.passwords.seeding import default_password_hash
from foundry.cache import CacheManager
from foundry.config.app import AppSettings
from foundry.console.commands.migrate import migrator_for
from foundry.console.scheduling import RunStatus, Schedule, ScheduleRunner
from foundry.database import DatabaseManager
from foundry.jobs import JobAuthorizationError
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.keys import generate_key
from foundry.permissions import Permission
from foundry.queue import Batch, QueueManager, batch, chain
from foundry.queue.lifecycle import JobRun
from foundry.queue.tables import failed_jobs, jobs
from foundry.queue.worker import Worker, WorkerOptions

#: The minute the scheduler is run for (its clock is frozen there).
SCHEDULED_MINUTE = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
#: The run stops (and fails) if the queue is not empty by then, in seconds.
WORK_LIMIT = 30.0
#: The secret the secure job carries; it must never appear in the stored payload.
SECRET_TOKEN = "sk_live_payroll_4242"


class ExampleFailedError(Exception):
    """Something did not happen as the example expects."""


def use_scratch_environment(directory: Path) -> None:
    """Point the app at a database and cache of its own in ``directory`` (real environment
    variables win over ``.env``), on the embedded default drivers."""
    os.environ.update(
        {
            "APP_ENV": "local",  # a scratch run: production's start-up checks do not apply
            "DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'database.sqlite'}",
            "CACHE_STORE": "file",
            "CACHE_PATH": str(directory / "cache"),
            "JWT_KEYS_PATH": str(directory / "keys"),
            "QUEUE_CONNECTION": "database",
            "QUEUE_BATCHING": "database",
            "RATE_LIMIT_STORE": "memory",
            "LOG_LEVEL": "ERROR",
        }
    )
    # Without an APP_KEY no job can be queued (payloads are signed): one for this run only.
    if not AppSettings().key:
        os.environ["APP_KEY"] = generate_key()
        print("no APP_KEY configured: using a throwaway key for this run")


def migrate() -> None:
    """Run every migration on the scratch database (alembic drives its own loop: no loop here)."""
    applied = migrator_for(ConfigRepository()).upgrade()
    print(f"migrated a fresh SQLite database ({len(applied)} migrations)")


def check(condition: bool, message: str) -> None:
    """Raise :class:`ExampleFailedError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise ExampleFailedError(message)


class Narrator:
    """A queue lifecycle hook that prints batch progress, releases and failures as they happen.

    Added after the queue's own hooks, so a batch's counters are already updated when it reads
    them.
    """

    def __init__(self) -> None:
        self.releases: list[int] = []
        self.started = time.monotonic()

    def _clock(self) -> str:
        return f"[+{time.monotonic() - self.started:4.1f} s]"

    async def succeeded(self, run: JobRun) -> None:
        """Print a batch's progress when one of its jobs succeeds, and a released job's run."""
        if isinstance(run.job, CallPartnerApiJob) and run.reserved.attempts > 1:
            print(
                f"  {self._clock()} rate limiter: request {run.job.request} admitted "
                f"in a later window",
                flush=True,
            )
        await self._batch_progress(run.payload)

    async def released(self, run: JobRun, delay: float) -> None:
        """Print a rate-limited job going back on the queue."""
        if isinstance(run.job, CallPartnerApiJob):
            self.releases.append(run.job.request)
            print(
                f"  {self._clock()} rate limiter: request {run.job.request} released for "
                f"{delay:.1f} s (3 per second used up)",
                flush=True,
            )

    async def failed(self, run: JobRun) -> None:
        """Print a failure: a chain link's, or a batch job's (with the batch's progress)."""
        link = (run.payload or {}).get("chain")
        if isinstance(link, dict):
            print(
                f"  chain {link.get('name')}: link {link.get('index')} ({run.job_name}) failed: "
                f"{run.exception!r}; the rest of the chain is dropped, its catch queued",
                flush=True,
            )
        await self._batch_progress(run.payload)

    async def _batch_progress(self, payload: dict[str, Any] | None) -> None:
        batch_id = (payload or {}).get("batch_id")
        if not batch_id:
            return
        batch = await Batch.find(str(batch_id))
        if batch is None:
            return
        allowed = batch.allowed_failures
        failures = ""
        if batch.failed_jobs:
            within = allowed is None or batch.failed_jobs <= allowed
            failures = f", {batch.failed_jobs} failed ({'allowed' if within else 'not allowed'})"
        print(
            f"  batch {batch.name}: {batch.processed_jobs}/{batch.total_jobs} done{failures}",
            flush=True,
        )


async def create_users(application: Application) -> tuple[int, int]:
    """A payroll clerk holding ``payroll.export`` and an intern who does not; their ids."""
    async with application.container.make(DatabaseManager).session() as session:
        await Permission.create(session, name=PAYROLL_PERMISSION)
        clerk = User(name="Payroll Clerk", email="clerk@example.test")
        intern = User(name="Intern", email="intern@example.test")
        for user in (clerk, intern):
            user.password = default_password_hash()
        session.add_all([clerk, intern])
        await session.flush()
        await clerk.give_permission_to(PAYROLL_PERMISSION, session=session)
        await session.commit()
        return int(clerk.id), int(intern.id)


async def dispatch_batch() -> str:
    """Five imports, the third of which fails; one failure is allowed."""
    files = ["customers-1.csv", "customers-2.csv", "customers-3-broken.csv"]
    files += ["customers-4.csv", "customers-5.csv"]
    batch_id = await (
        batch([ImportCustomersJob(file) for file in files])
        .name("Imports")
        .allow_failures(1)
        .then(imports_done)
        .catch(imports_failed)
        .finally_(imports_finally)
        .dispatch()
    )
    print(f"dispatched batch Imports {batch_id}: {len(files)} imports,.allow_failures(1)")
    return batch_id


async def dispatch_chain() -> str:
    """Extract -> transform (fails) -> load, with a catch."""
    chain_id = await (
        chain([ExtractOrdersJob(), TransformOrdersJob(), LoadOrdersJob()])
        .name("Orders ETL")
        .catch(report_pipeline_failure)
        .dispatch()
    )
    print(f"dispatched chain Orders ETL {chain_id}: extract -> transform -> load, with a catch")
    return chain_id


async def dispatch_rate_limited() -> None:
    """Six calls of a job limited to three a second."""
    for request in range(1, 7):
        await CallPartnerApiJob.dispatch(request)
    print("dispatched CallPartnerApiJob 6 times (RateLimited: 3 per second)")


async def dispatch_secure(application: Application) -> str:
    """One export by the clerk (queued, token encrypted), one by the intern (refused)."""
    clerk, intern = await create_users(application)
    job_id = await ExportPayrollJob("acme", SECRET_TOKEN).by_user(clerk).dispatch()
    check(job_id is not None, "the clerk's ExportPayrollJob was not queued")
    print(f"dispatched ExportPayrollJob {job_id} by user {clerk} (holds {PAYROLL_PERMISSION})")
    stored = await stored_payload(application, str(job_id))
    check(SECRET_TOKEN not in stored, "the stored payload holds the token in clear")
    token = json.loads(stored)["data"]["api_token"]
    print(f"  stored payload: api_token = {json.dumps(token)[:60]}... (no token in clear)")
    try:
        await ExportPayrollJob("acme", SECRET_TOKEN).by_user(intern).dispatch()
    except JobAuthorizationError as exc:
        print(f"  user {intern} (lacks {PAYROLL_PERMISSION}) refused at dispatch: {exc}")
    else:
        raise ExampleFailedError("the intern's ExportPayrollJob was queued")
    return str(job_id)


async def stored_payload(application: Application, job_id: str) -> str:
    """The payload row of queued job ``job_id``, as the back end holds it."""
    async with application.container.make(DatabaseManager).connect() as connection:
        payload = await connection.scalar(select(jobs.c.payload).where(jobs.c.uuid == job_id))
    check(isinstance(payload, str), f"job {job_id} is not in the jobs table")
    return str(payload)


async def run_scheduler(application: Application) -> None:
    """Register the digest at 08:00 and run the scheduler for 08:00 (due) and 08:01 (not)."""
    schedule = Schedule("UTC")
    schedule.job(SendDailyDigestJob("ops"), queue="default").daily_at("08:00")
    locks = application.container.make(CacheManager).store()
    runner = ScheduleRunner(schedule, application.container, locks, clock=lambda: SCHEDULED_MINUTE)
    runs = await runner.run()
    check(
        [run.status for run in runs] == [RunStatus.RAN],
        f"the scheduler at {SCHEDULED_MINUTE:%H:%M} did not queue the digest: {runs}",
    )
    print(
        f"scheduler at {SCHEDULED_MINUTE:%Y-%m-%d %H:%M} UTC: SendDailyDigestJob {runs[0].output}"
    )
    later = await runner.run(SCHEDULED_MINUTE.replace(minute=1))
    check(later == [], f"the scheduler ran something at 08:01: {later}")
    print("scheduler at 08:01: nothing due")


async def work(manager: QueueManager) -> int:
    """Work the default queue until no job is left, released ones included; deliveries run."""
    deadline = time.monotonic() + WORK_LIMIT
    processed = 0
    while True:
        options = WorkerOptions(timeout=30, sleep=0.1, memory=0, stop_when_empty=True)
        worker = Worker(manager, None, options)
        check(await worker.run() == 0, "the worker exited with an error")
        processed += worker.processed
        counts = await worker.driver.counts(manager.connection().default_queue)
        if counts.pending + counts.reserved + counts.delayed == 0:
            return processed
        check(time.monotonic() < deadline, f"jobs were still queued after {WORK_LIMIT:g} s")
        await asyncio.sleep(0.1)  # released jobs wait for their window: poll again shortly


async def verify(application: Application, batch_id: str, narrator: Narrator) -> None:
    """Check the outcome of every part against what the example promises."""
    done = [detail for what, detail in JOURNAL if what == "import"]
    check(len(done) == 4, f"expected 4 successful imports, saw {done}")
    found = await Batch.find(batch_id)
    check(found is not None, "the batch is gone")
    assert found is not None
    check(
        (found.processed_jobs, found.failed_jobs, found.cancelled()) == (4, 1, False),
        f"batch counters are wrong: {found}",
    )
    callbacks = [what for what, _ in JOURNAL if what.startswith("batch ")]
    check(
        callbacks == ["batch catch", "batch finally"],
        f"expected the batch's catch then finally (and no then), saw {callbacks}",
    )
    links = [detail for what, detail in JOURNAL if what == "chain link"]
    check(links == ["extract"], f"expected only the extract link to run, saw {links}")
    caught = [detail for what, detail in JOURNAL if what == "chain catch"]
    check(
        len(caught) == 1 and "TransformOrdersJob" in caught[0],
        f"expected one catch naming TransformOrdersJob, saw {caught}",
    )
    calls = sorted(int(detail) for what, detail in JOURNAL if what == "api call")
    check(calls == [1, 2, 3, 4, 5, 6], f"expected six partner API calls, saw {calls}")
    check(len(narrator.releases) >= 3, f"expected at least 3 releases, saw {narrator.releases}")
    tokens = [detail for what, detail in JOURNAL if what == "payroll export"]
    check(tokens == [SECRET_TOKEN], "the secure job did not get its token back decrypted")
    digests = [detail for what, detail in JOURNAL if what == "digest"]
    check(digests == ["ops"], f"expected the scheduled digest to run once, saw {digests}")
    async with application.container.make(DatabaseManager).connect() as connection:
        failures = list(await connection.scalars(select(failed_jobs.c.payload)))
    names = sorted(
        str(json.loads(payload).get("job", "")).rsplit(".", 1)[-1] for payload in failures
    )
    check(
        names == ["ImportCustomersJob", "TransformOrdersJob"],
        f"expected the broken import and the transform in failed_jobs, saw {names}",
    )


async def main() -> None:
    """Dispatch everything, work the queue, check the outcome."""
    application = Application().bootstrap()
    try:
        manager = application.container.make(QueueManager)
        narrator = Narrator()
        manager.add_lifecycle_hook(narrator)
        batch_id = await dispatch_batch()
        await dispatch_chain()
        await dispatch_rate_limited()
        await dispatch_secure(application)
        await run_scheduler(application)
        print(f"working the '{manager.connection().default_queue}' queue in this process...")
        narrator.started = time.monotonic()
        processed = await work(manager)
        print(f"the queue is empty: {processed} deliveries (releases and callbacks included)")
        await verify(application, batch_id, narrator)
    finally:
        await application.shutdown()


def run() -> int:
    """The whole example in a scratch directory; the exit code."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    logging.basicConfig(level=logging.ERROR, format="  log: %(message)s", stream=sys.stdout)
    with tempfile.TemporaryDirectory(prefix="foundry-queue-example-") as directory:
        use_scratch_environment(Path(directory))
        migrate()
        try:
            asyncio.run(main())
        except ExampleFailedError as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
    print("OK: every part of the example did what it should")
    return 0


if __name__ == "__main__":
    sys.exit(run())
