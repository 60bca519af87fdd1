"""``schedule:work``: start a run at the beginning of every minute, in the foreground.

Each minute's run is started as a task of its own, so a run that takes longer than a minute
does not hold back the next one (``without_overlapping`` is how an event says it must not).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from foundry.console.scheduling.cron import floor_minute
from foundry.console.scheduling.runner import utc_now

__all__ = ["ScheduleWorker"]

_MINUTE = timedelta(minutes=1)


class ScheduleWorker:
    """Calls ``run(minute)`` once for every minute the clock enters, until stopped."""

    def __init__(
        self,
        run: Callable[[datetime], Awaitable[object]],
        *,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        """Create a worker.

        Args:
            run: what to do for a minute (``schedule:run`` in a process of its own).
            clock: the current time (aware); tests move it by hand.
            sleep: waits that many seconds (tests advance their clock instead); by default a
                wait that :meth:`stop` cuts short.
        """
        self.run = run
        self.clock = clock
        self._stopping = asyncio.Event()
        self.sleep = sleep or self._sleep_unless_stopped
        self._running: set[asyncio.Task[object]] = set()

    async def _sleep_unless_stopped(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass

    def stop(self) -> None:
        """Start no further run; :meth:`work` returns once the current runs finish."""
        self._stopping.set()

    async def work(self, *, minutes: int | None = None) -> int:
        """Run every minute (only ``minutes`` of them when given); returns how many ran."""
        last: datetime | None = None
        started = 0
        try:
            while not self._stopping.is_set() and (minutes is None or started < minutes):
                minute = floor_minute(self.clock())
                if minute != last:
                    last = minute
                    started += 1
                    task: asyncio.Task[object] = asyncio.ensure_future(self.run(minute))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
                    if minutes is not None and started >= minutes:
                        break
                wait = (minute + _MINUTE - self.clock()).total_seconds()
                await self.sleep(max(wait, 0.0) + 0.001)  # wake just inside the next minute
        finally:
            if self._running:
                await asyncio.gather(*self._running, return_exceptions=True)
        return started
