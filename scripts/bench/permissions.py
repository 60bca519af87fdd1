"""Permission checks: warm ``user.can(...)`` against a dict lookup, and a protected endpoint
against the same endpoint unprotected.

1. In process: a user holding ``reports.view`` through a role, loaded once with
   ``await user.load_permissions(session)``; then ``user.can("reports.view")`` (the Gate: before
   hooks, no ability or policy, the permission fallback), ``user.has_permission_to(...)`` and a
   plain ``dict`` lookup, each called in a tight loop, calls per second, median of 5 runs.
2. Over HTTP: one Foundry server (``create_app()`` plus two routes) serving ``GET /bench/open``
   (``CurrentUser``: the token checked, the user loaded) and ``GET /bench/protected`` (the same
   plus ``require_permission("reports.view")``: the registry version, the user's version and
   links read from the cache in one call, no query once warm, the check). Same token, same body; load from another
   process as in ``auth_me.py``, alternating rounds.

It measures; it never asserts.

    .venv/bin/python scripts/bench/permissions.py [--duration 2] [--rounds 6] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import timeit
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

if TYPE_CHECKING:  # mypy sees the package; run as a script, this directory is on sys.path
    from scripts.bench.auth_me import _call, _measure, _Target
    from scripts.bench.http_overhead import ROOT, SERVER_CPU, _pin, _server_env, spawned_server
else:
    from auth_me import _call, _measure, _Target
    from http_overhead import ROOT, SERVER_CPU, _pin, _server_env, spawned_server

__all__ = ["bench_app", "main"]

LABELS = ("unprotected", "protected")
PATHS = {"unprotected": "/bench/open", "protected": "/bench/protected"}
EMAIL = "bench@example.com"
PERMISSION = "reports.view"
CALLS = 200_000


def _project_on_path() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def bench_app() -> FastAPI:
    """``create_app()`` with the two benchmark routes in the ``api`` group."""
    _project_on_path()
    from fastapi import APIRouter, Depends

    from foundry.http.app import create_app
    from foundry.http.auth import current_user
    from foundry.http.kernel import HttpKernel
    from foundry.http.permissions import require_permission

    router = APIRouter()

    # Dependencies as defaults: the annotations are strings (postponed) that FastAPI resolves in
    # this module's globals, where the app's names are not imported.
    @router.get("/open")
    async def open_route(user: Any = Depends(current_user)) -> dict[str, Any]:
        return {"ok": True, "user": user.id}

    @router.get("/protected")
    async def protected_route(
        user: Any = Depends(current_user), _: Any = Depends(require_permission(PERMISSION))
    ) -> dict[str, Any]:
        return {"ok": True, "user": user.id}

    app = create_app()
    HttpKernel.of(app).include(router, group="api", prefix="/bench")
    return app


async def _prepare(env: dict[str, str]) -> None:
    """Migrate, make the keys, and a user holding the permission through a role."""
    _project_on_path()
    os.environ.update(env)
    from sqlalchemy.ext.asyncio import AsyncSession

    from database.factories import UserFactory
    from foundry.auth.jwt.keys import KeyStore
    from foundry.database.migrator import Migrator
    from foundry.kernel.application import Application
    from foundry.permissions import Permission, Role

    await asyncio.to_thread(Migrator(env["DATABASE_URL"]).upgrade)
    KeyStore(Path(env["JWT_KEYS_PATH"])).generate()
    application = Application().bootstrap()
    try:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            await Permission.create(session, name=PERMISSION)
            for number in range(20):  # a registry of realistic size
                await Permission.create(session, name=f"area{number}.view")
            role = await Role.create(session, name="reporter")
            await role.give_permission_to(PERMISSION, "area3.view", session=session)
            user = await UserFactory.new().create(session, email=EMAIL)
            await user.assign_role("reporter", session=session)
            await session.commit()
    finally:
        await application.shutdown()


async def _in_process(env: dict[str, str]) -> dict[str, float]:
    """Calls per second of ``can``, ``has_permission_to`` and a dict lookup (median of 5)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from app.models.user import User
    from foundry.kernel.application import Application

    application = Application().bootstrap()
    try:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            user = await session.scalar(User.scope_email(EMAIL))
            assert user is not None
            await user.load_permissions(session)
            assert user.can(PERMISSION)
            table = {PERMISSION: True, **{f"area{n}.view": False for n in range(20)}}
            candidates = {
                "dict lookup": lambda: table.get(PERMISSION, False),
                "user.has_permission_to": lambda: user.has_permission_to(PERMISSION),
                "user.can (Gate)": lambda: user.can(PERMISSION),
            }
            rates: dict[str, float] = {}
            for name, call in candidates.items():
                runs = timeit.repeat(call, number=CALLS, repeat=5)
                rates[name] = CALLS / statistics.median(runs)
            return rates
    finally:
        await application.shutdown()


def _serve(port: int) -> None:
    import uvicorn

    _pin(SERVER_CPU)
    uvicorn.run(
        bench_app, factory=True, host="127.0.0.1", port=port, log_level="warning", access_log=False
    )


@contextmanager
def _server(env: dict[str, str]) -> Iterator[int]:
    with spawned_server(__file__, ["--serve"], env, probe=("/health", 200)) as port:
        yield port


def run(
    rounds: int, connections: int, duration: float
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Set up, measure in process, then serve and measure over HTTP."""
    with tempfile.TemporaryDirectory(prefix="foundry-bench-") as tmp:
        workdir = Path(tmp)
        env = _server_env(workdir)
        env.update(JWT_KEYS_PATH=str(workdir / "keys"), ACCESS_LOG="false")
        asyncio.run(_prepare(env))
        rates = asyncio.run(_in_process(env))
        figures: dict[str, list[float]] = {name: [] for name in LABELS}
        with _server(env) as port:
            login = {"email": EMAIL, "password": "password"}
            token = str(_call(port, "/api/v1/auth/login", login)["access_token"])
            auth = (("Authorization", f"Bearer {token}"),)
            targets = {name: _Target(port, PATHS[name], headers=auth) for name in LABELS}
            for target in targets.values():  # warm-up: the registry cache fills here
                _measure(target, connections, 1.0, workdir)
            for _ in range(rounds):
                for name, target in targets.items():
                    figures[name].append(_measure(target, connections, duration, workdir))
    return rates, figures


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark (or serve, when called by itself)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=6, help="load runs per endpoint")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve(args.port)
        return 0

    tool = "wrk" if shutil.which("wrk") else "asyncio keep-alive load generator"
    print(
        f"Permission checks; CPUs: {os.cpu_count()}; HTTP: {args.connections} connections, {tool}"
    )
    rates, figures = run(args.rounds, args.connections, args.duration)
    base = rates["dict lookup"]
    print(f"\nIn process, warm ({CALLS:,} calls, median of 5):")
    for name, rate in rates.items():
        print(f"  {name:<24} {rate:14,.0f} calls/s   ratio to dict {rate / base:.3f}")
    plain, guarded = figures[LABELS[0]], figures[LABELS[1]]
    ratios = [mine / other for mine, other in zip(guarded, plain, strict=True)]
    print(f"\nOver HTTP ({args.rounds} x {args.duration:g}s each, alternating, access logs off):")
    print(f"  GET {PATHS['unprotected']:<18} {statistics.median(plain):8,.0f} req/s")
    print(
        f"  GET {PATHS['protected']:<18} {statistics.median(guarded):8,.0f} req/s   "
        f"ratio {statistics.median(ratios):.2f} (runs {min(ratios):.2f}-{max(ratios):.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
