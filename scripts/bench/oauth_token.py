"""client_credentials tokens per second through Foundry, against bare RS256 signatures per second.

The baseline is what no token endpoint can beat: ``joserfc.jwt.encode`` with the same 2048-bit
RSA key object, signing a payload of the same shape, in a loop. Foundry's side is
``POST /oauth/token`` with ``grant_type=client_credentials`` and HTTP Basic credentials, through
``create_app()`` in process (httpx's ``ASGITransport``: every global middleware, the form read,
the client authenticated, authlib's grant, the JWT signed, the audit event dispatched) on an
SQLite file in a temporary directory, ``--concurrency`` requests in flight. No request touches
the database once the warm-up has filled the client cache (``OAUTH2_CLIENT_CACHE_TTL``, 5 s: one
select per client and process every 5 s): ``client_credentials`` tokens are stateless, so nothing
is inserted or committed per token.

Then the deployed shape: ``create_app()`` under uvicorn pinned to one core, loaded with 32
keep-alive connections from another process on the other core (``wrk`` when installed), against
signatures per second on that same core. This is the figure the target applies to: the in-process
figure also pays for the httpx client, which runs on the same event loop as the app.

Also measured: ``OAuth2Service.token`` called directly (the same work without the HTTP stack and
the httpx client), to show where the time goes. All run in this process, alternating rounds, so
the machine's load hits them alike. It prints the medians and the ratios (target >= 0.5 for the
served figure); it never asserts.

    .venv/bin/python scripts/bench/oauth_token.py [--rounds 5] [--requests 300] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # mypy sees the package; run as a script, this directory is on sys.path
    from scripts.bench.auth_me import _measure, _server, _Target
    from scripts.bench.http_overhead import SERVER_CPU
else:
    from auth_me import _measure, _server, _Target
    from http_overhead import SERVER_CPU

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 0.5

__all__ = ["main"]


def _environment(workdir: Path) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "APP_DEBUG": "false",
        "APP_KEY": "base64:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "APP_ENV_FILE": "",
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bench.sqlite'}",
        "JWT_KEYS_PATH": str(workdir / "keys"),
        "CACHE_STORE": "array",
        "RATE_LIMIT_STORE": "memory",
        # What production requires (nothing is mailed); the api group's limiter never blocks.
        "TRUSTED_HOSTS": "bench,127.0.0.1,localhost",
        "MAIL_MAILER": "smtp",
        "RATE_LIMIT_API_PER_MINUTE": "100000000",
        "ACCESS_LOG": "false",
        "LOG_LEVEL": "WARNING",
    }


def bare_signs_per_second(key: Any, count: int) -> float:
    """RS256 signatures per second of an RFC 9068-shaped payload with ``key``."""
    from joserfc import jwt

    header = {"alg": "RS256", "typ": "at+jwt", "kid": key.thumbprint()}
    started = time.perf_counter()
    for _ in range(count):
        now = int(time.time())
        claims = {
            "iss": "http://127.0.0.1:8000",
            "sub": "client",
            "aud": "foundry",
            "iat": now,
            "nbf": now,
            "exp": now + 900,
            "jti": secrets.token_urlsafe(16),
            "client_id": "client",
            "scope": "users:read",
        }
        jwt.encode(header, claims, key, algorithms=["RS256"])
    return count / (time.perf_counter() - started)


async def foundry_tokens_per_second(
    client: httpx.AsyncClient, auth: tuple[str, str], count: int, concurrency: int
) -> float:
    """Successful token responses per second, ``concurrency`` requests in flight."""
    remaining = count
    failures = 0

    async def worker() -> None:
        nonlocal remaining, failures
        while remaining > 0:
            remaining -= 1
            response = await client.post(
                "/oauth/token",
                data={"grant_type": "client_credentials", "scope": "users:read"},
                auth=auth,
            )
            if response.status_code != 200:
                failures += 1
                if failures == 1:
                    print(f"first failure: {response.status_code} {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{failures} token requests failed")
    return count / elapsed


async def service_tokens_per_second(application: Any, auth: tuple[str, str], count: int) -> float:
    """Tokens per second from ``OAuth2Service.token`` directly: the same work without HTTP."""
    from starlette.datastructures import Headers

    from foundry.oauth2.request import FoundryOAuth2Request
    from foundry.oauth2.services.oauth2_service import OAuth2Service

    basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    headers = Headers({"authorization": f"Basic {basic}"})
    form = [("grant_type", "client_credentials"), ("scope", "users:read")]
    started = time.perf_counter()
    for _ in range(count):
        async with application.container.scope() as scope:
            request = FoundryOAuth2Request("POST", "https://bench/oauth/token", headers, form=form)
            response = await scope.make(OAuth2Service).token(request)
            if response.status != 200:
                raise RuntimeError(f"token request failed: {response.body}")
    return count / (time.perf_counter() - started)


def pinned_signs_per_second(key: Any, count: int) -> float:
    """:func:`bare_signs_per_second` on the server's core, the one core the server gets."""
    if not hasattr(os, "sched_getaffinity") or (os.cpu_count() or 1) < 2:
        return bare_signs_per_second(key, count)
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {SERVER_CPU})
    try:
        return bare_signs_per_second(key, count)
    finally:
        os.sched_setaffinity(0, before)


def served_tokens_per_second(
    env: dict[str, str], auth: tuple[str, str], key: Any, rounds: int, workdir: Path
) -> tuple[list[float], list[float]]:
    """Token responses/s from uvicorn on one core under 32 connections, and signs/s on that core.

    The server is ``create_app()`` under uvicorn, as deployed, pinned to one core; the load comes
    from another process on the other core (``wrk`` when installed), as in ``auth_me.py``.
    """
    basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    headers = (
        ("Authorization", f"Basic {basic}"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    )
    body = "grant_type=client_credentials&scope=users%3Aread"
    served: list[float] = []
    signs: list[float] = []
    with _server("foundry", False, env) as port:
        target = _Target(port, "/oauth/token", "POST", headers, body)
        _measure(target, 32, 1.0, workdir)  # warm-up
        for _ in range(rounds):
            signs.append(pinned_signs_per_second(key, 300))
            served.append(_measure(target, 32, 2.0, workdir))
    return served, signs


async def run(rounds: int, requests: int, concurrency: int) -> None:
    sys.path.insert(0, str(ROOT))
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.auth.jwt.keys import KeyStore
    from foundry.config.oauth2 import OAuth2Settings
    from foundry.database.migrator import Migrator
    from foundry.http.app import create_app
    from foundry.kernel.application import Application
    from foundry.kernel.config import ConfigRepository
    from foundry.oauth2.clients import ClientRegistrar

    with tempfile.TemporaryDirectory(prefix="foundry-bench-") as tmp:
        env = _environment(Path(tmp))
        os.environ.update(env)  # the migrator reads DATABASE_URL like artisan does
        await asyncio.to_thread(Migrator(env["DATABASE_URL"]).upgrade)
        keys = KeyStore(Path(env["JWT_KEYS_PATH"]))
        keys.generate()
        application = Application(config=ConfigRepository.with_environment(env)).bootstrap()
        try:
            async with application.container.scope() as scope:
                session = scope.make(AsyncSession)
                registrar = ClientRegistrar(session, scope.make(OAuth2Settings))
                created = await registrar.create(
                    "bench", grants=["client_credentials"], scopes=["users:read"]
                )
                await session.commit()
            auth = (created.client.client_id, created.secret or "")
            transport = httpx.ASGITransport(app=create_app(application))
            async with httpx.AsyncClient(transport=transport, base_url="https://bench") as client:
                await foundry_tokens_per_second(client, auth, 50, concurrency)  # warm up
                bare_signs_per_second(keys.signing_key, 50)
                bare: list[float] = []
                ours: list[float] = []
                direct: list[float] = []
                for number in range(1, rounds + 1):
                    bare.append(bare_signs_per_second(keys.signing_key, requests))
                    ours.append(
                        await foundry_tokens_per_second(client, auth, requests, concurrency)
                    )
                    direct.append(await service_tokens_per_second(application, auth, requests))
                    print(
                        f"round {number}: bare {bare[-1]:,.0f} signs/s, "
                        f"Foundry {ours[-1]:,.0f} tokens/s over HTTP, "
                        f"{direct[-1]:,.0f} tokens/s from the service"
                    )
        finally:
            await application.shutdown()
        served, pinned = served_tokens_per_second(env, auth, keys.signing_key, rounds, Path(tmp))
    server_ratios = [t / b for t, b in zip(served, pinned, strict=True)]
    b, f = statistics.median(bare), statistics.median(ours)
    ratios = [o / s for o, s in zip(ours, bare, strict=True)]
    print()
    print(f"bare RS256 signatures : {b:,.0f}/s (median of {rounds})")
    print(
        f"Foundry /oauth/token  : {f:,.0f} tokens/s (client_credentials, {concurrency} in flight)"
    )
    print(f"ratio in process      : {f / b:.2f} (runs {min(ratios):.2f}-{max(ratios):.2f})")
    d = statistics.median(direct)
    print(f"OAuth2Service.token   : {d:,.0f} tokens/s without HTTP, ratio {d / b:.2f}")
    ratio = statistics.median(server_ratios)
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"uvicorn, one core     : {statistics.median(served):,.0f} tokens/s against "
        f"{statistics.median(pinned):,.0f} signs/s on that core, ratio {ratio:.2f} "
        f"(runs {min(server_ratios):.2f}-{max(server_ratios):.2f}; target >= {TARGET_RATIO}: "
        f"{verdict})"
    )


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.rounds, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
