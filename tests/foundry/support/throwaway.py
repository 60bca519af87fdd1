"""Throwaway Redis and PostgreSQL servers that fault tests may kill, freeze and restart.

The shared servers on 5432 and 6379 serve every test (and other people): never stop them. A fault
test starts its own server on a free port instead::

    with throwaway_redis() as redis:
        ...  # the app uses redis.url
        redis.kill()      # down: connections refused
        redis.freeze()    # frozen (SIGSTOP): connections accepted, nothing answered
        redis.thaw()
        redis.restart()   # back, empty, on the same port

:func:`throwaway_postgres` does the same for a PostgreSQL cluster made with ``initdb`` in a
temporary directory and run by ``pg_ctl`` (as the ``postgres`` user when the tests run as root,
since PostgreSQL refuses to run as root). Freezing stops the postmaster and every backend, so
pooled connections hang as they would on a frozen machine.

A missing server binary skips the test, except under ``CI=true``, where it fails: CI installs both.
Tests that only need a Redis of their own take the :func:`redis_server` fixture (import it into
the test module or its ``conftest.py``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.support.services import IN_CI

__all__ = [
    "ThrowawayPostgres",
    "ThrowawayRedis",
    "free_port",
    "redis_server",
    "throwaway_postgres",
    "throwaway_redis",
]

#: Seconds a server may take to start before the test gives up on it.
START_TIMEOUT = 30.0


def _missing(what: str) -> NoReturn:
    message = f"{what} is not installed; fault tests need it"
    if IN_CI:
        pytest.fail(message + " (CI must install it)", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until(check: object, what: str) -> None:
    assert callable(check)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {START_TIMEOUT:.0f} s")


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


class ThrowawayRedis:
    """A ``redis-server`` of the test's own, without persistence, on a free port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _missing("redis-server")
        self.binary = str(binary)
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (empty) and wait until it answers ``PING``."""
        log = (self.directory / "redis.log").open("ab")
        with log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.directory),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until(self.answers, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        """Whether the server answers ``PING`` right now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL the server: every connection drops, new ones are refused."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if self.frozen:
            self.thaw_process(process)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(30)

    def freeze(self) -> None:
        """SIGSTOP the server: connections are accepted by the kernel, nothing is answered."""
        assert self.process is not None, "the server is not running"
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        """SIGCONT a frozen server."""
        if self.process is not None:
            self.thaw_process(self.process)

    def thaw_process(self, process: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGCONT)
        self.frozen = False

    def restart(self) -> None:
        """Kill the server if it runs, then start an empty one on the same port."""
        self.kill()
        self.start()


@contextlib.contextmanager
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    """A running :class:`ThrowawayRedis`, killed and removed afterwards whatever the test did."""
    directory = Path(tempfile.mkdtemp(prefix="foundry-redis-"))
    server = ThrowawayRedis(directory)
    try:
        server.start()
        yield server
    finally:
        server.kill()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def redis_server() -> Iterator[ThrowawayRedis]:
    """A Redis server of this test's own, to kill, freeze and restart."""
    with throwaway_redis() as server:
        yield server


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path is None:
        _missing("PostgreSQL (initdb, pg_ctl)")
    return Path(str(on_path)).parent


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``, read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(Path(stat).parent.name))
    found: list[int] = []
    pending = [pid]
    while pending:
        for child in parents.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


class ThrowawayPostgres:
    """A PostgreSQL cluster of the test's own (``initdb`` + ``pg_ctl``), on a free port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.bin = _postgres_bin()
        self.directory = directory
        self.data = directory / "data"
        self.port = port or free_port()
        self.frozen: list[int] = []
        # PostgreSQL refuses to run as root: run its tools as the postgres user, in a directory
        # that user owns.
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            owner = pwd.getpwnam(self.user)
            os.chown(directory, owner.pw_uid, owner.pw_gid)

    @property
    def server_url(self) -> str:
        """The URL of the ``postgres`` database (what ``create_postgres_database`` wants)."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            user=self.user,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def init(self) -> None:
        """Create the cluster (trust authentication for ``postgres`` on localhost)."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        # fsync off is safe here: a killed server loses nothing the operating system holds;
        # synchronous_commit stays on, or a kill would lose transactions a test saw committed.
        options = " ".join(
            [
                f"-c port={self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.directory}",
                "-c fsync=off",
                "-c full_page_writes=off",
            ]
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "postgres.log"),
            "-o",
            options,
            "-w",
            "-t",
            str(int(START_TIMEOUT)),
            "start",
        )

    def postmaster_pid(self) -> int | None:
        """The running postmaster's pid, if any."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        """Stop the server at once (``pg_ctl stop -m immediate``): connections drop, new refused."""
        self.thaw()
        if self.postmaster_pid() is not None:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: connections hang, nothing is answered."""
        pid = self.postmaster_pid()
        assert pid is not None, "the server is not running"
        self.frozen = [pid, *_children(pid)]
        _signal_all(self.frozen, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT what :meth:`freeze` stopped."""
        frozen, self.frozen = self.frozen, []
        _signal_all(frozen, signal.SIGCONT)

    def restart(self) -> None:
        """Stop the server if it runs, then start it again with the same data."""
        self.kill()
        self.start()


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A running :class:`ThrowawayPostgres`, stopped and removed afterwards whatever happened."""
    directory = Path(tempfile.mkdtemp(prefix="foundry-postgres-"))
    try:
        server = ThrowawayPostgres(directory)
        server.init()
        server.start()
        try:
            yield server
        finally:
            server.kill()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
