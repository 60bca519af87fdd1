"""Scheduler fixtures: a clock frozen at a chosen minute, and runners over real cache stores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from foundry.cache import CacheManager
from foundry.console.scheduling import Schedule, ScheduleRunner
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.scheduling import sample_schedule


class FrozenClock:
    """A clock that shows ``now`` until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def clear_sample_journal() -> None:
    sample_schedule.RAN.clear()


@pytest.fixture
def clock() -> FrozenClock:
    """Monday 2026-12-07 03:00:42 UTC."""
    return FrozenClock(datetime(2026, 12, 7, 3, 0, 42, tzinfo=UTC))


def runner_on(
    app: Application,
    schedule: Schedule,
    clock: FrozenClock,
    *,
    in_maintenance: Callable[[], bool] = lambda: False,
) -> ScheduleRunner:
    """A runner for ``schedule`` on ``app``'s default cache store, reading ``clock``."""
    locks = app.container.make(CacheManager).store()
    return ScheduleRunner(
        schedule, app.container, locks, clock=clock, in_maintenance=in_maintenance
    )


REDIS = pytest.param("redis", marks=pytest.mark.redis)


@pytest.fixture(params=["file", REDIS])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The settings of a cache store that separate apps (servers) share: file, and Redis."""
    if request.param == "file":
        return {"CACHE_STORE": "file", "CACHE_PATH": str(tmp_path / "cache")}
    return {
        "CACHE_STORE": "redis",
        "REDIS_URL": request.getfixturevalue("redis_url"),
        "REDIS_PREFIX": request.getfixturevalue("redis_prefix"),
    }


@pytest.fixture
def two_servers(
    make_application: MakeApplication, shared_store: dict[str, str]
) -> tuple[Application, Application]:
    """Two applications (as on two servers) whose cache is the same store."""
    return make_application(**shared_store), make_application(**shared_store)
