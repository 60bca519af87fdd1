"""``queue:listen``: a ``queue:work`` process that is restarted when code changes (development).

Laravel's ``queue:listen`` boots the framework for every job so edited job code is picked up.
Here the worker is a child process (``python -m foundry.console queue:work ...``) and this command
supervises it:

* a change to a ``.py`` file under the watched directories (``app/`` by default) stops the worker
  (SIGTERM: it finishes the job in hand) and starts a new one, which imports the new code;
* a worker that exits by itself after ``queue:restart`` (or ``--max-jobs``, ``--memory``...) is
  started again at once; one that fails (non-zero exit, e.g. a syntax error in a job module) is
  started again on the next change, rather than in a tight loop;
* Ctrl-C or SIGTERM stops the worker the same graceful way, then this command, with exit code 0.

Changes are seen through watchfiles (installed with ``uvicorn[standard]``) when it is importable,
else by comparing file modification times once a second.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from foundry.console.commands.queue_work import (
    BackoffOption,
    ConnectionArgument,
    QueueOption,
    SleepOption,
    TimeoutOption,
    TriesOption,
)
from foundry.console.context import CommandError
from foundry.console.output import Output

__all__ = ["ChangeWatcher", "queue_listen"]

#: Seconds a stopped worker may take to finish its job before it is killed.
STOP_GRACE = 60.0
#: Seconds between two looks at the worker when nothing happens.
_TICK = 0.2


def _python_files(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        yield from (p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _mtimes(roots: Iterable[Path]) -> dict[Path, int]:
    found: dict[Path, int] = {}
    for path in _python_files(roots):
        try:
            found[path] = path.stat().st_mtime_ns
        except FileNotFoundError:  # deleted while walking
            continue
    return found


class ChangeWatcher:
    """Sets :attr:`changed` when a ``.py`` file under ``roots`` is added, edited or removed.

    Runs in a daemon thread: watchfiles when available (``use_watchfiles``), else polling.
    """

    def __init__(self, roots: list[Path], *, use_watchfiles: bool | None = None) -> None:
        self.roots = roots
        self.changed = threading.Event()
        self._stop = threading.Event()
        if use_watchfiles is None:
            try:
                import watchfiles  # noqa: F401
            except ImportError:
                use_watchfiles = False
            else:
                use_watchfiles = True
        self.uses_watchfiles = use_watchfiles
        self._seen: dict[Path, int] = {}
        self._thread = threading.Thread(target=self._run, name="queue-listen-watch", daemon=True)

    def start(self) -> None:
        """Start watching (polling compares with the files as they are now)."""
        self._seen = {} if self.uses_watchfiles else _mtimes(self.roots)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (the thread ends within a second)."""
        self._stop.set()

    def _run(self) -> None:
        if self.uses_watchfiles:
            from watchfiles import PythonFilter, watch

            for _ in watch(
                *self.roots,
                watch_filter=PythonFilter(),
                stop_event=self._stop,
                raise_interrupt=False,
            ):
                self.changed.set()
            return
        while not self._stop.wait(1.0):
            now = _mtimes(self.roots)
            if now != self._seen:
                self._seen = now
                self.changed.set()


class _Listener:
    """Starts, watches and restarts one worker process."""

    def __init__(self, argv: list[str], watcher: ChangeWatcher, output: Output) -> None:
        self.argv = argv
        self.watcher = watcher
        self.output = output
        self.stopping = threading.Event()

    def ask_to_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _stop_worker(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _wait(self, process: subprocess.Popen[bytes] | None) -> str:
        """``"stop"``, ``"changed"`` or ``"exited"``: whichever comes first."""
        while True:
            if self.stopping.is_set():
                return "stop"
            if self.watcher.changed.is_set():
                self.watcher.changed.clear()
                return "changed"
            if process is not None and process.poll() is not None:
                return "exited"
            self.stopping.wait(_TICK)

    def run(self) -> None:
        process: subprocess.Popen[bytes] | None = subprocess.Popen(self.argv)
        while process is not None:
            event = self._wait(process)
            if event == "exited" and process.returncode == 0:
                self.output.info("Worker stopped (queue:restart); starting it again.")
            elif event == "exited":
                self.output.error(
                    f"Worker exited with code {process.returncode}; "
                    "waiting for a code change to start it again."
                )
                if self._wait(None) == "stop":
                    return
            elif event == "changed":
                self.output.info("Code changed; restarting the worker.")
            self._stop_worker(process)
            process = None if event == "stop" else subprocess.Popen(self.argv)


def queue_listen(
    connection: ConnectionArgument = None,
    queue: QueueOption = None,
    tries: TriesOption = 1,
    timeout: TimeoutOption = 60.0,
    sleep: SleepOption = 3.0,
    backoff: BackoffOption = "0",
    watch: Annotated[
        list[Path] | None,
        typer.Option("--watch", help="Directories whose .py files restart the worker (app)"),
    ] = None,
) -> None:
    """Work the queue in a child process restarted when code changes or after queue:restart."""
    roots = [path.resolve() for path in (watch or [Path("app")])]
    missing = [str(path) for path in roots if not path.is_dir()]
    if missing:
        raise CommandError(f"--watch: no such directory: {', '.join(missing)}")
    argv = [sys.executable, "-m", "foundry.console", "queue:work"]
    argv += [connection] if connection else []
    argv += ["--queue", queue] if queue else []
    argv += ["--tries", str(tries), "--timeout", str(timeout), "--sleep", str(sleep)]
    argv += ["--backoff", backoff]
    watcher = ChangeWatcher(roots)
    output = Output()
    listener = _Listener(argv, watcher, output)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, listener.ask_to_stop)
    how = "watchfiles" if watcher.uses_watchfiles else "polling"
    shown = ", ".join(os.path.relpath(path) for path in roots)
    output.info(f"Listening to the queue; the worker restarts when {shown} changes ({how}).")
    watcher.start()
    try:
        listener.run()
    finally:
        watcher.stop()
