"""The dashboard's actions need a recent second factor from users who have MFA (or whose role
must use it): the browser session records it at the sign-in's second step and on the step-up
page (``/oauth/step-up``), which brings the user back to the dashboard."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.mfa.clock import MfaClock
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.recovery_codes import RecoveryCodeService
from foundry.queue.manager import QueueManager
from foundry.queue.pausing import is_paused
from tests.conftest import MakeApplication
from tests.foundry.dashboard.sample_jobs import SendInvoice
from tests.foundry.dashboard.support import fail, make_user, sign_in
from tests.foundry.feature.oauth2.browser import hidden_fields
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.models import User

# Only the session and the MFA rules are under test here: SQLite only.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

#: Every action of the dashboard: (path, JSON body).
ACTIONS = [
    ("/queue/api/jobs/failed/retry", {"ids": ["1"]}),
    ("/queue/api/jobs/failed/forget", {"ids": ["1"]}),
    ("/queue/api/batches/no-such-batch/retry", {}),
    ("/queue/api/batches/no-such-batch/cancel", {}),
    ("/queue/api/queues/database/emails/pause", {}),
    ("/queue/api/queues/database/emails/continue", {}),
]


@pytest.fixture(autouse=True)
def code_factor(dashboard_app: Application) -> Iterator[None]:
    """The tests' second factor (a code per user, see :class:`CodeFactor`)."""
    dashboard_app.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


@pytest.fixture
def clock(dashboard_app: Application) -> MfaClock:
    """The MFA clock, stopped at the real time; tests move it on."""
    stopped = MfaClock(fixed=float(int(time.time())))
    dashboard_app.container.instance(MfaClock, stopped)
    return stopped


async def csrf_of(browser: httpx.AsyncClient, page: str = "/queue/jobs/failed") -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', (await browser.get(page)).text)
    assert found is not None
    return found.group(1)


async def sign_in_with_code(browser: httpx.AsyncClient, user: User, next_url: str) -> None:
    """The password, then the code on the second-factor page."""
    second = await sign_in(browser, user.email, next_url)
    assert second.status_code == 200 and "Two-step verification" in second.text
    done = await browser.post("/oauth/login/mfa", data={**hidden_fields(second.text), "code": "1"})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == next_url


async def test_a_recent_second_factor_passes_and_a_stale_one_goes_to_the_step_up_page(
    dashboard_app: Application, browser: httpx.AsyncClient, clock: MfaClock
) -> None:
    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    await fail(dashboard_app, SendInvoice(1), on="mail")
    await sign_in_with_code(browser, ops, "/queue/jobs/failed")
    csrf = {"X-CSRF-Token": await csrf_of(browser)}
    [row] = (await browser.get("/queue/api/jobs/failed")).json()["data"]

    # Signed in with the code a moment ago: the action goes through.
    manager = dashboard_app.container.make(QueueManager)
    paused = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
    assert paused.status_code == 200, paused.text
    assert await is_paused(manager, "database", "emails")

    # MFA_STEP_UP_MAX_AGE (900 s) later the same action is refused, and nothing happens.
    assert clock.fixed is not None
    clock.fixed += 901
    stale = await browser.post(
        "/queue/api/jobs/failed/forget", json={"ids": [row["id"]]}, headers=csrf
    )
    assert stale.status_code == 403
    assert stale.json()["error"] == "mfa_required"
    assert "/oauth/step-up" in stale.json()["message"]
    assert len((await browser.get("/queue/api/jobs/failed")).json()["data"]) == 1
    # Reading the dashboard needs no step-up.
    assert (await browser.get("/queue/api/jobs/failed")).status_code == 200

    # The step-up page: a wrong code, then the right one, and back to the dashboard.
    CODES[ops.id] = "2"
    page = await browser.get("/oauth/step-up", params={"next": "/queue/jobs/failed"})
    assert page.status_code == 200 and "Confirm it" in page.text
    assert 'name="code"' in page.text and "Use a passkey" not in page.text
    assert page.headers["x-frame-options"] == "DENY"
    wrong = await browser.post("/oauth/step-up", data={**hidden_fields(page.text), "code": "9"})
    assert wrong.status_code == 401 and "That code is not valid" in wrong.text
    right = await browser.post("/oauth/step-up", data={**hidden_fields(wrong.text), "code": "2"})
    assert right.status_code == 303, right.text
    assert right.headers["location"] == "/queue/jobs/failed"

    # The page's CSRF token still works: the step-up changed nothing else of the session.
    forgot = await browser.post(
        "/queue/api/jobs/failed/forget", json={"ids": [row["id"]]}, headers=csrf
    )
    assert forgot.status_code == 200, forgot.text
    assert forgot.json()["data"]["done"] == [row["id"]]
    assert (await browser.get("/queue/api/jobs/failed")).json()["data"] == []


@pytest.mark.parametrize(("path", "body"), ACTIONS)
async def test_every_action_needs_the_step_up_and_still_its_csrf_token(
    dashboard_app: Application,
    browser: httpx.AsyncClient,
    clock: MfaClock,
    path: str,
    body: dict[str, list[str]],
) -> None:
    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    await sign_in_with_code(browser, ops, "/queue/jobs/failed")
    assert clock.fixed is not None
    clock.fixed += 3600

    without_token = await browser.post(path, json=body)
    assert without_token.status_code == 403
    assert without_token.json()["error"] == "csrf_mismatch"
    stale = await browser.post(path, json=body, headers={"X-CSRF-Token": await csrf_of(browser)})
    assert stale.status_code == 403
    assert stale.json()["error"] == "mfa_required"


async def test_the_window_is_mfa_step_up_max_age(
    make_application: MakeApplication, database_url: str
) -> None:
    application = make_application(DATABASE_URL=database_url, MFA_STEP_UP_MAX_AGE="60")
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    clock = MfaClock(fixed=float(int(time.time())))
    application.container.instance(MfaClock, clock)
    ops = await make_user(application, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(application)), base_url="http://testserver"
    ) as browser:
        await sign_in_with_code(browser, ops, "/queue/batches")
        csrf = {"X-CSRF-Token": await csrf_of(browser, "/queue/batches")}
        assert clock.fixed is not None
        clock.fixed += 60
        within = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
        assert within.status_code == 200, within.text
        clock.fixed += 1
        after = await browser.post("/queue/api/queues/database/emails/continue", headers=csrf)
        assert after.status_code == 403 and after.json()["error"] == "mfa_required"


async def test_a_locked_out_step_up_shows_the_page_again_with_the_wait(
    dashboard_app: Application, browser: httpx.AsyncClient, clock: MfaClock
) -> None:
    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    await sign_in_with_code(browser, ops, "/queue/jobs/failed")
    page = await browser.get("/oauth/step-up", params={"next": "/queue/jobs/failed"})
    form = hidden_fields(page.text)
    # MFA_LOCKOUT_ATTEMPTS (10) wrong codes, then even the right one is refused for a while.
    for _ in range(10):
        wrong = await browser.post("/oauth/step-up", data={**form, "code": "9"})
        assert wrong.status_code == 401
    locked = await browser.post("/oauth/step-up", data={**form, "code": "1"})

    assert locked.status_code == 429
    # A page for the person at the browser, not the API's JSON body.
    assert locked.headers["content-type"].startswith("text/html")
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert "Too many attempts. Try again in 15 minutes." in locked.text
    assert hidden_fields(locked.text) == form


async def test_a_recovery_code_steps_up_once(
    dashboard_app: Application, browser: httpx.AsyncClient, clock: MfaClock
) -> None:
    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    async with dashboard_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        [code, *_] = await scope.make(RecoveryCodeService).generate(session, ops)
        await session.commit()
    await sign_in_with_code(browser, ops, "/queue/batches")
    assert clock.fixed is not None
    clock.fixed += 3600

    page = await browser.get("/oauth/step-up", params={"next": "/queue/batches"})
    assert 'name="recovery_code"' in page.text
    used = await browser.post(
        "/oauth/step-up", data={**hidden_fields(page.text), "recovery_code": code}
    )
    assert used.status_code == 303 and used.headers["location"] == "/queue/batches"
    csrf = {"X-CSRF-Token": await csrf_of(browser, "/queue/batches")}
    paused = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
    assert paused.status_code == 200

    clock.fixed += 3600
    again = await browser.post(
        "/oauth/step-up", data={**hidden_fields(page.text), "recovery_code": code}
    )
    assert again.status_code == 401
    refused = await browser.post("/queue/api/queues/database/emails/continue", headers=csrf)
    assert refused.status_code == 403 and refused.json()["error"] == "mfa_required"


async def test_users_without_mfa_are_not_asked_for_it(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    signed_in = await sign_in(browser, "ops@example.com", "/queue/batches")
    assert signed_in.status_code == 303
    csrf = {"X-CSRF-Token": await csrf_of(browser, "/queue/batches")}
    paused = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
    assert paused.status_code == 200, paused.text

    page = await browser.get("/oauth/step-up", params={"next": "/queue/batches"})
    assert page.status_code == 200
    assert "nothing to confirm" in page.text and 'href="/queue/batches"' in page.text
    assert "<form" not in page.text


async def test_a_role_that_must_use_mfa_cannot_act_without_a_factor(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    # "admin" is among MFA_REQUIRED_ROLES; a new account is within its grace period, so it may
    # sign in and look, but not act.
    await make_user(
        dashboard_app, "boss@example.com", roles=["admin"], permissions=["queue.dashboard"]
    )
    assert (await sign_in(browser, "boss@example.com", "/queue/batches")).status_code == 303
    csrf = {"X-CSRF-Token": await csrf_of(browser, "/queue/batches")}
    refused = await browser.post("/queue/api/queues/database/emails/pause", headers=csrf)
    assert refused.status_code == 403
    assert refused.json()["error"] == "mfa_enrolment_required"
    page = await browser.get("/oauth/step-up", params={"next": "/queue/batches"})
    assert "must use a second factor" in page.text and "<form" not in page.text


async def test_the_step_up_page_checks_its_form_and_never_leaves_the_site(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    guest = await browser.get("/oauth/step-up", params={"next": "/queue/jobs/failed"})
    assert guest.status_code == 302
    location = urlsplit(guest.headers["location"])
    assert location.path == "/oauth/login"
    assert parse_qs(location.query)["next"] == ["/queue/jobs/failed"]

    ops = await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    CODES[ops.id] = "1"
    await sign_in_with_code(browser, ops, "/queue")
    CODES[ops.id] = "2"
    page = await browser.get("/oauth/step-up", params={"next": "//evil.example/queue"})
    fields = hidden_fields(page.text)
    assert fields["next"] == "/"

    forged = await browser.post("/oauth/step-up", data={**fields, "csrf_token": "x", "code": "2"})
    assert forged.status_code == 403 and "The form expired" in forged.text
    assert "set-cookie" not in forged.headers
    empty = await browser.post("/oauth/step-up", data=fields)
    assert empty.status_code == 422 and "Give a code" in empty.text
    done = await browser.post(
        "/oauth/step-up", data={**fields, "next": "https://evil.example/", "code": "2"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
