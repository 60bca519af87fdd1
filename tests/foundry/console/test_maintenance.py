"""``down``/``up``: while down every request is a 503 in the JSON error shape, except for the
browser that visited the ``--secret`` path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from foundry.http.app import create_app
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan


@pytest.fixture
def down_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "framework" / "down"
    monkeypatch.setenv("APP_MAINTENANCE_FILE", str(path))
    return path


@pytest.fixture
async def client(
    make_application: MakeApplication, down_file: Path, tmp_path: Path
) -> AsyncIterator[TestClient]:
    application = make_application(
        APP_MAINTENANCE_FILE=str(down_file),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}",
    )
    async with TestClient(create_app(application)) as test_client:
        yield test_client


async def test_down_answers_503_json_with_retry_after_until_up(
    client: TestClient, down_file: Path
) -> None:
    assert (await client.get("/health")).status_code == 200

    result = artisan("down", "--retry", "60")

    assert result.exit_code == 0, result.stderr
    assert "maintenance mode" in result.stdout
    for path in ("/health", "/api/v1/users", "/no-such-page"):
        response = await client.get(path)
        assert response.status_code == 503, path
        assert response.json() == {
            "message": "The application is down for maintenance.",
            "error": "service_unavailable",
        }
        assert response.headers["Retry-After"] == "60"
        assert response.headers["X-Request-ID"]

    result = artisan("up")

    assert result.exit_code == 0 and "now live" in result.stdout
    assert not down_file.exists()
    assert (await client.get("/health")).status_code == 200
    assert "already up" in artisan("up").stdout


async def test_without_retry_there_is_no_retry_after_and_message_is_custom(
    client: TestClient,
) -> None:
    artisan("down", "--message", "Back at 10:00 UTC.")

    response = await client.post("/api/v1/auth/login", json={})

    assert response.status_code == 503
    assert response.json()["message"] == "Back at 10:00 UTC."
    assert "Retry-After" not in response.headers


async def test_the_secret_path_sets_a_cookie_that_lets_that_browser_through(
    client: TestClient, down_file: Path
) -> None:
    artisan("down", "--secret", "let-me-in")
    assert "let-me-in" not in down_file.read_text()  # only its hash is stored

    visit = await client.get("/let-me-in")

    assert visit.status_code == 302 and visit.headers["location"] == "/"
    cookie = visit.headers["set-cookie"]
    assert cookie.startswith("foundry_maintenance=") and "HttpOnly" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    client.http.cookies.clear()  # each request below says which cookie it sends
    allowed = await client.get("/health", headers={"Cookie": f"foundry_maintenance={value}"})
    assert allowed.status_code == 200
    forged = await client.get("/health", headers={"Cookie": "foundry_maintenance=9999999999.0"})
    assert forged.status_code == 503
    assert (await client.get("/wrong-secret")).status_code == 503
    assert (await client.get("/health")).status_code == 503

    artisan("down", "--secret", "another")  # a new secret voids the old cookies
    again = await client.get("/health", headers={"Cookie": f"foundry_maintenance={value}"})
    assert again.status_code == 503


async def test_a_hand_written_down_file_still_means_down(
    client: TestClient, down_file: Path
) -> None:
    down_file.parent.mkdir(parents=True)
    down_file.write_text("maintenance until noon")

    response = await client.get("/health")

    assert response.status_code == 503
    assert response.json()["error"] == "service_unavailable"


@pytest.mark.usefixtures("down_file")
def test_a_secret_that_is_not_one_path_segment_is_refused() -> None:
    result = artisan("down", "--secret", "a/b")

    assert result.exit_code == 1
    assert "path segment" in result.stderr
