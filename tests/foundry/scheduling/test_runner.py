"""``ScheduleRunner``: what runs in a minute, conditions, hooks, failures, maintenance mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.cache import CacheManager
from foundry.console.scheduling import RunStatus, Schedule, ScheduleError
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.scheduling.conftest import FrozenClock, runner_on


@pytest.fixture
def app(make_application: MakeApplication, tmp_path: Path) -> Application:
    return make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path / "cache"))


async def test_a_run_takes_the_due_events_of_the_clocks_minute(
    app: Application, clock: FrozenClock
) -> None:
    ran: list[str] = []
    schedule = Schedule()
    schedule.call(lambda: ran.append("nightly")).daily_at("03:00")
    schedule.call(lambda: ran.append("at five past")).hourly_at(5)
    runner = runner_on(app, schedule, clock)

    first = await runner.run()
    clock.advance(minutes=5)
    second = await runner.run()

    assert ran == ["nightly", "at five past"]
    assert [run.status for run in first + second] == [RunStatus.RAN, RunStatus.RAN]


async def test_a_failing_event_is_reported_and_the_others_still_run(
    app: Application, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("mail server down")

    schedule = Schedule()
    schedule.call(lambda: calls.append("first"))
    schedule.call(broken).on_success(lambda: calls.append("success")).on_failure(
        lambda: calls.append("failure")
    ).after(lambda: calls.append("after"))
    schedule.call(lambda: calls.append("last"))

    runs = await runner_on(app, schedule, clock).run()

    assert [run.status for run in runs] == [RunStatus.RAN, RunStatus.FAILED, RunStatus.RAN]
    assert str(runs[1].error) == "mail server down"
    assert calls == ["first", "failure", "after", "last"]
    # Logged too: cron usually throws schedule:run's output away.
    [record] = [r for r in caplog.records if r.name == "foundry.schedule"]
    assert record.levelname == "ERROR" and "mail server down" in record.getMessage()


async def test_a_failing_before_hook_fails_the_event_without_running_it(
    app: Application, clock: FrozenClock
) -> None:
    calls: list[str] = []

    def refuse() -> None:
        raise PermissionError("not today")

    schedule = Schedule()
    schedule.call(lambda: calls.append("task")).before(refuse).on_failure(
        lambda: calls.append("failure")
    )

    [run] = await runner_on(app, schedule, clock).run()

    assert run.status is RunStatus.FAILED and isinstance(run.error, PermissionError)
    assert calls == ["failure"]


async def test_when_and_skip_take_bools_sync_and_async_callables_with_injected_services(
    app: Application, clock: FrozenClock
) -> None:
    ran: list[str] = []

    async def flag_is_set(cache: CacheManager) -> bool:
        return bool(await cache.get("reports-enabled"))

    schedule = Schedule()
    schedule.call(lambda: ran.append("when true")).when(True).when(lambda: 1 + 1 == 2)
    schedule.call(lambda: ran.append("when false")).when(lambda: False)
    schedule.call(lambda: ran.append("flag")).when(flag_is_set)
    schedule.call(lambda: ran.append("skip false")).skip(False)
    schedule.call(lambda: ran.append("skip true")).skip(lambda: True)
    runner = runner_on(app, schedule, clock)

    before = await runner.run()
    await app.container.make(CacheManager).put("reports-enabled", True)
    ran.clear()
    await runner.run()

    assert [run.status for run in before].count(RunStatus.FILTERED) == 3
    assert ran == ["when true", "flag", "skip false"]


async def test_a_callable_gets_its_parameters_and_services_from_the_container(
    app: Application, clock: FrozenClock
) -> None:
    async def remember(cache: CacheManager, key: str) -> str:
        await cache.put(key, "done")
        return f"stored {key}"

    schedule = Schedule()
    schedule.call(remember, key="digest-sent")

    [run] = await runner_on(app, schedule, clock).run()

    assert run.status is RunStatus.RAN and run.output == "stored digest-sent"
    assert await app.container.make(CacheManager).get("digest-sent") == "done"


async def test_maintenance_mode_skips_events_unless_they_run_even_then(
    app: Application, clock: FrozenClock
) -> None:
    ran: list[str] = []
    schedule = Schedule()
    schedule.call(lambda: ran.append("normal"))
    schedule.call(lambda: ran.append("backup")).even_in_maintenance_mode()

    runs = await runner_on(app, schedule, clock, in_maintenance=lambda: True).run()

    assert ran == ["backup"]
    assert [run.status for run in runs] == [RunStatus.FILTERED, RunStatus.RAN]


async def test_a_lambda_needs_a_name_to_take_a_lock(app: Application, clock: FrozenClock) -> None:
    schedule = Schedule()
    schedule.call(lambda: None).without_overlapping()
    schedule.call(lambda: None).name("named").without_overlapping()

    runs = await runner_on(app, schedule, clock).run()

    assert [run.status for run in runs] == [RunStatus.FAILED, RunStatus.RAN]
    assert isinstance(runs[0].error, ScheduleError) and ".name(" in str(runs[0].error)
