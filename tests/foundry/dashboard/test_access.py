"""Who gets in: the OAuth2 pages' browser session, then the ``view-queue-dashboard`` gate."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from foundry.dashboard.access import ABILITY, define_default_gate
from foundry.kernel.application import Application
from foundry.permissions.gate import AccessGate
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import make_user, sign_in

# Who gets in does not depend on the database engine (the Jobs endpoints run on both): SQLite
# only, which keeps these tests fast.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_a_guest_signs_in_and_comes_back_to_the_page(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    first = await browser.get("/queue/jobs/failed?q=Invoice")
    assert first.status_code == 302
    location = urlsplit(first.headers["location"])
    assert location.path == "/oauth/login"
    assert parse_qs(location.query)["next"] == ["/queue/jobs/failed?q=Invoice"]

    signed_in = await sign_in(browser, "ops@example.com", "/queue/jobs/failed?q=Invoice")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/queue/jobs/failed?q=Invoice"
    page = await browser.get("/queue/jobs/failed?q=Invoice")
    assert page.status_code == 200
    assert "Failed jobs" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"


async def test_the_login_page_never_sends_a_user_to_another_site(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    for hostile in ("//evil.example/queue", "https://evil.example/", "/\\evil.example"):
        answer = await sign_in(browser, "ops@example.com", "/queue")
        assert answer.headers["location"] == "/queue"
        page = await browser.get("/oauth/login", params={"next": hostile})
        assert f'name="next" value="{hostile}"' not in page.text


async def test_a_user_without_the_permission_gets_403(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "intern@example.com")
    await sign_in(browser, "intern@example.com", "/queue/jobs/pending")
    page = await browser.get("/queue/jobs/pending")
    assert page.status_code == 403
    assert "queue.dashboard" in page.text and "Intern" in page.text
    api = await browser.get("/queue/api/jobs/failed")
    assert api.status_code == 403
    assert api.json()["error"] == "forbidden"


async def test_the_json_endpoints_answer_401_without_a_session(
    browser: httpx.AsyncClient,
) -> None:
    answer = await browser.get("/queue/api/jobs/pending")
    assert answer.status_code == 401
    assert answer.json() == {
        "message": "Sign in to see the queue dashboard.",
        "error": "unauthenticated",
    }
    posted = await browser.post("/queue/api/jobs/failed/forget", json={"ids": ["1"]})
    assert posted.status_code == 401


async def test_a_super_admin_passes_without_the_permission(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "root@example.com", roles=["super-admin"])
    await sign_in(browser, "root@example.com", "/queue")
    assert (await browser.get("/queue/jobs/failed")).status_code == 200
    assert (await browser.get("/queue/api/jobs/failed")).status_code == 200


async def test_an_app_definition_of_the_gate_wins(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    gate = dashboard_app.container.make(AccessGate)
    gate.define(ABILITY, lambda user: user.email.endswith("@ops.example"))
    define_default_gate(gate)  # as at boot: an existing definition stays
    await make_user(dashboard_app, "ann@ops.example")
    await sign_in(browser, "ann@ops.example", "/queue")
    assert (await browser.get("/queue/api/jobs/pending")).status_code == 200


async def test_the_path_is_configurable_and_the_dashboard_can_be_off(
    make_application: MakeApplication, database_url: str
) -> None:
    from foundry.http.app import create_app

    moved = create_app(make_application(DATABASE_URL=database_url, QUEUE_DASHBOARD_PATH="ops/q/"))
    off = create_app(make_application(DATABASE_URL=database_url, QUEUE_DASHBOARD_ENABLED="false"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=moved), base_url="http://testserver"
    ) as http:
        assert (await http.get("/ops/q/jobs/failed")).status_code == 302
        assert (await http.get("/queue/jobs/failed")).status_code == 404
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=off), base_url="http://testserver"
    ) as http:
        assert (await http.get("/queue/jobs/failed")).status_code == 404
        assert (await http.get("/queue/api/jobs/failed")).status_code == 404
