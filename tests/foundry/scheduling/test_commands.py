"""``schedule:run``, ``schedule:list``, ``schedule:test`` and ``schedule:work`` as a user runs them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foundry.cache import CacheManager
from foundry.config.base import BASE_PATH
from foundry.console.scheduling import load_schedule
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import set_root_container
from tests.foundry.console.helpers import artisan
from tests.foundry.scheduling.sample_schedule import MODULE, RAN


def env(variant: str, **extra: str) -> dict[str, str]:
    return {"SCHEDULE_MODULE": MODULE, "SAMPLE_SCHEDULE": variant, **extra}


def test_schedule_run_runs_the_due_tasks_and_exits_0() -> None:
    result = artisan("schedule:run", env=env("run"))

    assert result.exit_code == 0, result.output
    assert "Running [record every minute]" in result.stdout and "DONE" in result.stdout
    assert "always skipped" not in result.stdout  # filtered out: not news
    assert RAN == ["every minute"]


def test_schedule_run_with_nothing_due_prints_nothing_when_piped() -> None:
    # Under cron (no terminal) an idle minute must print nothing, or cron mails every minute.
    result = artisan("schedule:run", env=env("empty"))

    assert result.exit_code == 0 and result.stdout == "", result.output


def test_schedule_run_with_nothing_due_says_so_on_a_terminal() -> None:
    leader, follower = os.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "foundry.console", "schedule:run"],
            cwd=BASE_PATH,
            env={**os.environ, **env("empty")},
            stdout=follower,
            timeout=60,
        )
        printed = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
        os.close(follower)

    assert process.returncode == 0
    assert "No scheduled commands are ready to run." in printed


def test_a_failing_task_does_not_stop_the_others_and_the_run_exits_1() -> None:
    result = artisan("schedule:run", env=env("failing"))

    assert result.exit_code == 1, result.output
    assert RAN == ["first", "last"]
    assert result.stdout.count("FAIL") == 2 and result.stdout.count("DONE") == 2
    assert "[explode] RuntimeError: the digest service is down" in result.stderr
    assert "[missing command] CommandFailedError: artisan no-such-command exited with code 1" in (
        result.stderr
    )
    assert 'Command "no-such-command" is not defined.' in result.stdout  # its output, shown


def test_a_command_task_runs_artisan_in_a_process_of_its_own(tmp_path: Path) -> None:
    down_file = tmp_path / "down"

    result = artisan("schedule:run", "-v", env=env("commands", APP_MAINTENANCE_FILE=str(down_file)))

    assert result.exit_code == 0, result.output
    assert "Running [artisan down --message 'scheduled maintenance']" in result.stdout
    assert "Application is now in maintenance mode." in result.stdout  # -v shows its output
    assert json.loads(down_file.read_text())["message"] == "scheduled maintenance"
    assert RAN == ["after down"]  # decided at the start of the run, as the minute is


def test_schedule_run_skips_tasks_in_maintenance_mode(tmp_path: Path) -> None:
    down_file = tmp_path / "down"
    down_file.write_text("{}")

    result = artisan("schedule:run", "-v", env=env("run", APP_MAINTENANCE_FILE=str(down_file)))

    assert result.exit_code == 0, result.output
    assert "Running [record every minute]" in result.stdout and "SKIPPED" in result.stdout
    assert RAN == []


def test_schedule_list_shows_expression_next_due_time_and_task() -> None:
    result = artisan("schedule:list", env=env("mixed"))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Expression", "Next", "due", "Task", "Options"]
    weekly = next(line for line in lines if "ReportJob" in line)
    assert weekly.startswith("30 8 * * 1") and "(Europe/Paris, in " in weekly
    clear = next(line for line in lines if "artisan cache:clear" in line)
    assert clear.startswith("0 3 * * *") and "(UTC, in " in clear
    assert clear.endswith("without overlapping, one server")
    assert any(line.startswith("* * * * *") and "record every minute" in line for line in lines)


def test_schedule_list_in_another_timezone_and_with_a_bad_one() -> None:
    shown = artisan("schedule:list", "--timezone", "Asia/Tokyo", env=env("mixed"))
    bad = artisan("schedule:list", "--timezone", "Nowhere/Atlantis", env=env("mixed"))
    empty = artisan("schedule:list", env=env("empty"))

    assert shown.exit_code == 0 and shown.stdout.count("(Asia/Tokyo, in ") == 4
    assert bad.exit_code == 1 and "unknown timezone 'Nowhere/Atlantis'" in bad.stderr
    assert "No scheduled tasks have been defined." in empty.stdout


def test_schedule_test_runs_the_named_task_now() -> None:
    result = artisan("schedule:test", "--name", "always", env=env("run"))
    ambiguous = artisan("schedule:test", env=env("run"))
    unknown = artisan("schedule:test", "--name", "nope", env=env("run"))

    assert result.exit_code == 0, result.output
    assert "Running [always skipped]" in result.stdout and "SKIPPED" in result.stdout
    assert ambiguous.exit_code == 1 and "2 tasks match" in ambiguous.stderr
    assert unknown.exit_code == 1 and "No scheduled task matches." in unknown.stderr
    assert RAN == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_schedule_work_stops_cleanly_on_ctrl_c_and_sigterm(
    tmp_path: Path, signum: signal.Signals
) -> None:
    log = tmp_path / "work.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "foundry.console", "schedule:work"],
            cwd=BASE_PATH,
            env={**os.environ, **env("run")},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 60  # a generous bound for a slow machine, not a measure
        while "Running [record every minute]" not in log.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        process.send_signal(signum)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    output = log.read_text()
    assert process.returncode == 0, output
    assert "Running scheduled tasks every minute." in output
    assert "Traceback" not in output and "Aborted" not in output


def test_stopping_schedule_work_ends_the_run_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "run.pid"
    process = subprocess.Popen(
        [sys.executable, "-m", "foundry.console", "schedule:work"],
        cwd=BASE_PATH,
        env={**os.environ, **env("lingering", SAMPLE_PID_FILE=str(pid_file))},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60  # a generous bound for a slow machine, not a measure
        while not pid_file.exists() or not pid_file.read_text():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        run_pid = int(pid_file.read_text())
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, output
    assert "Traceback" not in output
    with pytest.raises(ProcessLookupError):
        os.kill(run_pid, 0)  # the lingering schedule:run is gone, not orphaned


def test_schedule_clear_cache_releases_an_overlap_lock_a_dead_run_left(tmp_path: Path) -> None:
    settings = env("mixed", CACHE_STORE="file", CACHE_PATH=str(tmp_path / "cache"))
    config = ConfigRepository.with_environment(settings)
    [locked] = [event for event in load_schedule(config) if event.overlap_minutes]

    async def lock_owner(take: bool) -> str | None:
        application = Application(config=config).bootstrap()
        try:
            lock = application.container.make(CacheManager).store().lock(locked.mutex_name(), 600)
            if take:
                assert await lock.acquire()  # as a run that died would have left it
            return await lock.current_owner()
        finally:
            await application.shutdown()
            set_root_container(None)

    assert asyncio.run(lock_owner(take=True)) is not None
    cleared = artisan("schedule:clear-cache", env=settings)
    again = artisan("schedule:clear-cache", env=settings)

    assert cleared.exit_code == 0, cleared.output
    assert "Released the overlap lock of [artisan cache:clear]" in cleared.stdout
    assert asyncio.run(lock_owner(take=False)) is None
    assert "No held overlap locks were found." in again.stdout
