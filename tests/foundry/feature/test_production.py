"""``APP_ENV=production`` refuses settings meant for a laptop, and hides the API docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.auth.jwt import KeyStore
from foundry.http.production import UnsafeProductionConfigError
from foundry.testing import TestClient
from tests.foundry.feature.conftest import MakeHttpApp


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    """A production environment that passes every check (JWT keys made beforehand)."""
    KeyStore(tmp_path / "keys").generate()
    return {
        "APP_ENV": "production",
        "APP_DEBUG": "false",
        "JWT_KEYS_PATH": str(tmp_path / "keys"),
        "TRUSTED_HOSTS": "api.example.com",
        "MAIL_MAILER": "smtp",
    }


def test_production_names_every_unsafe_setting_at_once(
    make_http_app: MakeHttpApp, production: dict[str, str]
) -> None:
    unsafe = {**production, "TRUSTED_HOSTS": "", "MAIL_MAILER": "log", "APP_DEBUG": "true"}
    with pytest.raises(UnsafeProductionConfigError) as refused:
        make_http_app(**unsafe)
    message = str(refused.value)
    assert "TRUSTED_HOSTS is empty" in message
    assert "MAIL_MAILER=log delivers no mail" in message
    assert "APP_DEBUG=true" in message


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"TRUSTED_HOSTS": ""}, "TRUSTED_HOSTS"),
        ({"MAIL_MAILER": "log"}, "MAIL_MAILER=log"),
        ({"MAIL_MAILER": "array"}, "MAIL_MAILER=array"),
        ({"APP_DEBUG": "true"}, "APP_DEBUG=true"),
    ],
)
def test_each_unsafe_setting_alone_stops_the_server(
    make_http_app: MakeHttpApp, production: dict[str, str], change: dict[str, str], named: str
) -> None:
    with pytest.raises(UnsafeProductionConfigError, match=named):
        make_http_app(**{**production, **change})


def test_the_same_settings_are_fine_outside_production(make_http_app: MakeHttpApp) -> None:
    make_http_app(APP_ENV="local", TRUSTED_HOSTS="", MAIL_MAILER="log", APP_DEBUG="true")


async def test_production_answers_only_its_trusted_hosts(
    make_http_app: MakeHttpApp, production: dict[str, str]
) -> None:
    app = make_http_app(**production)
    async with TestClient(app, base_url="https://api.example.com") as client:
        (await client.get("/health")).assert_ok()
        forged = await client.get("/health", headers={"Host": "evil.example"})
    forged.assert_status(400).assert_exact_json(
        {"message": "Invalid host header.", "error": "invalid_host"}
    )


async def test_production_hides_the_api_docs_unless_asked(
    make_http_app: MakeHttpApp, production: dict[str, str]
) -> None:
    hidden = make_http_app(**production)
    shown = make_http_app(**production, API_DOCS="true")
    async with TestClient(hidden, base_url="https://api.example.com") as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            (await client.get(path)).assert_not_found()
    async with TestClient(shown, base_url="https://api.example.com") as client:
        (await client.get("/openapi.json")).assert_ok()
        (await client.get("/docs")).assert_ok()


async def test_docs_are_served_outside_production_by_default(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app(APP_ENV="local")) as client:
        (await client.get("/openapi.json")).assert_ok()
        (await client.get("/docs")).assert_ok()
