"""``without_overlapping`` and ``on_one_server`` across apps sharing a file or Redis cache, and
an overlap lock that a dead run left behind."""

from __future__ import annotations

import asyncio
from pathlib import Path

from foundry.cache import CacheManager
from foundry.console.scheduling import RunStatus, Schedule, ScheduleRunner
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.scheduling.conftest import FrozenClock, runner_on


def report_schedule(gate: asyncio.Event, ran: list[str], server: str) -> Schedule:
    """A slow report that must not overlap (each server declares it the same way)."""

    async def build_report() -> None:
        ran.append(server)
        await gate.wait()

    schedule = Schedule()
    schedule.call(build_report).name("build report").every_minute().without_overlapping()
    return schedule


async def test_without_overlapping_skips_while_another_process_still_runs_it(
    two_servers: tuple[Application, Application], clock: FrozenClock
) -> None:
    first_app, second_app = two_servers
    gate, ran = asyncio.Event(), list[str]()
    first = runner_on(first_app, report_schedule(gate, ran, "first"), clock)
    second = runner_on(second_app, report_schedule(gate, ran, "second"), clock)

    slow = asyncio.create_task(first.run())
    while not ran:  # the first run holds the lock once its task has started
        await asyncio.sleep(0)
    clock.advance(minutes=1)
    while_running = await second.run()
    gate.set()
    finished = await slow
    clock.advance(minutes=1)
    afterwards = await second.run()

    assert [run.status for run in finished] == [RunStatus.RAN]
    assert [run.status for run in while_running] == [RunStatus.OVERLAPPING]
    assert [run.status for run in afterwards] == [RunStatus.RAN]
    assert ran == ["first", "second"]


async def test_on_one_server_runs_each_minute_once_across_servers(
    two_servers: tuple[Application, Application], clock: FrozenClock
) -> None:
    ran: list[str] = []

    def send_invoices(server: str) -> None:
        ran.append(server)

    def servers_schedule(server: str) -> Schedule:
        schedule = Schedule()
        schedule.call(send_invoices, server=server).name("send invoices").on_one_server()
        return schedule

    runners = [
        runner_on(app, servers_schedule(name), clock) for name, app in zip("ab", two_servers)
    ]

    minutes = []
    for _ in range(3):
        both = await asyncio.gather(*(runner.run() for runner in runners))
        minutes.append(sorted(run.status for runs in both for run in runs))
        clock.advance(minutes=1)

    assert minutes == [[RunStatus.OTHER_SERVER, RunStatus.RAN]] * 3
    assert len(ran) == 3


async def test_an_overlap_lock_left_by_a_dead_run_frees_itself_after_its_expiry(
    make_application: MakeApplication, tmp_path: Path, clock: FrozenClock
) -> None:
    app = make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path / "cache"))
    seconds = [1_000_000.0]  # the file store's own clock, moved by hand
    bound = app.container.make(CacheManager)
    manager = CacheManager(bound.settings, bound.redis, lambda: seconds[0])
    schedule = Schedule()
    event = schedule.call(lambda: None).name("export").without_overlapping(expires_minutes=10)
    runner = ScheduleRunner(schedule, app.container, manager.store(), clock=clock)
    assert await manager.store().lock(event.mutex_name(), 600).acquire()  # a run that died

    blocked = await runner.run()
    seconds[0] += 10 * 60 + 1
    clock.advance(minutes=11)
    freed = await runner.run()

    assert [run.status for run in blocked + freed] == [RunStatus.OVERLAPPING, RunStatus.RAN]
