"""``ScheduleWorker`` (``schedule:work``): one run per minute, on a clock the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from foundry.console.scheduling import ScheduleWorker
from tests.foundry.scheduling.conftest import FrozenClock


def sleeper(clock: FrozenClock, share: float = 1.0) -> Callable[[float], Awaitable[None]]:
    """A sleep that moves ``clock`` by ``share`` of the time asked, instead of waiting."""

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds * share)
        await asyncio.sleep(0)

    return sleep


async def test_the_worker_runs_once_at_the_start_of_every_minute(clock: FrozenClock) -> None:
    started: list[str] = []

    async def run(minute: datetime) -> None:
        started.append(f"{minute:%H:%M:%S}")

    worker = ScheduleWorker(run, clock=clock, sleep=sleeper(clock))
    count = await worker.work(minutes=3)

    assert count == 3
    assert started == ["03:00:00", "03:01:00", "03:02:00"]


async def test_waking_early_does_not_run_a_minute_twice(clock: FrozenClock) -> None:
    started: list[str] = []

    async def run(minute: datetime) -> None:
        started.append(f"{minute:%H:%M}")

    worker = ScheduleWorker(run, clock=clock, sleep=sleeper(clock, share=0.4))
    await worker.work(minutes=3)

    assert started == ["03:00", "03:01", "03:02"]


async def test_a_slow_run_does_not_hold_back_the_next_minute(clock: FrozenClock) -> None:
    gate = asyncio.Event()
    started: list[str] = []
    finished: list[str] = []

    async def run(minute: datetime) -> None:
        started.append(f"{minute:%H:%M}")
        if len(started) == 1:
            await gate.wait()  # the first minute's run outlasts the next two minutes
        finished.append(f"{minute:%H:%M}")
        if len(started) == 3:
            gate.set()

    worker = ScheduleWorker(run, clock=clock, sleep=sleeper(clock))
    await worker.work(minutes=3)

    assert started == ["03:00", "03:01", "03:02"]
    assert finished == ["03:01", "03:02", "03:00"]  # work() waited for the slow one


async def test_stop_ends_the_loop_after_the_current_run(clock: FrozenClock) -> None:
    started: list[str] = []

    async def run(minute: datetime) -> None:
        started.append(f"{minute:%H:%M}")
        if len(started) == 2:
            worker.stop()

    worker = ScheduleWorker(run, clock=clock, sleep=sleeper(clock))
    count = await worker.work()

    assert count == 2 and started == ["03:00", "03:01"]
