"""``make dev``'s loop (server, queue worker, scheduler): Ctrl-C ends it cleanly, and
``queue:listen`` restarts the worker when job code changes and after ``queue:restart``."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from foundry.config.base import BASE_PATH
from foundry.console.commands.queue_listen import ChangeWatcher
from tests.support.artisan import artisan

#: What the worker logs once it is up (one line per worker process).
WORKER_STARTED = "worker default on database"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _poll(check: Callable[[], bool], seconds: float = 60) -> bool:
    """Whether ``check()`` became true within ``seconds`` (a generous bound, not a measure)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _group_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


def _env(tmp_path: Path) -> dict[str, str]:
    """This interpreter's environment on a scratch SQLite database and a file cache shared by the
    processes (queue:restart is a cache key); the worktree's code first on the path."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'dev.sqlite'}",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_PATH), os.environ.get("PYTHONPATH")])),
    }


@contextlib.contextmanager
def _group(process: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """Kill the process group if the test fails half-way (nothing is left running)."""
    try:
        yield process
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


def test_ctrl_c_ends_make_dev_without_a_segmentation_fault(tmp_path: Path) -> None:
    port = _free_port()
    # `-o env`: the test's environment stands for .env and the keys (nothing written in the repo).
    command = [
        "make",
        "--no-print-directory",
        "-o",
        "env",
        "dev",
        f"PORT={port}",
        f"ARTISAN={sys.executable} -m foundry.console",
    ]
    process = subprocess.Popen(
        command,
        cwd=BASE_PATH,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    with _group(process):
        assert _poll(lambda: _answers(port) or process.poll() is not None, 120)
        assert process.poll() is None, process.communicate()[0]
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends
        output, _ = process.communicate(timeout=90)

    assert "Segmentation fault" not in output, output
    assert "Traceback" not in output, output
    # A clean stop: make either passes Ctrl-C on to itself once its recipe has ended (killed by
    # SIGINT, as any make interrupted in a terminal) or, when the recipe's trap has already exited
    # 0 by the time make handles the signal, exits 0. Before, `kill 0` in the recipe's trap had
    # it die of SIGTERM.
    assert process.returncode in (0, -signal.SIGINT), output
    assert "Listening to the queue" in output and "Server running on" in output
    assert "Running scheduled tasks every minute." in output  # schedule:work, the third process
    assert not _answers(port)
    assert _poll(lambda: _group_gone(process.pid))  # the server, the worker, their children


def test_queue_listen_restarts_the_worker_on_a_change_and_after_queue_restart(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    assert artisan("migrate", env={"DATABASE_URL": env["DATABASE_URL"]}).exit_code == 0
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    (jobs / "publish_post.py").write_text("VERSION = 1\n", encoding="utf-8")
    log = tmp_path / "listen.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "foundry.console", "queue:listen", "--watch", str(jobs)]
            + ["--sleep", "0.2"],
            cwd=BASE_PATH,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def started() -> int:
        return log.read_text(encoding="utf-8").count(WORKER_STARTED)

    with _group(process):
        assert _poll(lambda: started() == 1), log.read_text()

        (jobs / "publish_post.py").write_text("VERSION = 2\n", encoding="utf-8")
        assert _poll(lambda: started() == 2), log.read_text()
        assert "Code changed; restarting the worker." in log.read_text()

        restart = artisan("queue:restart", env={k: env[k] for k in ("CACHE_STORE", "CACHE_PATH")})
        assert restart.exit_code == 0, restart.output
        assert _poll(lambda: started() == 3), log.read_text()
        assert "Worker stopped (queue:restart); starting it again." in log.read_text()

        process.send_signal(signal.SIGINT)
        process.wait(90)

    assert process.returncode == 0, log.read_text()
    assert _poll(lambda: _group_gone(process.pid))  # no worker left behind


def test_the_polling_watcher_sees_an_edit(tmp_path: Path) -> None:
    # Without watchfiles (uvicorn without [standard]) queue:listen compares modification times.
    module = tmp_path / "job.py"
    module.write_text("A = 1\n", encoding="utf-8")
    watcher = ChangeWatcher([tmp_path], use_watchfiles=False)
    watcher.start()
    try:
        (tmp_path / "notes.txt").write_text("not code", encoding="utf-8")
        module.write_text("A = 2  # edited\n", encoding="utf-8")
        os.utime(module, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
        assert _poll(watcher.changed.is_set, 30)
    finally:
        watcher.stop()
    assert not watcher.uses_watchfiles
