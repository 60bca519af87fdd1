"""Activity logging: model updates with ``LogsActivity`` against the same updates without it.

Two models with the same columns, one a ``LogsActivity`` logging two attributes with
``log_only_changed`` (each update writes one ``activity_log`` row in its flush), the other plain.
Each operation loads nothing: it changes a loaded row and commits, as a request's unit of work
does (``UPDATE``, for the logged model one ``INSERT``, ``COMMIT``). Both run in the same process
through ``DatabaseManager`` sessions (Foundry's ``DatabaseSession``), alternating rounds, on a
temporary SQLite file and, when ``--pg`` or ``BENCH_DATABASE_URL`` names a PostgreSQL server, on
a throwaway database there. Also shown: 100 updates per commit (one flush each), where the
commit's cost no longer hides the extra ``INSERT``. Target: logged >= 0.7x plain. It measures;
it never asserts.

    .venv/bin/python scripts/bench/activity.py [--ops 400] [--rounds 3] [--pg postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, String, Table, text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from sqlalchemy.orm import Mapped, mapped_column  # noqa: E402

from foundry.activity import ACTIVITY_TABLE, Activity, LogOptions, LogsActivity  # noqa: E402
from foundry.config.database import DatabaseSettings  # noqa: E402
from foundry.database import NAMING_CONVENTION, Model  # noqa: E402
from foundry.database.manager import DatabaseManager  # noqa: E402

__all__ = ["main"]

TARGET_RATIO = 0.7


class BenchModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class LoggedPost(LogsActivity, BenchModel):
    __tablename__ = "bench_logged_posts"
    __log_options__ = LogOptions(
        log_name="bench", log_attributes=["title", "status"], log_only_changed=True
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))


class PlainPost(BenchModel):
    __tablename__ = "bench_plain_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))


async def _prepare(manager: DatabaseManager) -> None:
    async with manager.engine.begin() as connection:
        await connection.run_sync(BenchModel.metadata.create_all)
        activity_table = Table(ACTIVITY_TABLE, Activity.metadata)
        await connection.run_sync(lambda sync: activity_table.create(sync, checkfirst=True))
    async with manager.session() as session:
        session.add_all(
            [LoggedPost(id=1, title="t", status="a"), PlainPost(id=1, title="t", status="a")]
        )
        await session.commit()


async def _updates(manager: DatabaseManager, model: type[Any], ops: int, per_commit: int) -> float:
    """Updates per second: ``ops`` changes of one row, committed every ``per_commit``."""
    async with manager.session() as session:
        row = await session.get_one(model, 1)
        started = time.perf_counter()
        for index in range(ops):
            row.title = f"title {index}"
            if (index + 1) % per_commit == 0:
                await session.commit()
            else:
                await session.flush()
        await session.commit()
        return ops / (time.perf_counter() - started)


async def _measure(url: str, ops: int, rounds: int) -> dict[int, list[float]]:
    manager = DatabaseManager(DatabaseSettings.model_validate({"DATABASE_URL": url}))
    try:
        await _prepare(manager)
        await _updates(manager, LoggedPost, 20, 1)  # warm both paths
        await _updates(manager, PlainPost, 20, 1)
        ratios: dict[int, list[float]] = {1: [], 100: []}
        for per_commit in ratios:
            count = ops if per_commit == 1 else ops * 10
            for _ in range(rounds):
                plain = await _updates(manager, PlainPost, count, per_commit)
                logged = await _updates(manager, LoggedPost, count, per_commit)
                ratios[per_commit].append(logged / plain)
                print(
                    f"    {per_commit:>3} per commit: plain {plain:9,.0f}/s  "
                    f"logged {logged:9,.0f}/s  ratio {logged / plain:.2f}"
                )
        return ratios
    finally:
        await manager.dispose()


@asynccontextmanager
async def _postgres(server: str) -> AsyncIterator[str]:
    name = f"bench_activity_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        base, _, _ = server.rpartition("/")
        yield f"{base}/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _report(label: str, ratios: dict[int, list[float]]) -> None:
    for per_commit, values in ratios.items():
        verdict = "meets" if statistics.median(values) >= TARGET_RATIO else "misses"
        print(
            f"  {label:<10} {per_commit:>3} update(s) per commit: logged/plain median "
            f"{statistics.median(values):.2f} (rounds {min(values):.2f}-{max(values):.2f}), "
            f"{verdict} the {TARGET_RATIO}x target"
        )


async def _run(ops: int, rounds: int, pg: str | None) -> None:
    results: dict[str, dict[int, list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite (temporary file):")
        results["SQLite"] = await _measure(
            f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite'}", ops, rounds
        )
    if pg:
        print("PostgreSQL (throwaway database):")
        async with _postgres(pg) as url:
            results["PostgreSQL"] = await _measure(url, ops, rounds)
    print("\nSummary:")
    for label, ratios in results.items():
        _report(label, ratios)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=400, help="committed updates per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per database")
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL server URL (postgresql+asyncpg://...) to also measure on",
    )
    args = parser.parse_args(argv)
    print(f"Activity logging overhead; CPUs: {os.cpu_count()}; {args.rounds} rounds")
    asyncio.run(_run(args.ops, args.rounds, args.pg))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
