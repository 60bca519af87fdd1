"""Fixtures shared by both suites: applications, HTTP clients, PostgreSQL/Redis when configured.

Two suites live under ``tests/``, each run by a pytest process of its own (``make test`` runs
both): the framework's (``tests/foundry``, against its test application in
``tests/foundry/testbench``) and the application's (``tests/feature``, ``tests/unit``, against
``app``). Each suite's application maps its own ``User`` on the ``users`` table, and SQLAlchemy
allows one per process. This file imports nothing of the application, so it serves both.

The suites run on SQLite always; ``TEST_DATABASE_URL`` adds PostgreSQL and ``TEST_REDIS_URL``
adds Redis. Without them the tests needing those servers are deselected at collection, with one
header line saying so. Under ``CI=true`` both default to the local servers (127.0.0.1:5432
database ``test``, 127.0.0.1:6379) and must answer, or the run stops at once.
"""

from __future__ import annotations

import asyncio
import gc
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

# Pin the environment before any settings are read: tests never see a developer's .env.
_TMP = Path(tempfile.mkdtemp(prefix="foundry-tests-"))
os.environ.update(
    {
        "APP_ENV": "testing",
        "APP_ENV_FILE": "",
        "APP_DEBUG": "false",
        "APP_KEY": "base64:" + "A" * 43 + "=",
        "DATABASE_URL": f"sqlite+aiosqlite:///{_TMP / 'default.sqlite'}",
        "CACHE_STORE": "array",
        "CACHE_PATH": str(_TMP / "cache"),
        "RATE_LIMIT_STORE": "memory",
        # The api group is throttled as in production; tests send more than 60 requests a
        # minute from one address. Tests of the limits set their own.
        "RATE_LIMIT_API_PER_MINUTE": "100000",
        "JWT_KEYS_PATH": str(_TMP / "keys"),
        "REDIS_PREFIX": f"foundry-test:{secrets.token_hex(4)}:",
    }
)
# Which application runs is the suite's choice (tests/foundry/conftest.py picks the testbench).
_CHOSEN_BY_THE_SUITE = (
    "APP_CONFIG_PACKAGE",
    "APP_PROVIDERS",
    "APP_ROUTES",
    "AUTH_MODEL",
    "DB_MODELS_PACKAGE",
    "DB_MODEL_MODULES",
    "DB_MIGRATIONS_PATH",
    "DB_SEEDER",
)
for _name in ("REDIS_URL", "QUEUE_CONNECTION", *_CHOSEN_BY_THE_SUITE):
    os.environ.pop(_name, None)

import pytest  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession  # noqa: E402

from foundry.http.app import create_app  # noqa: E402
from foundry.kernel.application import Application  # noqa: E402
from foundry.kernel.config import ConfigRepository  # noqa: E402
from foundry.kernel.container import set_root_container  # noqa: E402
from foundry.testing import TestClient  # noqa: E402
from foundry.testing.database import migrate_database, refresh_database  # noqa: E402
from tests.support.postgres_pool import DatabasePool  # noqa: E402
from tests.support.services import (  # noqa: E402
    IN_CI,
    TEST_DATABASE_URL,
    TEST_REDIS_URL,
    check_services,
    chromium_path,
    create_postgres_database,
    delete_redis_prefix,
    delete_rq_keys,
    drop_postgres_database,
)

MakeApplication = Callable[..., Application]


#: The framework's suite, and the application's: never collected by one process together.
FRAMEWORK_SUITE = Path(__file__).parent / "foundry"
APP_SUITES = (Path(__file__).parent / "feature", Path(__file__).parent / "unit")


def _covers(arg: str, suite: Path, root: Path) -> bool:
    path = (root / arg.split("::")[0]).resolve()
    return path == suite or suite in path.parents or path in suite.parents


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a run that would collect both suites: each maps its own ``User`` on ``users``."""
    root = config.invocation_params.dir
    args = [arg for arg in config.args if not arg.startswith("-")]
    framework = any(_covers(arg, FRAMEWORK_SUITE, root) for arg in args)
    application = any(_covers(arg, suite, root) for arg in args for suite in APP_SUITES)
    if framework and application:
        raise pytest.UsageError(
            "tests/foundry (the framework's suite) and tests/feature, tests/unit (the "
            "application's) run in separate pytest processes: `pytest tests/foundry`, then "
            "`pytest tests/feature tests/unit` (`make test` runs both)"
        )


#: The young-generation threshold while the tests run: the server's default (``APP_GC_THRESHOLD``).
GC_THRESHOLD = 10_000


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    """Collect with the cyclic garbage collector paused, then tune it for the tests.

    Collecting imports every test module, the framework and its dependencies: objects that live
    as long as the process, which the collector's full passes walked again and again while they
    piled up (about 2.6 s of CPU in each pytest process of ``tests/foundry``, every xdist worker
    included). Afterwards they are frozen, and young collections run every 10,000 allocations
    instead of 700, as ``tune_after_boot`` does for the server and the workers: the tests build
    many applications, and collecting their cycles cost a fifth of the CPU of a run. Reference
    counting frees everything else as before; cycles are still collected, in fewer passes, and
    pytest's final collection still reports what an unclosed resource left behind.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, older, oldest)
        if was_enabled:
            gc.enable()


def _missing_services() -> list[str]:
    return [
        name
        for name, url in (
            ("TEST_DATABASE_URL", TEST_DATABASE_URL),
            ("TEST_REDIS_URL", TEST_REDIS_URL),
        )
        if not url
    ]


def _needs_missing_service(item: pytest.Item) -> bool:
    # A test needs a server when it runs on the PostgreSQL parameter of ``database_url``, asks
    # for ``redis_url`` (maybe through other fixtures), or carries the server's marker (fixtures
    # that ask for ``redis_url`` only for one parameter mark that parameter).
    callspec = getattr(item, "callspec", None)
    on_postgres = (
        callspec is not None and callspec.params.get("database_url") == "postgresql"
    ) or item.get_closest_marker("postgres") is not None
    on_redis = (
        "redis_url" in getattr(item, "fixturenames", ())
        or item.get_closest_marker("redis") is not None
    )
    in_browser = item.get_closest_marker("browser") is not None
    return (
        (on_postgres and not TEST_DATABASE_URL)
        or (on_redis and not TEST_REDIS_URL)
        or (in_browser and chromium_path() is None)
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Locally, leave out the tests whose PostgreSQL or Redis is not configured.

    One header line says so (:func:`pytest_report_header`), instead of a SKIPPED line per test.
    Under CI nothing is left out: the servers are required and checked at session start.
    """
    if IN_CI or not (_missing_services() or chromium_path() is None):
        return
    left_out = [item for item in items if _needs_missing_service(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not _needs_missing_service(item)]


def pytest_report_header(config: pytest.Config) -> str | None:
    """The one line saying which servers' tests are left out, and how to run them."""
    if IN_CI:
        return None
    lines = []
    missing = _missing_services()
    if missing:
        servers = " and ".join(
            "PostgreSQL" if n == "TEST_DATABASE_URL" else "Redis" for n in missing
        )
        lines.append(
            f"{servers} tests left out (deselected): {' and '.join(missing)} not set; "
            "set them (or CI=true, which requires the local servers) to run them"
        )
    if chromium_path() is None:
        lines.append("browser tests left out (deselected): no chromium (apt-get install chromium)")
    return "\n".join(lines) or None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI, stop at once when PostgreSQL, Redis or Chromium is missing or unreachable."""
    if IN_CI:
        problems = check_services()
        if problems:
            pytest.exit(
                "CI needs PostgreSQL, Redis and Chromium: " + "; ".join(problems), returncode=1
            )


@pytest.fixture
def redis_url() -> str:
    """The Redis server to test against (skips locally when ``TEST_REDIS_URL`` is unset)."""
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    return TEST_REDIS_URL


@pytest.fixture
async def redis_prefix(redis_url: str) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"foundry-test:{secrets.token_hex(8)}:"
    yield prefix
    await delete_redis_prefix(redis_url, prefix)
    await delete_rq_keys(redis_url, prefix)  # rq's own keys do not start with it


#: Fixtures that migrate the test's database first: on PostgreSQL such a test gets a copy of a
#: database migrated once per run, and their migration finds nothing left to do.
MIGRATING_FIXTURES = frozenset({"db", "queue_app"})


T = TypeVar("T")


def _run_in_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    # The session fixture below is first asked for from inside a test's running event loop,
    # where asyncio.run() is refused: run the coroutine on a loop of its own thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


@pytest.fixture(scope="session")
def migrated_postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, cloned by tests that migrate."""
    server = TEST_DATABASE_URL
    assert server
    url = _run_in_thread(lambda: create_postgres_database(server))
    try:
        _run_in_thread(lambda: migrate_database(url))
        yield url
    finally:
        _run_in_thread(lambda: drop_postgres_database(server, url))


@pytest.fixture(scope="session")
def postgres_pool(migrated_postgres_template: str) -> Iterator[DatabasePool]:
    """This process's test databases on PostgreSQL, made ahead and dropped behind the tests.

    Closed before the template is dropped: clones of it may still be in the making."""
    assert TEST_DATABASE_URL
    pool = DatabasePool(TEST_DATABASE_URL)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of this test's own, on SQLite and on PostgreSQL.

    Empty, except on PostgreSQL for tests using a migrating fixture (``db``, ``queue_app``),
    which start from a clone of :func:`migrated_postgres_template`.
    """
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite'}"
        return
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    template = None
    if MIGRATING_FIXTURES & set(request.fixturenames):
        template = request.getfixturevalue("migrated_postgres_template")
    pool: DatabasePool = request.getfixturevalue("postgres_pool")
    url = await asyncio.to_thread(pool.take, template)
    try:
        yield url
    finally:
        pool.give_back(url)


@pytest.fixture
async def make_application() -> AsyncIterator[MakeApplication]:
    """``make_application(CACHE_STORE="redis", ...)``: a bootstrapped app with those settings."""
    created: list[Application] = []

    def factory(**env: str) -> Application:
        application = Application(config=ConfigRepository.with_environment(env)).bootstrap()
        created.append(application)
        return application

    yield factory
    for application in reversed(created):
        await application.shutdown()
    set_root_container(None)


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app on this test's database (SQLite, and PostgreSQL when configured)."""
    return make_application(DATABASE_URL=database_url)


@pytest.fixture
async def db(application: Application) -> AsyncIterator[AsyncConnection]:
    """Migrate, then run the test in one transaction rolled back at the end.

    Every session of the app (services, HTTP requests) joins it, so requests see the test's rows.
    """
    async with refresh_database(application) as connection:
        yield connection


@pytest.fixture(name="refresh_database")
def refresh_database_fixture(db: AsyncConnection) -> AsyncConnection:
    """Laravel's ``RefreshDatabase`` by name: :func:`db`, for
    ``pytestmark = pytest.mark.usefixtures("refresh_database")``."""
    return db


@pytest.fixture
async def session(application: Application, db: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """A session inside a container scope, joined to the test transaction."""
    async with application.container.scope() as scope:
        yield scope.make(AsyncSession)


@pytest.fixture
async def client(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    """An HTTP client for the full app, with Laravel-style assertions on its responses."""
    async with TestClient(create_app(application)) as test_client:
        yield test_client


@pytest.fixture
def tmp_env_file(tmp_path: Path) -> Iterator[Path]:
    """A throwaway ``.env`` path for commands that write one."""
    yield tmp_path / ".env"
