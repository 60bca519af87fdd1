"""One app server per module for the broadcasting tests: SQLite, two users, known secrets."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pusher import Pusher

from tests.support.artisan import artisan_process
from tests.support.live_server import LiveServer, live_server

APP_ID, KEY, SECRET = "1000", "test-key", "test-secret"
PASSWORD = "correct horse battery staple 42"


@dataclass(frozen=True)
class BroadcastApp:
    """The served app, its database and the API tokens of Ada (user 1) and Bob (user 2)."""

    live: LiveServer
    env: dict[str, str]
    ada: str
    bob: str

    @property
    def url(self) -> str:
        return self.live.url

    def pusher(self) -> Pusher:
        """The official Pusher server library, pointed at this server."""
        host, port = self.url.removeprefix("http://").split(":")
        return Pusher(app_id=APP_ID, key=KEY, secret=SECRET, ssl=False, host=host, port=int(port))


def broadcasting_env(database: Path, **extra: str) -> dict[str, str]:
    """The environment of a broadcasting test server."""
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "REVERB_APP_ID": APP_ID,
        "REVERB_APP_KEY": KEY,
        "REVERB_APP_SECRET": SECRET,
        "RATE_LIMIT_API_PER_MINUTE": "10000",
        **extra,
    }


def login(url: str, email: str) -> str:
    """An access token for ``email``."""
    answer = httpx.post(
        url + "/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and create Ada and Bob."""
    for args in (
        ("migrate",),
        ("user:create", "--name", "Ada", "--email", "ada@example.com", "--password", PASSWORD),
        ("user:create", "--name", "Bob", "--email", "bob@example.com", "--password", PASSWORD),
    ):
        done = artisan_process(*args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with Ada and Bob, made once; servers get copies."""
    path = tmp_path_factory.mktemp("broadcasting-template") / "app.sqlite"
    prepare_database(broadcasting_env(path))
    return path


def database_copy(template: Path, folder: Path) -> Path:
    """A fresh copy of the template database in ``folder``."""
    copy = folder / "app.sqlite"
    shutil.copyfile(template, copy)
    return copy


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path
) -> Iterator[BroadcastApp]:
    """The app served by uvicorn, shared by the module's tests."""
    tmp = tmp_path_factory.mktemp("broadcasting")
    env = broadcasting_env(database_copy(database_template, tmp))
    with live_server(env, tmp / "server.log") as live:
        yield BroadcastApp(
            live, env, login(live.url, "ada@example.com"), login(live.url, "bob@example.com")
        )
