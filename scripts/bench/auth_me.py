"""Authenticated request: ``GET /api/v1/auth/me`` in Foundry against the same work in bare FastAPI.

Foundry's side is ``create_app()`` with nothing added: the real endpoint behind every global
middleware, the ``CurrentUser`` guard (JWT verification by ``JwtService``, the denylist check
included) and the user loaded through the request's ``AsyncSession``. The bare side is a
``FastAPI()`` app with one route doing the same work by hand: the bearer token verified with
joserfc (RS256, the same public key parsed once at start-up, the same ``iss``/``aud`` and time
checks), the user selected by id with SQLAlchemy's async session on the same SQLite file, and the
same ``{"data": {...}}`` JSON returned. It runs twice: selecting the row with SQLAlchemy Core
(the baseline the target is measured against) and loading it with the ORM (``session.get`` of a
mapped class, as Foundry does), so the report shows how much of the gap is the ORM's.

Set-up happens in a temporary directory: an SQLite database migrated with the project's
migrations, one verified user (password hashed by ``PasswordHasher``), JWT keys in a temporary
``JWT_KEYS_PATH``, and the production-like environment of ``http_overhead.py``. Each app runs
under uvicorn in its own subprocess on a free loopback port; the load comes from another process
(``wrk`` when installed, else the asyncio load generator of ``http_overhead.py`` with headers),
alternating rounds. The access token is a real one, from ``POST /api/v1/auth/login``.

Also printed: logins per second through Foundry (``POST /api/v1/auth/login`` with valid
credentials; the login throttle only counts failures and a success clears it, so nothing is
throttled) and the time of one argon2id ``PasswordHasher.hash()`` (median of 10). It measures;
it never asserts.

    .venv/bin/python scripts/bench/auth_me.py [--duration 2] [--rounds 6] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

if TYPE_CHECKING:  # mypy sees the package; run as a script, this directory is on sys.path
    from scripts.bench.http_overhead import (
        LOAD_CPU,
        MAX_REQUESTS,
        ROOT,
        SERVER_CPU,
        TARGET_RATIO,
        _pin,
        _server_env,
        _Tally,
        spawned_server,
    )
else:
    from http_overhead import (
        LOAD_CPU,
        MAX_REQUESTS,
        ROOT,
        SERVER_CPU,
        TARGET_RATIO,
        _pin,
        _server_env,
        _Tally,
        spawned_server,
    )

__all__ = ["bare_app", "foundry_app", "main"]

LABELS = ("bare FastAPI", "bare + ORM", "Foundry")
APPS = {"bare": "bare_app", "bare-orm": "bare_orm_app", "foundry": "foundry_app"}
ME_PATH = "/api/v1/auth/me"
LOGIN_PATH = "/api/v1/auth/login"
EMAIL = "bench@example.com"
PASSWORD = "correct horse battery staple 42"
HASH_SAMPLES = 10


def _project_on_path() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# -- the apps -------------------------------------------------------------------------------------


def foundry_app() -> FastAPI:
    """``create_app()`` as deployed: ``/api/v1/auth/me`` is its own endpoint."""
    _project_on_path()
    from foundry.http.app import create_app

    return create_app()


def bare_app() -> FastAPI:
    """FastAPI, joserfc and SQLAlchemy Core doing what ``GET /api/v1/auth/me`` does, by hand."""
    return _bare(orm=False)


def bare_orm_app() -> FastAPI:
    """The same bare app, loading the user with the ORM (``session.get`` of a mapped class)."""
    return _bare(orm=True)


def _bare(*, orm: bool) -> FastAPI:
    _project_on_path()
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import RSAKey
    from joserfc.jwt import JWTClaimsRegistry
    from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, select
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
    from sqlalchemy.orm import DeclarativeBase

    class _Base(DeclarativeBase):
        pass

    from foundry.config.database import DatabaseSettings
    from foundry.config.jwt import JwtSettings

    settings = JwtSettings()
    manifest = json.loads((settings.keys_path / "keys.json").read_text(encoding="utf-8"))
    private = RSAKey.import_key((settings.keys_path / f"{manifest['current']}.pem").read_bytes())
    public = RSAKey.import_key(private.as_pem(private=False))  # parsed once, like the KeyStore
    users = Table(
        "users",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String),
        Column("email", String),
        Column("email_verified_at", DateTime),
        Column("created_at", DateTime),
        Column("updated_at", DateTime),
        Column("deleted_at", DateTime),
    )

    class _User(_Base):
        __table__ = users

    sessions = async_sessionmaker(create_async_engine(DatabaseSettings().url))
    unauthorized = JSONResponse(
        {"message": "Unauthenticated."}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
    )

    def stamp(value: Any) -> str | None:
        # SQLite hands back naive datetimes; they were stored in UTC.
        return None if value is None else str(value.replace(tzinfo=UTC).isoformat())

    async def me(request: Request) -> JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return unauthorized
        try:
            claims = jwt.decode(token.strip(), public, algorithms=["RS256"]).claims
            JWTClaimsRegistry(
                now=int(time.time()),
                leeway=settings.leeway,
                iss={"essential": True, "value": settings.issuer},
                aud={"essential": True, "value": settings.audience},
                sub={"essential": True},
                jti={"essential": True},
                exp={"essential": True},
                nbf={"essential": True},
                iat={"essential": True},
            ).validate(claims)
            user_id = int(claims["sub"])
        except (JoseError, ValueError):
            return unauthorized
        row: Mapping[Any, Any] | None
        async with sessions() as session:
            if orm:
                found = await session.get(_User, user_id)
                row = None if found is None or getattr(found, "deleted_at") else vars(found)
            else:
                query = select(users).where(users.c.id == user_id, users.c.deleted_at.is_(None))
                result = (await session.execute(query)).first()
                row = None if result is None else result._mapping
        if row is None:
            return unauthorized
        user = row
        return JSONResponse(
            {
                "data": {
                    "id": user["id"],
                    "name": user["name"],
                    "email": user["email"],
                    "email_verified_at": stamp(user["email_verified_at"]),
                    "created_at": stamp(user["created_at"]),
                    "updated_at": stamp(user["updated_at"]),
                }
            }
        )

    app = FastAPI()
    app.add_api_route(ME_PATH, me, methods=["GET"])
    return app


# -- set-up ---------------------------------------------------------------------------------------


async def _prepare(workdir: Path, env: dict[str, str]) -> float:
    """Migrate the database, add the user, make the keys; returns the median hash time (ms)."""
    _project_on_path()
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from app.models.user import User
    from foundry.auth.jwt.keys import KeyStore
    from foundry.auth.passwords import PasswordHasher
    from foundry.config.auth import AuthSettings
    from foundry.config.database import DatabaseSettings
    from foundry.database.engine import create_engine
    from foundry.database.migrator import Migrator

    url = env["DATABASE_URL"]
    await asyncio.to_thread(Migrator(url).upgrade)
    KeyStore(Path(env["JWT_KEYS_PATH"])).generate()
    hasher = PasswordHasher(AuthSettings())
    try:
        timings = []
        for _ in range(HASH_SAMPLES):
            started = time.perf_counter()
            hashed = await hasher.hash(PASSWORD)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        hasher.close()
    engine = create_engine(DatabaseSettings(), url=url)
    try:
        async with AsyncSession(engine) as session:
            user = User(name="Bench User", email=EMAIL)
            user.password = hashed
            user.email_verified_at = datetime.now(UTC)
            session.add(user)
            await session.commit()
    finally:
        await engine.dispose()
    return statistics.median(timings)


# -- servers --------------------------------------------------------------------------------------


def _serve(variant: str, port: int, access_log: bool) -> None:
    import uvicorn

    _pin(SERVER_CPU)
    uvicorn.run(
        globals()[APPS[variant]],
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="info" if access_log else "warning",
        access_log=access_log,
    )


@contextmanager
def _server(variant: str, access_log: bool, env: dict[str, str]) -> Iterator[int]:
    args = ["--serve", variant] + ([] if access_log else ["--no-access-log"])
    # Without a token the guard answers 401: the app is up.
    with spawned_server(__file__, args, env, probe=(ME_PATH, 401)) as port:
        yield port


def _call(port: int, path: str, body: dict[str, str] | None = None, token: str = "") -> Any:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# -- load -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    port: int
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""


def _request_bytes(target: _Target) -> bytes:
    lines = [f"{target.method} {target.path} HTTP/1.1", f"Host: 127.0.0.1:{target.port}"]
    lines += [f"{name}: {value}" for name, value in target.headers]
    body = target.body.encode()
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _connection(target: _Target, deadline: float, tally: _Tally) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", target.port)
    request = _request_bytes(target)
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


async def _load(target: _Target, connections: int, duration: float) -> dict[str, float]:
    tally = _Tally()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(_connection(target, deadline, tally) for _ in range(connections)))
    return {
        "requests": tally.ok,
        "errors": tally.errors,
        "seconds": time.perf_counter() - started,
    }


def _load_here(target: _Target, connections: int, duration: float) -> dict[str, float]:
    _pin(LOAD_CPU)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_load(target, connections, duration))
    return uvloop.run(_load(target, connections, duration))


def _wrk(wrk: str, target: _Target, connections: int, duration: float, workdir: Path) -> float:
    argv = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(duration))}s"]
    if target.method != "GET" or target.body:
        script = workdir / "request.lua"
        lines = [
            f"wrk.method = {json.dumps(target.method)}",
            f"wrk.body = {json.dumps(target.body)}",
        ]
        lines += [f"wrk.headers[{json.dumps(n)}] = {json.dumps(v)}" for n, v in target.headers]
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv += ["-s", str(script)]
    else:
        for name, value in target.headers:
            argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://127.0.0.1:{target.port}{target.path}")
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s*([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    failed = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    if failed is not None:
        raise RuntimeError(f"{failed.group(1)} requests failed during the benchmark")
    return float(found.group(1))


def _measure(target: _Target, connections: int, duration: float, workdir: Path) -> float:
    """Requests per second, from a separate process."""
    wrk = shutil.which("wrk")
    if wrk:
        return _wrk(wrk, target, connections, duration, workdir)
    argv = [sys.executable, __file__, "--load", json.dumps(target.__dict__)]
    argv += ["--connections", str(connections), "--duration", str(duration)]
    result = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)
    if result["errors"]:
        raise RuntimeError(f"{result['errors']} requests failed during the benchmark")
    return float(result["requests"]) / float(result["seconds"])


def _target_from_json(text: str) -> _Target:
    data = json.loads(text)
    headers = tuple((str(n), str(v)) for n, v in data["headers"])
    return _Target(int(data["port"]), data["path"], data["method"], headers, data["body"])


# -- the run --------------------------------------------------------------------------------------


@dataclass
class _Results:
    figures: dict[str, list[float]]
    login_per_second: float | str
    hash_ms: float
    same_body: bool


def run(
    rounds: int, connections: int, duration: float, login_seconds: float, access_log: bool
) -> _Results:
    """Set up, serve both apps, and measure."""
    with tempfile.TemporaryDirectory(prefix="foundry-bench-") as tmp:
        workdir = Path(tmp)
        env = _server_env(workdir)
        env["JWT_KEYS_PATH"] = str(workdir / "keys")
        if not access_log:
            env["ACCESS_LOG"] = "false"
        hash_ms = asyncio.run(_prepare(workdir, env))
        figures: dict[str, list[float]] = {name: [] for name in LABELS}
        with (
            _server("bare", access_log, env) as bare,
            _server("bare-orm", access_log, env) as bare_orm,
            _server("foundry", access_log, env) as ours,
        ):
            credentials = {"email": EMAIL, "password": PASSWORD}
            token = str(_call(ours, LOGIN_PATH, credentials)["access_token"])
            same_body = _call(bare, ME_PATH, token=token) == _call(ours, ME_PATH, token=token)
            auth = (("Authorization", f"Bearer {token}"),)
            same_body = same_body and _call(bare_orm, ME_PATH, token=token) == _call(
                bare, ME_PATH, token=token
            )
            targets = {
                label: _Target(port, ME_PATH, headers=auth)
                for label, port in zip(LABELS, (bare, bare_orm, ours), strict=True)
            }
            for target in targets.values():  # warm-up: first requests fill the caches
                _measure(target, connections, 1.0, workdir)
            for _ in range(rounds):
                for name, target in targets.items():
                    figures[name].append(_measure(target, connections, duration, workdir))
            login = _Target(
                ours,
                LOGIN_PATH,
                "POST",
                (("Content-Type", "application/json"),),
                json.dumps(credentials),
            )
            # One connection: concurrent logins on SQLite fail with "database is locked" (the
            # read transaction that found the user cannot take the write lock for the refresh
            # token once another login committed), which would measure errors, not logins.
            try:
                login_per_second: float | str = _measure(login, 1, login_seconds, workdir)
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                login_per_second = f"not measured ({exc})"
    return _Results(figures, login_per_second, hash_ms, same_body)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark (or serve / load, when called by itself)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per load run")
    parser.add_argument("--rounds", type=int, default=6, help="load runs per app")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--login-seconds", type=float, default=4.0, help="seconds of logins")
    parser.add_argument("--quiet", action="store_true", help="access logs off on both apps")
    parser.add_argument("--serve", choices=sorted(APPS), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-access-log", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", metavar="TARGET", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        _serve(args.serve, args.port, not args.no_access_log)
        return 0
    if args.load:
        target = _target_from_json(args.load)
        print(json.dumps(_load_here(target, args.connections, args.duration)))
        return 0

    tool = "wrk" if shutil.which("wrk") else "asyncio keep-alive load generator"
    logs = "access logs off" if args.quiet else "access log on"
    print(
        f"GET {ME_PATH} with a bearer token; {args.connections} connections, {tool}, {logs}, ",
        end="",
    )
    print(f"{args.rounds} x {args.duration:g}s per app, alternating; CPUs: {os.cpu_count()}")
    results = run(args.rounds, args.connections, args.duration, args.login_seconds, not args.quiet)
    bare = results.figures[LABELS[0]]
    print(f"  {LABELS[0]:<14} {statistics.median(bare):8,.0f} req/s")
    for label in LABELS[1:]:
        figures = results.figures[label]
        # Each run is compared with the bare run next to it, so drifting machine load cancels out.
        ratios = [mine / base for mine, base in zip(figures, bare, strict=True)]
        ratio = statistics.median(ratios)
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        goal = f"; {verdict} the {TARGET_RATIO} target" if label == "Foundry" else ""
        print(
            f"  {label:<14} {statistics.median(figures):8,.0f} req/s   ratio {ratio:.2f} "
            f"(runs {min(ratios):.2f}-{max(ratios):.2f}{goal})"
        )
    ours, orm = results.figures["Foundry"], results.figures["bare + ORM"]
    against_orm = statistics.median([m / b for m, b in zip(ours, orm, strict=True)])
    print(f"  Foundry against bare + ORM: {against_orm:.2f}")
    if not results.same_body:
        print("  note: the two apps' JSON bodies differ")
    logins = results.login_per_second
    logins = logins if isinstance(logins, str) else f"{logins:,.1f}/s"
    print(f"\nPOST {LOGIN_PATH} (Foundry, valid credentials, 1 connection): {logins}")
    print(f"argon2id PasswordHasher.hash(): {results.hash_ms:.1f} ms (median of {HASH_SAMPLES})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
