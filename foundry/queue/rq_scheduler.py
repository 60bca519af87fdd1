"""rq's scheduler process, tied to the worker that started it and riding out Redis outages.

rq forks its scheduler (which moves delayed jobs and retries onto their queues when they are
due) as a child of the worker. A worker killed with SIGKILL cannot stop it, so the child went on
for minutes, owned by init, holding the scheduler lock. Here the child asks Linux to send it
SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), and on every platform a watchdog
thread also ends it once its parent is gone (``os.getppid()`` changes). A lost Redis connection
makes rq's scheduler raise and exit; ours waits with back-off and goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from rq.scheduler import RQScheduler, run

from foundry.queue.outage import Outage, is_outage

__all__ = ["FoundryScheduler", "die_with_parent"]

logger = logging.getLogger("foundry.queue")

#: From <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1
#: How often the watchdog looks for its parent, in seconds.
_WATCH_INTERVAL = 0.5


def die_with_parent(parent: int) -> None:
    """End this process when process ``parent`` (the one that forked it) is gone.

    On Linux the kernel sends SIGTERM at the parent's death; the watchdog thread is the
    portable fallback (and covers a parent that died before the request was made).
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            # The running program's own symbols include libc's (no library search, no subprocess).
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_INTERVAL)
        # The parent is gone: no one would ever stop this process. Exit now, skipping the
        # cleanup an orphan cannot finish anyway (its scheduler lock expires by itself).
        os._exit(0)

    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _run_tied(scheduler: FoundryScheduler, parent: int) -> None:
    # The fork inherited the worker's handlers, which would treat a SIGTERM as the worker's own
    # stop; until rq's scheduler installs its handlers, a SIGTERM simply ends this process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent(parent)
    run(scheduler)  # type: ignore[no-untyped-call]  # rq: unannotated


class FoundryScheduler(RQScheduler):
    """rq's scheduler in a child process that dies with the worker and survives outages."""

    def start(self) -> Any:
        """Fork the scheduler process, tied to this one (as rq's ``start``, with a watchdog)."""
        from rq.scheduler import ForkProcess

        self._status = self.Status.STARTED
        # As rq does: a Redis connection cannot cross the fork.
        self._connection = None
        process = ForkProcess(target=_run_tied, args=(self, os.getpid()), name="Scheduler")
        self._process = process  # type: ignore[assignment]  # rq annotates it as None
        process.start()
        return process

    _outage: Outage | None = None

    def work(self) -> None:
        """rq's scheduler loop, resumed after each Redis outage instead of ending on it."""
        self._outage = outage = Outage("the rq scheduler's Redis", logger)
        while True:
            try:
                super().work()  # type: ignore[no-untyped-call]  # rq: unannotated
                return
            except Exception as exc:
                if not is_outage(exc) or self.stopping():
                    raise
                time.sleep(outage.failed(exc))
                if self.stopping():
                    return

    def stopping(self) -> bool:
        """Whether SIGTERM (or the parent's death) asked the scheduler to stop."""
        return bool(self._stop_requested)

    def heartbeat(self) -> None:
        """rq's heartbeat (once a loop); a heartbeat that reached Redis ends an outage."""
        super().heartbeat()  # type: ignore[no-untyped-call]  # rq: unannotated
        if self._outage is not None:
            self._outage.recovered()
