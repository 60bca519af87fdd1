"""Running async database work from synchronous code (migrations, tools, test set-up)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["run_blocking"]

T = TypeVar("T")


def run_blocking(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work()`` to completion on its own event loop and return its result.

    With no loop running in this thread, that is ``asyncio.run``. Inside a running loop (an
    async test, an async command) ``asyncio.run`` is refused, so the work gets a loop in a
    helper thread and this thread waits: callers asked for a blocking call.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work())

    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(asyncio.run(work()))
        except BaseException as exc:  # handed back to the calling thread below
            failure.append(exc)

    thread = threading.Thread(target=target, name="foundry-run-blocking")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
