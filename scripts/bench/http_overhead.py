"""HTTP overhead: the full Foundry stack against a bare FastAPI app, both under uvicorn.

Both serve ``GET /bench`` -> ``{"ok": true}``. The bare app is ``FastAPI()`` with the one route.
Foundry's is ``create_app()`` with the route added: every global middleware (request id, access
log, trusted hosts, security headers, CORS, exception rendering, body limit, container scope) and
the exception handlers. The route is registered after all the app's routes (the route files
``config/app.py`` lists), so the figure includes finding it behind them; the route count is
printed. The same Foundry server also serves it as ``/api/bench`` through
``kernel.include(router, group="api")``, the way controllers are registered (adding the ``api``
group); that figure is printed too.

Each app runs under uvicorn (one worker, uvloop + httptools) in its own subprocess on a free
loopback port, pinned to its own core when there are two, and is loaded from another process:
``wrk`` when it is installed, otherwise the keep-alive asyncio load generator below. Runs
alternate between the targets so machine load hits all alike; the script prints the median
requests/s of each and the median ratio of neighbouring runs (target: >= 0.85). It measures; it
never asserts.

Two scenarios run by default: as deployed (each app writes one access-log line per request:
uvicorn's for the bare app, ours for Foundry) and with access logs off on both.

    .venv/bin/python scripts/bench/http_overhead.py [--duration 2] [--rounds 8] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI

__all__ = ["bare_app", "foundry_app", "load", "main"]

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 0.85
LABELS = ("bare FastAPI", "Foundry, last route", "Foundry, api group")
PATH = "/bench"
API_PREFIX = "/api"
MAX_REQUESTS = 2_000_000  # a bound on one load run besides its duration
SERVER_CPU, LOAD_CPU = 1, 0


async def _bench() -> dict[str, bool]:
    return {"ok": True}


def bare_app() -> FastAPI:
    """The baseline: FastAPI with the one route and nothing else."""
    app = FastAPI()
    app.add_api_route(PATH, _bench, methods=["GET"])
    return app


def foundry_app() -> FastAPI:
    """The same route on ``create_app()``, and again as ``/api/bench`` in the ``api`` group."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from foundry.http.app import create_app
    from foundry.http.kernel import HttpKernel

    app = create_app()
    app.add_api_route(PATH, _bench, methods=["GET"])
    router = APIRouter()
    router.add_api_route(PATH, _bench, methods=["GET"])
    HttpKernel.of(app).include(router, group="api", prefix=API_PREFIX)
    return app


# -- servers --------------------------------------------------------------------------------------


def _pin(cpu: int) -> None:
    # Server and load generator each on their own core: they do not steal each other's time.
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {cpu})


def _serve(variant: str, port: int, access_log: bool) -> None:
    import uvicorn

    _pin(SERVER_CPU)
    uvicorn.run(
        foundry_app if variant == "foundry" else bare_app,
        # As a factory, the app is built after uvicorn configured logging, as it is under
        # `uvicorn foundry.http.app:app`: Foundry then takes the log lines over.
        factory=True,
        host="127.0.0.1",
        port=port,
        # "info" lets uvicorn's access log through for the bare app; Foundry replaces it.
        log_level="info" if access_log else "warning",
        access_log=access_log,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(
    port: int, process: subprocess.Popen[bytes], path: str, status: int, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    expected = f"HTTP/1.1 {status}".encode()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(request)
                if conn.recv(64).startswith(expected):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not answer within {timeout}s")


@contextmanager
def spawned_server(
    script: str, args: list[str], env: dict[str, str], *, probe: tuple[str, int]
) -> Iterator[int]:
    """Run ``script --port N *args`` (which serves an app) until the block ends; yields ``N``.

    It is ready once ``GET probe[0]`` answers ``probe[1]``. Log lines go to /dev/null: formatting
    them is measured, a terminal's speed is not.
    """
    port = _free_port()
    argv = [sys.executable, script, *args, "--port", str(port)]
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_serving(port, process, *probe)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _server(variant: str, access_log: bool, env: dict[str, str]) -> Iterator[int]:
    args = ["--serve", variant] + ([] if access_log else ["--no-access-log"])
    with spawned_server(__file__, args, env, probe=(PATH, 200)) as port:
        yield port


# -- load -----------------------------------------------------------------------------------------


@dataclass
class _Tally:
    ok: int = 0
    errors: int = 0


async def _connection(port: int, path: str, deadline: float, tally: _Tally) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        while time.perf_counter() < deadline and tally.ok + tally.errors < MAX_REQUESTS:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            await reader.readexactly(int(found.group(1)) if found else 0)
            if head.startswith(b"HTTP/1.1 200"):
                tally.ok += 1
            else:
                tally.errors += 1
    finally:
        writer.close()
        await writer.wait_closed()


async def _load(port: int, path: str, connections: int, duration: float) -> dict[str, float]:
    tally = _Tally()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(_connection(port, path, deadline, tally) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return {"requests": tally.ok, "errors": tally.errors, "seconds": elapsed}


def load(port: int, path: str, connections: int, duration: float) -> dict[str, float]:
    """Run the load generator in this process (uvloop when available)."""
    _pin(LOAD_CPU)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_load(port, path, connections, duration))
    return uvloop.run(_load(port, path, connections, duration))


def _wrk(port: int, path: str, connections: int, duration: float) -> float:
    wrk = shutil.which("wrk")
    assert wrk is not None
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    return float(found.group(1))


def _measure(port: int, path: str, connections: int, duration: float) -> float:
    """Requests per second, from a separate process."""
    if shutil.which("wrk"):
        return _wrk(port, path, connections, duration)
    argv = [sys.executable, __file__, "--load", str(port), "--path", path]
    argv += ["--connections", str(connections), "--duration", str(duration)]
    result = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)
    if result["errors"]:
        raise RuntimeError(f"{result['errors']} requests failed during the benchmark")
    return float(result["requests"]) / float(result["seconds"])


# -- the run --------------------------------------------------------------------------------------


def _server_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "QUEUE_"))}
    key = "base64:" + base64.b64encode(secrets.token_bytes(32)).decode()
    env.update(
        APP_ENV="production",  # production headers (HSTS) and no debug
        APP_DEBUG="false",
        APP_KEY=key,
        APP_ENV_FILE="",
        DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bench.sqlite'}",
        CACHE_STORE="array",
        RATE_LIMIT_STORE="memory",
        LOG_LEVEL="INFO",
        # Turn on the optional global middleware too: the whole stack is what is measured.
        CORS_ALLOWED_ORIGINS="https://app.example.com",
        TRUSTED_HOSTS="127.0.0.1,localhost",
        # Production refuses a mailer that delivers nothing; nothing is mailed here.
        MAIL_MAILER="smtp",
        # The api group's limiter counts every request (its cost is measured) but never blocks.
        RATE_LIMIT_API_PER_MINUTE="100000000",
    )
    return env


def _app_route_count() -> int:
    """How many routes the app registers before ``/bench`` (counted in a child process)."""
    code = (
        "import sys; sys.path.insert(0, 'scripts/bench'); import http_overhead as h; "
        "print(len(h.foundry_app().router.routes) - 2)"
    )
    with tempfile.TemporaryDirectory(prefix="foundry-bench-") as tmp:
        env = _server_env(Path(tmp))
        env["JWT_KEYS_PATH"] = _signing_keys(Path(tmp))
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
    return int(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else -1


def _signing_keys(workdir: Path) -> str:
    """A JWT key pair in ``workdir/keys`` (what ``artisan jwt:keys`` writes); returns the path."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from foundry.auth.jwt.keys import KeyStore

    path = workdir / "keys"
    KeyStore(path).generate()
    return str(path)


def scenario(
    access_log: bool, rounds: int, connections: int, duration: float
) -> dict[str, list[float]]:
    """Requests/s of each target in each of ``rounds`` alternating load runs."""
    with tempfile.TemporaryDirectory(prefix="foundry-bench-") as tmp:
        env = _server_env(Path(tmp))
        # Production refuses to start without a signing key; a fresh clone has none.
        env["JWT_KEYS_PATH"] = _signing_keys(Path(tmp))
        if not access_log:
            env["ACCESS_LOG"] = "false"
        figures: dict[str, list[float]] = {name: [] for name in LABELS}
        with _server("bare", access_log, env) as bare, _server("foundry", access_log, env) as ours:
            targets = {
                LABELS[0]: (bare, PATH),
                LABELS[1]: (ours, PATH),
                LABELS[2]: (ours, API_PREFIX + PATH),
            }
            for port, path in targets.values():  # warm-up: first requests fill the caches
                _measure(port, path, connections, 1.0)
            for _ in range(rounds):
                for name, (port, path) in targets.items():
                    figures[name].append(_measure(port, path, connections, duration))
    return figures


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark (or serve / load, when called by itself)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=8, help="load runs per app")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--only", choices=["logged", "quiet"], help="run one scenario")
    parser.add_argument("--serve", choices=["bare", "foundry"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-access-log", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--path", default=PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        _serve(args.serve, args.port, not args.no_access_log)
        return 0
    if args.load:
        print(json.dumps(load(args.load, args.path, args.connections, args.duration)))
        return 0

    tool = "wrk" if shutil.which("wrk") else "asyncio keep-alive load generator"
    print(f"Foundry serves {PATH} after {_app_route_count()} app routes (the last one registered)")
    print(f"GET {PATH} -> {{'ok': true}}; {args.connections} connections, {tool}, ", end="")
    print(f"{args.rounds} x {args.duration:g}s per app, alternating; {os.cpu_count()} CPUs")
    scenarios = {"logged": True, "quiet": False}
    if args.only:
        scenarios = {args.only: scenarios[args.only]}
    for label, access_log in scenarios.items():
        figures = scenario(access_log, args.rounds, args.connections, args.duration)
        bare = figures[LABELS[0]]
        title = "access log on (as deployed)" if access_log else "access logs off"
        print(f"\n{title}:")
        print(f"  {LABELS[0]:<20} {statistics.median(bare):8,.0f} req/s")
        for name in LABELS[1:]:
            # Each run is compared with the bare run next to it, so drifting machine load
            # cancels out; the median of those ratios is the figure.
            ratios = [ours / base for ours, base in zip(figures[name], bare, strict=True)]
            ratio = statistics.median(ratios)
            verdict = "meets" if ratio >= TARGET_RATIO else "misses"
            rps = statistics.median(figures[name])
            print(
                f"  {name:<20} {rps:8,.0f} req/s   ratio {ratio:.2f} "
                f"(runs {min(ratios):.2f}-{max(ratios):.2f}; {verdict} the {TARGET_RATIO} target)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
