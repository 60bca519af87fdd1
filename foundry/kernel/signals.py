"""Letting go of a command's signal handlers before its event loop closes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable

__all__ = ["stop_listening_for_signals"]


def stop_listening_for_signals(
    signums: Iterable[int] = (signal.SIGINT, signal.SIGTERM),
) -> None:
    """Remove the running loop's handlers for ``signums`` and ignore those signals from now on.

    For long-running commands that are stopping (``queue:work``, ``schedule:work``): Ctrl+C in
    a terminal reaches every process of the group, and a parent may forward it again. A signal
    that lands while ``asyncio.run`` closes the loop hits its closed wakeup fd, and Python
    prints an ``OSError`` traceback for a stop that went fine. Only for command processes: a
    test or an app calling the worker in-process keeps its own Ctrl+C.
    """
    loop = asyncio.get_running_loop()
    for signum in signums:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signum)
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, signal.SIG_IGN)
