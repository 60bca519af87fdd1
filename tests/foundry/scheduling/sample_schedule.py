"""A schedule module for the scheduler command tests (``SCHEDULE_MODULE`` names it).

``SAMPLE_SCHEDULE`` picks the variant; callbacks record into :data:`RAN` (artisan runs in-process
under typer's test runner, so the test reads it afterwards).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from foundry.console.scheduling import Schedule
from foundry.jobs import Job

MODULE = "tests.foundry.scheduling.sample_schedule"

RAN: list[str] = []


class ReportJob(Job):
    """A job the schedule queues; its field says which report."""

    def __init__(self, report: str = "daily") -> None:
        self.report = report

    async def handle(self) -> None:
        RAN.append(f"report:{self.report}")


def record(label: str) -> None:
    """A scheduled callable: remember that it ran."""
    RAN.append(label)


def explode() -> None:
    """A scheduled callable that fails."""
    raise RuntimeError("the digest service is down")


async def linger() -> None:
    """A scheduled callable that writes its process id to ``SAMPLE_PID_FILE``, then waits."""
    Path(os.environ["SAMPLE_PID_FILE"]).write_text(str(os.getpid()))
    await asyncio.sleep(300)


def schedule(schedule: Schedule) -> None:
    """Declare the variant named by ``SAMPLE_SCHEDULE``."""
    variant = os.environ.get("SAMPLE_SCHEDULE", "mixed")
    if variant == "empty":
        return
    if variant == "failing":
        schedule.call(record, label="first").name("first")
        schedule.call(explode).name("explode")
        schedule.command("no-such-command").name("missing command")
        schedule.call(record, label="last").name("last")
        return
    if variant == "run":
        schedule.call(record, label="every minute").name("record every minute")
        schedule.call(record, label="skipped").name("always skipped").skip(lambda: True)
        return
    if variant == "lingering":
        schedule.call(linger)
        return
    if variant == "commands":
        schedule.command("down", "--message", "scheduled maintenance")
        schedule.call(record, label="after down").name("after down")
        return
    # "mixed": one task due every minute, one never let through, one weekly in Paris.
    schedule.call(record, label="every minute").name("record every minute")
    schedule.call(record, label="skipped").name("always skipped").skip(lambda: True)
    schedule.job(ReportJob("weekly")).weekly_on(1, "08:30").timezone("Europe/Paris")
    schedule.command("cache:clear").daily_at("03:00").without_overlapping().on_one_server()
