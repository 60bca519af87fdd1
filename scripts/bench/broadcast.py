"""Broadcasting: idle connections held by one server process, and fan-out latency.

Two targets, each in its own server process on a free loopback port, in the same run:

* **Foundry**: ``uvicorn foundry.http.broadcast_app:app`` (what ``artisan broadcast:serve``
  runs): Pusher protocol 7 at ``/app/{key}``; the event is sent through the Pusher HTTP API
  with the official ``pusher`` library, as an app's broadcaster would;
* **bare websockets**: a minimal broadcast server written below with the ``websockets``
  library; the event is one WebSocket message from a publisher connection, which the server
  hands to every other connection with ``websockets.broadcast``;
* **Starlette/uvicorn**: the same minimal server as a Starlette WebSocket route under uvicorn
  (what Foundry's server runs on), to tell uvicorn's share of the cost from Foundry's.

Measured for each:

1. ``--idle`` connections (5,000) opened from this process and held: the server process's
   RSS (``/proc/PID/status``) before and after, per connection;
2. one public channel with ``--subscribers`` (1,000) clients, spread over ``--processes`` (2)
   asyncio client processes; ``--events`` (20) events, each carrying ``time.monotonic()`` at
   sending; each client notes the receive time: p50/p99 delivery latency over every delivery.

It prints the figures and the Foundry/bare ratios. It measures; it never asserts.

    .venv/bin/python scripts/bench/broadcast.py [--idle 5000] [--subscribers 1000] [--events 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import websockets
from pusher import Pusher
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection
from websockets.sync.client import connect as sync_connect

__all__ = ["bare_server", "foundry_server", "main", "starlette_app", "starlette_server"]

ROOT = Path(__file__).resolve().parents[2]
APP_ID, KEY, SECRET = "1000", "bench-key", "bench-secret"
CHANNEL, EVENT = "bench", "Tick"
QUERY = "protocol=7&client=js&version=8.6.0"


@dataclass(frozen=True)
class Endpoint:
    """How clients reach a server (sent to the client processes)."""

    #: The WebSocket URL a client connects to.
    ws_url: str
    #: Whether clients speak Pusher (subscribe to the channel) or just listen.
    pusher: bool


@dataclass(frozen=True)
class Target:
    """A running server: its label, process, port and endpoint."""

    label: str
    process: subprocess.Popen[bytes]
    port: int
    endpoint: Endpoint


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)


@contextmanager
def _serving(label: str, command: list[str], env: dict[str, str], pusher: bool) -> Iterator[Target]:
    port = _free_port()
    process = subprocess.Popen(
        [arg.replace("{port}", str(port)) for arg in command],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    path = f"/app/{KEY}?{QUERY}" if pusher else "/"
    try:
        _wait_for_port(port, process)
        yield Target(label, process, port, Endpoint(f"ws://127.0.0.1:{port}{path}", pusher))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def foundry_server(scratch: Path) -> AbstractContextManager[Target]:
    """The broadcasting-only Foundry app under uvicorn (one process)."""
    env = {
        "APP_ENV_FILE": "",
        "APP_KEY": os.environ.get("APP_KEY", "base64:" + "B" * 43 + "="),
        "DATABASE_URL": f"sqlite+aiosqlite:///{scratch / 'bench.sqlite'}",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(scratch / "cache"),
        "LOG_LEVEL": "WARNING",
        "JWT_KEYS_PATH": str(scratch / "keys"),
        "REVERB_APP_ID": APP_ID,
        "REVERB_APP_KEY": KEY,
        "REVERB_APP_SECRET": SECRET,
    }
    command = [sys.executable, "-m", "uvicorn", "foundry.http.broadcast_app:app"]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]
    return _serving("Foundry", command, env, pusher=True)


def bare_server() -> AbstractContextManager[Target]:
    """The baseline: this script's ``--bare-server PORT`` mode."""
    command = [sys.executable, __file__, "--bare-server", "{port}"]
    return _serving("bare websockets", command, {}, pusher=False)


async def _run_bare_server(port: int) -> None:
    clients: set[Any] = set()

    async def handler(connection: Any) -> None:
        clients.add(connection)
        try:
            async for message in connection:
                # A publisher's message goes to everyone else, as is.
                websockets.broadcast(clients - {connection}, message)
        finally:
            clients.discard(connection)

    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", port, max_size=None):
        await stop


_listeners: set[WebSocket] = set()


async def _starlette_endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    _listeners.add(websocket)
    try:
        while True:
            message = await websocket.receive_text()
            for other in list(_listeners - {websocket}):
                await other.send_text(message)
    except WebSocketDisconnect:
        pass
    finally:
        _listeners.discard(websocket)


#: The Starlette target (``uvicorn broadcast:starlette_app --app-dir scripts/bench``).
starlette_app = Starlette(routes=[WebSocketRoute("/", _starlette_endpoint)])


def starlette_server() -> AbstractContextManager[Target]:
    """The minimal broadcast server as a Starlette route under uvicorn."""
    command = [sys.executable, "-m", "uvicorn", "broadcast:starlette_app"]
    command += ["--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1"]
    command += ["--port", "{port}", "--log-level", "warning"]
    return _serving("Starlette/uvicorn", command, {}, pusher=False)


async def _open(target: Endpoint, subscribe: bool) -> ClientConnection:
    connection = await websockets.connect(target.ws_url, open_timeout=120, max_size=None)
    if target.pusher:
        json.loads(await connection.recv())  # pusher:connection_established
        if subscribe:
            frame = {"event": "pusher:subscribe", "data": {"channel": CHANNEL}}
            await connection.send(json.dumps(frame))
            while json.loads(await connection.recv())["event"] != (
                "pusher_internal:subscription_succeeded"
            ):
                pass
    return connection


async def _open_many(target: Endpoint, count: int, subscribe: bool) -> list[ClientConnection]:
    gate = asyncio.Semaphore(100)  # no thundering herd of handshakes

    async def one() -> ClientConnection:
        async with gate:
            return await _open(target, subscribe)

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def _idle(target: Target, count: int) -> tuple[float, float]:
    """RSS per connection (KiB) and the seconds opening ``count`` connections took."""
    warm = await _open(target.endpoint, subscribe=False)  # the first connection loads code
    await asyncio.sleep(1)
    before = _rss_kib(target.process.pid)
    started = time.monotonic()
    connections = await _open_many(target.endpoint, count, subscribe=False)
    took = time.monotonic() - started
    await asyncio.sleep(2)
    after = _rss_kib(target.process.pid)
    await asyncio.gather(*(c.close() for c in connections))
    await warm.close()
    return (after - before) / count, took


def _subscriber_process(target: Endpoint, count: int, events: int, pipe: Connection) -> None:
    """A client process: ``count`` subscribers; sends "ready", then the latencies (ms)."""
    _raise_fd_limit(count + 200)

    async def run() -> list[float]:
        connections = await _open_many(target, count, subscribe=True)
        latencies: list[float] = []

        async def listen(connection: ClientConnection) -> None:
            seen = 0
            while seen < events:
                frame = json.loads(await connection.recv())
                if frame.get("event") != EVENT:
                    continue
                latencies.append((time.monotonic() - json.loads(frame["data"])["t"]) * 1000)
                seen += 1

        listeners = asyncio.gather(*(listen(c) for c in connections))
        pipe.send("ready")
        try:
            await asyncio.wait_for(listeners, timeout=60 + events * 5)
        except TimeoutError:
            pass  # reported as missing deliveries
        await asyncio.gather(*(c.close() for c in connections))
        return latencies

    pipe.send(asyncio.run(run()))


@contextmanager
def _publisher(target: Target) -> Iterator[Callable[[dict[str, Any]], None]]:
    """What sends one event: the Pusher HTTP API for Foundry, a WebSocket message for bare."""
    if target.endpoint.pusher:
        pusher = Pusher(
            app_id=APP_ID, key=KEY, secret=SECRET, ssl=False, host="127.0.0.1", port=target.port
        )

        def trigger(data: dict[str, Any]) -> None:
            pusher.trigger(CHANNEL, EVENT, data)

        yield trigger
        return
    with sync_connect(target.endpoint.ws_url) as connection:

        def send(data: dict[str, Any]) -> None:
            frame = {"event": EVENT, "channel": CHANNEL, "data": json.dumps(data)}
            connection.send(json.dumps(frame))

        yield send


def _fan_out(target: Target, subscribers: int, processes: int, events: int) -> list[float]:
    """Latencies (ms) of every delivery of ``events`` events to ``subscribers`` clients."""
    spawn = multiprocessing.get_context("spawn")
    pipes, workers = [], []
    for index in range(processes):
        share = subscribers // processes + (1 if index < subscribers % processes else 0)
        parent, child = spawn.Pipe()
        worker = spawn.Process(
            target=_subscriber_process, args=(target.endpoint, share, events, child)
        )
        worker.start()
        pipes.append(parent)
        workers.append(worker)
    for pipe in pipes:
        if pipe.recv() != "ready":
            raise RuntimeError("a subscriber process failed")
    time.sleep(1)
    with _publisher(target) as send:
        for _ in range(events):
            send({"t": time.monotonic()})
            time.sleep(0.25)  # each event's fan-out is over before the next
    latencies: list[float] = []
    for pipe in pipes:
        latencies.extend(pipe.recv())
    for worker in workers:
        worker.join()
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    """Measure both targets and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=5000, help="idle connections to hold")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2, help="client processes for fan-out")
    parser.add_argument("--events", type=int, default=20, help="events fanned out per target")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _raise_fd_limit(max(args.idle, args.subscribers) * 2 + 500)
    if args.bare_server is not None:
        asyncio.run(_run_bare_server(args.bare_server))
        return

    with tempfile.TemporaryDirectory(prefix="foundry-bench-broadcast-") as scratch:
        _measure(args, Path(scratch))


def _measure(args: argparse.Namespace, scratch: Path) -> None:
    print(
        f"Broadcasting: {args.idle} idle connections; fan-out of {args.events} events to "
        f"{args.subscribers} subscribers in {args.processes} client processes"
    )
    results: dict[str, tuple[float, float, float, float, int]] = {}
    servers: list[Callable[[], AbstractContextManager[Target]]] = [
        lambda: foundry_server(scratch),
        bare_server,
        starlette_server,
    ]
    for make in servers:
        with make() as target:
            per_connection, took = asyncio.run(_idle(target, args.idle))
            latencies = _fan_out(target, args.subscribers, args.processes, args.events)
        expected = args.subscribers * args.events
        p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
        results[target.label] = (per_connection, took, p50, p99, expected - len(latencies))
        print(
            f"  {target.label:<17} {per_connection:6.1f} KiB RSS/connection "
            f"(opened in {took:4.1f} s)   fan-out p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
            f"   missing deliveries: {expected - len(latencies)}"
        )
    ours = results["Foundry"]
    for label in ("bare websockets", "Starlette/uvicorn"):
        base = results[label]
        print(
            f"  ratios Foundry/{label}: memory {ours[0] / base[0]:.2f}x, "
            f"p50 {ours[2] / base[2]:.2f}x, p99 {ours[3] / base[3]:.2f}x"
        )


if __name__ == "__main__":
    main()
